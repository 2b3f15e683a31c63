import Crypto
import Foundation
import PortalAPI

/// A submission that passed every check of the contract, with its attachments decoded.
struct CheckedSubmission: Sendable {
    let kioskCode: String
    let attachments: [DecodedAttachment]
    /// The submission as JSON with the attachments' content left out (stored decoded beside it).
    let recordWithoutContent: Data

    struct DecodedAttachment: Sendable {
        let fileName: String
        let mediaType: String
        let sha256: String
        let content: Data
    }
}

/// Checks a request body against the contract's `ApplicationSubmission` schema.
///
/// A refusal's detail names the field and what was expected, never the value sent: the values are
/// personal data (citizen ID, name, phone, address) and a problem answer ends up in client logs.
enum SubmissionChecker {
    /// Why a body was refused, safe to send back and to log.
    struct Refusal: Error, Sendable {
        let detail: String
    }

    /// The kiosk code of a body that may not pass the checks, for the request log: only when it
    /// has the contract's shape (16 digits), so nothing else the body holds can leak into a log.
    static func kioskCode(in body: Data) -> String? {
        struct KioskCodeOnly: Decodable {
            let kioskCode: String?
        }
        guard let code = (try? JSONDecoder().decode(KioskCodeOnly.self, from: body))?.kioskCode,
              isDigits(code, count: 16) else { return nil }
        return code
    }

    static func check(_ body: Data) -> Result<CheckedSubmission, Refusal> {
        do {
            return .success(try checked(body))
        } catch let refusal as Refusal {
            return .failure(refusal)
        } catch {
            return .failure(Refusal(detail: "the body could not be read"))
        }
    }

    private static func checked(_ body: Data) throws -> CheckedSubmission {
        let submission: ApplicationSubmission
        do {
            submission = try JSONDecoder().decode(ApplicationSubmission.self, from: body)
        } catch let error as DecodingError {
            throw Refusal(detail: describe(error))
        }
        try require(isDigits(submission.kioskCode, count: 16), "kioskCode must be 16 digits")
        try require(!submission.kioskID.isEmpty, "kioskID must not be empty")
        try require(!submission.procedureCode.isEmpty, "procedureCode must not be empty")
        try require(PortalTime.isDateTime(submission.submittedAt), "submittedAt must be an RFC 3339 date-time with an offset")
        try require(isDigits(submission.applicant.citizenID, count: 12), "applicant.citizenID must be 12 digits")
        if let phone = submission.applicant.phone {
            try require(isMobilePhone(phone), "applicant.phone must be 10 digits starting 03, 05, 07, 08 or 09")
        }
        switch submission.delivery.method {
        case "counter":
            break
        case "post":
            try require(!(submission.delivery.address ?? "").isEmpty, "delivery.address is required for method post")
        default:
            throw Refusal(detail: "delivery.method must be counter or post")
        }

        var decoded: [CheckedSubmission.DecodedAttachment] = []
        var withoutContent = submission
        for (index, attachment) in submission.attachments.enumerated() {
            let name = "attachments[\(index)]"
            try require(isLowercaseHex(attachment.sha256, count: 64), "\(name).sha256 must be 64 lowercase hex digits")
            guard let content = Data(base64Encoded: attachment.contentBase64) else {
                throw Refusal(detail: "\(name).contentBase64 is not base64")
            }
            let digest = SHA256.hash(data: content).hexString
            try require(digest == attachment.sha256, "\(name).sha256 does not match the decoded content")
            decoded.append(.init(fileName: attachment.fileName, mediaType: attachment.mediaType, sha256: digest, content: content))
            withoutContent.attachments[index].contentBase64 = ""
        }
        return CheckedSubmission(kioskCode: submission.kioskCode, attachments: decoded,
                                 recordWithoutContent: try PortalWire.encoder().encode(withoutContent))
    }

    private static func require(_ condition: Bool, _ detail: String) throws {
        if !condition { throw Refusal(detail: detail) }
    }

    private static func isDigits(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLowercaseHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }

    private static func isMobilePhone(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return isDigits(text, count: 10) && bytes[0] == UInt8(ascii: "0") && "35789".utf8.contains(bytes[1])
    }

    /// The field path and the kind of mistake, without the value (DecodingError's own debug
    /// description may quote the offending input).
    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let names = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return names.hasPrefix(".") ? String(names.dropFirst()) : (names.isEmpty ? "the body" : names)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) must not be null"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be of type \(type)"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "the body is not JSON"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)) is malformed"
        @unknown default:
            return "the body is not an ApplicationSubmission"
        }
    }
}

extension Digest {
    /// Lowercase hex, as the contract writes SHA-256 values.
    var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
