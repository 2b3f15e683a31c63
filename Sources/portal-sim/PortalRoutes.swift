import Crypto
import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import NIOCore
import PortalAPI

/// The portal adapter's contract (docs/portal-adapter.openapi.yaml): filing applications
/// idempotently, status look-ups, health; with the injected faults in between.
struct PortalRoutes: Sendable {
    let store: ApplicationStore
    let gate: IdempotencyGate
    let faults: FaultInjection
    let statistics: SimStatistics
    let timeline: StatusTimeline
    let journal: RequestJournal
    /// The largest body accepted: scans are big, but not unbounded.
    let maxBodyBytes: Int

    func add(to group: RouterGroup<PortalRequestContext>) {
        group.add(middleware: RequestJournalMiddleware(journal: journal))
        group.add(middleware: DownMiddleware(faults: faults, statistics: statistics))
        group.post(RouterPath(PortalWire.applicationsPath)) { request, context in
            try await fileApplication(request, context: context)
        }
        group.get(RouterPath("\(PortalWire.applicationsPath)/:code")) { request, context in
            try await lookUp(request, context: context)
        }
        group.get("health") { _, _ in
            try WireResponse.json(["status": "ok"])
        }
    }

    // MARK: POST /applications

    private func fileApplication(_ request: Request, context: PortalRequestContext) async throws -> Response {
        guard let key = request.headers[WireResponse.idempotencyKey], (1...255).contains(key.utf8.count) else {
            return answer(.invalid400, context,
                          WireResponse.problem(.badRequest, "Idempotency-Key required",
                                               detail: "every POST needs an Idempotency-Key header of 1 to 255 characters"))
        }
        var request = request
        let body = Data(buffer: try await request.collectBody(upTo: maxBodyBytes))
        context.notes.kioskCode = SubmissionChecker.kioskCode(in: body)
        try await store.countPost(key: key)
        let roll = faults.roll()
        // The request fingerprint of the idempotency draft: the payload exactly as sent.
        let fingerprint = SHA256.hash(data: body).hexString

        // Faults of a struggling adapter or proxy: the request is lost before anything is stored.
        if roll.unavailable {
            try await wait(roll)
            var headers = HTTPFields()
            headers[.retryAfter] = String(roll.retryAfterSeconds)
            return answer(.injected503, context,
                          WireResponse.problem(.serviceUnavailable, "Service temporarily unavailable",
                                               detail: "injected fault: retry after \(roll.retryAfterSeconds) s", headers: headers))
        }
        if roll.error {
            try await wait(roll)
            return answer(.injected500, context, WireResponse.problem(.internalServerError, "Internal error",
                                                                     detail: "injected fault: nothing was stored"))
        }
        if roll.reset {
            try await wait(roll)
            return await resetConnection(context)
        }

        let submission: CheckedSubmission
        switch SubmissionChecker.check(body) {
        case .failure(let refusal):
            try await wait(roll)
            return answer(.invalid400, context, WireResponse.problem(.badRequest, "Invalid application", detail: refusal.detail))
        case .success(let checked):
            submission = checked
        }

        switch try await gate.admit(key: key, fingerprint: fingerprint) {
        case .inFlight:
            try await wait(roll)
            return answer(.conflict409, context,
                          WireResponse.problem(.conflict, "Request in progress",
                                               detail: "the first request with this Idempotency-Key is still being processed; retry later"))
        case .mismatch:
            try await wait(roll)
            return answer(.mismatch422, context,
                          WireResponse.problem(.unprocessableContent, "Idempotency-Key reused",
                                               detail: "this Idempotency-Key was used for a different payload"))
        case .replay(let stored):
            try await wait(roll)
            var headers = HTTPFields()
            headers[WireResponse.replayed] = "true"
            return answer(.replayed, context,
                          WireResponse.bytes(stored.body, status: HTTPResponse.Status(code: stored.status),
                                             contentType: "application/json", headers: headers))
        case .fresh:
            let result: ApplicationStore.FilingResult
            do {
                // The latency and a hold are processing time: the key stays in flight all along, so a
                // repeat meanwhile gets 409.
                try await wait(roll)
                try await faults.waitWhileFilingHeld()
                result = try await file(submission, key: key, fingerprint: fingerprint)
                await gate.finish(key: key)
            } catch {
                await gate.finish(key: key)
                throw error
            }
            switch result {
            case .kioskCodeAlreadyFiled:
                return answer(.mismatch422, context,
                              WireResponse.problem(.unprocessableContent, "Kiosk code already filed",
                                                   detail: "an application with this kioskCode was filed with another Idempotency-Key"))
            case .filed where roll.errorAfterCommit:
                return answer(.injected500AfterCommit, context,
                              WireResponse.problem(.internalServerError, "Internal error",
                                                   detail: "injected fault: the answer was lost"))
            case .filed(_, let stored):
                return answer(.created, context,
                              WireResponse.bytes(stored.body, status: HTTPResponse.Status(code: stored.status),
                                                 contentType: "application/json"))
            }
        }
    }

    private func file(_ submission: CheckedSubmission, key: String, fingerprint: String) async throws
        -> ApplicationStore.FilingResult {
        let filedAt = Date()
        let kioskCode = submission.kioskCode
        return try await store.file(submission, key: key, fingerprint: fingerprint, filedAt: filedAt) { portalCode in
            try PortalWire.encoder().encode(StatusTimeline.received(portalCode: portalCode, kioskCode: kioskCode, filedAt: filedAt))
        }
    }

    /// The latency fault: time the adapter takes before it answers.
    private func wait(_ roll: FaultInjection.Roll) async throws {
        if roll.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(roll.latencyMilliseconds))
        }
    }

    /// Closes the connection without an answer. SO_LINGER 0 makes the close a TCP reset, as a
    /// crashing adapter or a proxy dropping the connection would send.
    private func resetConnection(_ context: PortalRequestContext) async -> Response {
        statistics.count(.reset)
        context.notes.outcome = .reset
        let channel = context.channel
        if let socket = channel as? any SocketOptionProvider {
            try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close().get()
        // Nobody reads this: the channel is closed, the write fails quietly.
        return Response(status: .internalServerError)
    }

    // MARK: GET /applications/{code}

    private func lookUp(_ request: Request, context: PortalRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let application = try await store.application(code: code) else {
            return answer(.notFound404, context,
                          WireResponse.problem(.notFound, "No such application",
                                               detail: "no application has this portal code or kiosk code"))
        }
        context.notes.kioskCode = application.kioskCode
        return answer(.lookedUp, context, try WireResponse.json(timeline.report(for: application, at: Date())))
    }

    /// Counts and notes the outcome, then returns `response`.
    private func answer(_ outcome: RequestOutcome, _ context: PortalRequestContext, _ response: Response) -> Response {
        statistics.count(outcome)
        context.notes.outcome = outcome
        return response
    }
}
