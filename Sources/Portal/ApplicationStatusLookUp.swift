import Foundation
import KioskCore
import Logging
import PortalAPI

/// Answers "where is my application?" for a typed code: the portal's answer when it can be asked,
/// otherwise what this kiosk last heard, so a citizen in a van with no link still gets an answer
/// for an application they filed here.
public struct ApplicationStatusLookUp: Sendable {
    private let outbox: Outbox?
    private let client: PortalClient?
    private let timeout: TimeInterval
    private let logger: Logger

    /// `timeout`: how long a citizen waits for the portal before the kiosk answers from what it knows.
    public init(outbox: Outbox?, client: PortalClient?, timeout: TimeInterval = 5, logger: Logger) {
        self.outbox = outbox
        self.client = client
        self.timeout = timeout
        self.logger = logger
    }

    public func lookUp(code: String, at instant: Date = Date()) async -> ApplicationLookUpResult {
        var local: OutboxEntry?
        do {
            local = try await outbox?.find(code: code)
        } catch {
            logger.error("outbox unreadable during a look-up", metadata: ["detail": "\(error.detail)"])
        }
        if let local, local.state == .pending {
            return .waitingToBeSent(acceptedAt: local.acceptedAt)
        }
        // Ask the portal by its own code when known (the kiosk code works too).
        let asked = local?.portalCode ?? code
        if let client {
            do {
                if let report = try await client.status(code: asked, timeout: timeout) {
                    if local != nil { try? await outbox?.recordStatus(report, at: instant) }
                    return .status(ApplicationProgress(report.status), note: report.note, asOf: instant, current: true)
                }
                if local == nil { return .notFound }
            } catch {
                logger.warning("portal not reachable for a look-up", metadata: ["detail": "\(error.detail)"])
            }
        }
        if let local {
            if let status = local.portalStatus {
                return .status(ApplicationProgress(status), note: local.statusNote, asOf: local.statusUpdatedAt ?? local.acceptedAt,
                               current: false)
            }
            return .waitingToBeSent(acceptedAt: local.acceptedAt)
        }
        return .cannotCheckNow
    }
}

extension ApplicationProgress {
    init(_ status: PortalStatus) {
        switch status {
        case .received: self = .received
        case .inProcess: self = .inProcess
        case .needsMoreDocuments: self = .needsMoreDocuments
        case .resultReady: self = .resultReady
        case .delivered: self = .delivered
        }
    }
}
