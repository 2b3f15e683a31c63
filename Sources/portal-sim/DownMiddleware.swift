import Hummingbird

/// The `down` fault: the whole contract answers 503, without Retry-After (nobody knows when it is back).
struct DownMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext

    let faults: FaultInjection
    let statistics: SimStatistics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard faults.settings.down else { return try await next(request, context) }
        statistics.count(.down503)
        context.notes.outcome = .down503
        return WireResponse.problem(.serviceUnavailable, "Service unavailable", detail: "the portal adapter is down")
    }
}
