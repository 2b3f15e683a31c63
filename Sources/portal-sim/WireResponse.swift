import Foundation
import HTTPTypes
import Hummingbird
import PortalAPI

/// Builds portal-sim's answers: JSON bodies encoded as the wire types are everywhere (sorted keys,
/// so a stored answer and a fresh one compare byte for byte), and RFC 9457 problems.
enum WireResponse {
    static let idempotencyKey = HTTPField.Name(PortalWire.idempotencyKeyHeader)!
    static let replayed = HTTPField.Name(PortalWire.replayedHeader)!

    /// `value` as `application/json` with `status`.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok,
                     headers extra: HTTPFields = [:]) throws -> Response {
        bytes(try PortalWire.encoder().encode(value), status: status, contentType: "application/json", headers: extra)
    }

    /// Already encoded `body` (a stored answer) with `status`.
    static func bytes(_ body: Data, status: HTTPResponse.Status, contentType: String,
                      headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A problem answer. `detail` must never carry personal data: it is written for client logs.
    static func problem(_ status: HTTPResponse.Status, _ title: String, detail: String? = nil,
                        headers extra: HTTPFields = [:]) -> Response {
        let problem = PortalProblem(title: title, status: status.code, detail: detail)
        // Encoding a struct of strings and an integer cannot fail.
        let body = (try? PortalWire.encoder().encode(problem)) ?? Data()
        return bytes(body, status: status, contentType: PortalWire.problemMediaType, headers: extra)
    }
}
