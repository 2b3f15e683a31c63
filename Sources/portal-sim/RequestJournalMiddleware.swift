import Foundation
import Hummingbird
import PortalAPI

/// Records every contract request in the `RequestJournal`: arrival time (before any fault, so the
/// spacing of a client's requests is what the client did), answer time, status and outcome. Sits
/// outside `DownMiddleware` so requests answered while down are recorded too.
struct RequestJournalMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext

    let journal: RequestJournal

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let received = Date()
        do {
            let response = try await next(request, context)
            record(request, context: context, received: received,
                   status: context.notes.outcome == .reset ? nil : Int(response.status.code))
            return response
        } catch {
            record(request, context: context, received: received, status: Int((error as? any HTTPResponseError)?.status.code ?? 500))
            throw error
        }
    }

    private func record(_ request: Request, context: Context, received: Date, status: Int?) {
        journal.record(PortalSimRequest(
            method: request.method.rawValue, path: request.uri.path,
            // Cut at the contract's maximum, as the log line does.
            idempotencyKey: request.headers[WireResponse.idempotencyKey].map { String($0.prefix(255)) },
            kioskCode: context.notes.kioskCode, status: status, outcome: context.notes.outcome?.rawValue,
            receivedAt: PortalSimRequest.timestamp(received), answeredAt: PortalSimRequest.timestamp(Date())),
            receivedAt: received)
    }
}
