import Hummingbird
import Logging
import PortalAPI

/// One log line per request: method, path, status, idempotency key, kiosk code and outcome.
/// Never the body or anything from it but the kiosk code: the rest is personal data.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext

    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            log(request, context: context, status: context.notes.outcome == .reset ? "reset" : String(response.status.code))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: String(status))
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: String) {
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)",
            "path": "\(request.uri.path)",
            "status": "\(status)",
        ]
        // Cut at the contract's maximum: an oversized key (refused with 400) must not flood the log.
        if let key = request.headers[WireResponse.idempotencyKey] { metadata["idempotency_key"] = "\(key.prefix(255))" }
        if let kioskCode = context.notes.kioskCode { metadata["kiosk_code"] = "\(kioskCode)" }
        if let outcome = context.notes.outcome { metadata["outcome"] = "\(outcome.rawValue)" }
        logger.info("request", metadata: metadata)
    }
}
