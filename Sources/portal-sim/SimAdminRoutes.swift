import Foundation
import Hummingbird
import PortalAPI

/// The simulator's admin API under `/_sim`, outside the contract: faults, stored applications,
/// status overrides and request statistics, for tests and demos. Never any personal data.
struct SimAdminRoutes: Sendable {
    let store: ApplicationStore
    let gate: IdempotencyGate
    let faults: FaultInjection
    let statistics: SimStatistics
    let timeline: StatusTimeline
    let journal: RequestJournal

    func add(to group: RouterGroup<PortalRequestContext>) {
        group.get("faults") { _, _ in
            try WireResponse.json(faults.settings)
        }
        group.put("faults") { request, context in
            guard let change = try await decode(PortalSimFaultsChange.self, from: request) else {
                return WireResponse.problem(.badRequest, "Invalid fault settings", detail: "expected a JSON object of fault settings")
            }
            switch faults.apply(change) {
            case .success(let settings):
                context.logger.notice("faults changed", metadata: ["faults": "\(settings)"])
                return try WireResponse.json(settings)
            case .failure(let refusal):
                return WireResponse.problem(.badRequest, "Invalid fault settings", detail: refusal.detail)
            }
        }
        group.get("applications") { _, _ in
            let now = Date()
            let applications = try await store.allApplications().map { record in
                PortalSimApplication(portalCode: record.portalCode, kioskCode: record.kioskCode,
                                     idempotencyKey: record.idempotencyKey, fingerprint: record.fingerprint,
                                     filedAt: PortalTime.string(record.filedAt), attachmentCount: record.attachmentCount,
                                     postRequests: record.postRequests, status: timeline.report(for: record, at: now).status)
            }
            return try WireResponse.json(applications)
        }
        group.put("applications/:code/status") { request, context in
            let code = try context.parameters.require("code")
            guard let change = try await decode(PortalSimStatusOverride.self, from: request) else {
                return WireResponse.problem(.badRequest, "Invalid status",
                                            detail: "expected {\"status\": one of \(PortalStatus.allCases.map(\.rawValue)), \"note\": optional text}")
            }
            guard let record = try await store.overrideStatus(code: code, status: change.status, note: change.note, at: Date()) else {
                return WireResponse.problem(.notFound, "No such application",
                                            detail: "no application has this portal code or kiosk code")
            }
            context.notes.kioskCode = record.kioskCode
            return try WireResponse.json(timeline.report(for: record, at: Date()))
        }
        group.get("requests") { _, _ in
            try WireResponse.json(journal.all)
        }
        group.get("stats") { _, _ in
            try WireResponse.json(statistics.snapshot(inFlight: await gate.inFlightCount))
        }
    }

    /// The JSON body as `type`, or nil when it is not one.
    private func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value? {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        return try? JSONDecoder().decode(type, from: Data(buffer: body))
    }
}
