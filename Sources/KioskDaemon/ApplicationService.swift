import Foundation
import KioskCore
import Logging
import Portal
import PortalAPI
import Printing
import Scanning
import ServiceLifecycle
import Synchronization

/// Takes citizens' applications: records each in the encrypted outbox before anything is promised,
/// prints its receipt, and runs the forwarder that hands the outbox to the national portal.
/// Also answers status look-ups, and keeps the statuses it knows fresh for look-ups while the link
/// is down. When the profile offers no procedures, or the outbox cannot be opened (no key,
/// unwritable folder), applications are refused with the reason in the log and `kioskctl status`,
/// and every other function keeps working.
///
/// A reloaded profile takes effect here too. A new portal section (address, TLS material,
/// timeouts, status refresh) or retention gets a new connection, forwarder and refresher at once,
/// and every pending application is tried again straight away. An outbox that could not be opened
/// is opened when the reloaded profile allows it. What the open outbox is built on (its key, the
/// kiosk's number and id, the time zone) changes only at the next start: its rows are sealed with
/// its key, and reopening it while a citizen's application is being written could remove that
/// application's files.
final class ApplicationService: Service, Sendable {
    /// What applications run on at one time.
    private struct Desk: Sendable {
        var outbox: Outbox?
        var client: PortalClient?
        var forwarder: Forwarder?
        /// Keeps known statuses fresh for look-ups while the link is down; nil when the profile says never.
        var statusRefresher: StatusRefresher?
        var statusLookUp: ApplicationStatusLookUp
        var unavailableReason: String?
        /// What the open outbox was built on.
        var outboxBasis: OutboxBasis?
        var portal: PortalSettings?
        var retentionDays: Int

        /// The forwarder, refresher and look-up that serve `outbox` through `client`, as `profile` sets them.
        init(outbox: Outbox?, client: PortalClient?, profile: KioskProfile, unavailableReason: String?, outboxBasis: OutboxBasis?,
             logger: Logger) {
            let retention = profile.privacy.retentionDeliveredDays
            self.outbox = outbox
            self.client = client
            if let outbox, let client {
                forwarder = Forwarder(outbox: outbox, client: client, retentionDays: retention, logger: logger)
                if let portal = profile.portal, portal.statusRefreshSeconds > 0 {
                    statusRefresher = StatusRefresher(outbox: outbox, client: client, interval: TimeInterval(portal.statusRefreshSeconds),
                                                      requestTimeout: TimeInterval(portal.requestTimeoutSeconds), logger: logger)
                }
            }
            statusLookUp = ApplicationStatusLookUp(outbox: outbox, client: client, logger: logger)
            self.unavailableReason = unavailableReason
            self.outboxBasis = outboxBasis
            portal = profile.portal
            retentionDays = retention
        }
    }

    /// The profile's settings an open outbox is built on.
    private struct OutboxBasis: Equatable {
        var keySource: EncryptionKeySource?
        var kioskID: String
        var kioskNumber: String?
        var timeZone: String

        init(_ profile: KioskProfile) {
            keySource = profile.privacy.encryptionKeySource
            kioskID = profile.identity.id
            kioskNumber = profile.identity.number
            timeZone = profile.timeZone.identifier
        }
    }

    private let logger: Logger
    private let stateDirectory: String
    private let receiptPrinter: CUPSReceiptPrinter
    private let desk: Mutex<Desk>
    /// Each desk whose forwarder should now run; `run` stops the one before.
    private let deskChanges: AsyncStream<Desk>
    private let deskChangesContinuation: AsyncStream<Desk>.Continuation

    var outbox: Outbox? { desk.withLock { $0.outbox } }
    var forwarder: Forwarder? { desk.withLock { $0.forwarder } }
    /// Why applications cannot be taken here, when they cannot.
    var unavailableReason: String? { desk.withLock { $0.unavailableReason } }
    /// When the portal last answered anything; nil before its first answer or without a portal.
    var lastPortalAnswer: Date? { desk.withLock { $0.client }?.lastAnsweredAt }

    init(profile: KioskProfile, stateDirectory: String, receiptPrinter: CUPSReceiptPrinter, logger: Logger) {
        self.logger = logger
        self.stateDirectory = stateDirectory
        self.receiptPrinter = receiptPrinter
        let first = Self.openDesk(profile, stateDirectory: stateDirectory, logger: logger)
        desk = Mutex(first)
        (deskChanges, deskChangesContinuation) = AsyncStream<Desk>.makeStream()
        deskChangesContinuation.yield(first)
    }

    /// Opens the outbox and the portal connection the profile names, or says why not.
    private static func openDesk(_ profile: KioskProfile, stateDirectory: String, logger: Logger) -> Desk {
        var outbox: Outbox?
        var client: PortalClient?
        var reason: String?
        if profile.procedures.isEmpty {
            reason = "the profile offers no procedures"
        } else if let portal = profile.portal, let keySource = profile.privacy.encryptionKeySource,
                  let number = profile.identity.number {
            do {
                let sealer = try PersonalDataSealer.load(keySource)
                outbox = try Outbox(directory: stateDirectory + "/outbox", kioskID: profile.identity.id, kioskNumber: number,
                                    timeZone: profile.timeZone, sealer: sealer)
                client = try PortalClient(settings: portal)
            } catch {
                reason = error.detail
            }
        } else {
            reason = "the profile lacks a portal, an encryption key or the kiosk number"
        }
        if let reason, !profile.procedures.isEmpty {
            logger.error("applications cannot be taken", metadata: ["reason": "\(reason)"])
        }
        return Desk(outbox: outbox, client: client, profile: profile, unavailableReason: reason,
                    outboxBasis: outbox == nil ? nil : OutboxBasis(profile), logger: logger)
    }

    /// Takes up a reloaded profile (see the type's documentation for what changes when).
    func profileReloaded(_ profile: KioskProfile) async {
        let current = desk.withLock { $0 }
        guard let outbox = current.outbox else {
            // Nothing can be in the middle of being accepted: the outbox is opened afresh, if it now can be.
            let fresh = Self.openDesk(profile, stateDirectory: stateDirectory, logger: logger)
            guard fresh.outbox != nil else {
                desk.withLock { $0.unavailableReason = fresh.unavailableReason }
                return
            }
            install(fresh)
            logger.info("applications can be taken now", metadata: ["kiosk": "\(profile.identity.id)"])
            return
        }
        if OutboxBasis(profile) != current.outboxBasis {
            logger.warning("outbox settings changed; they take effect at the next start",
                           metadata: ["settings": "privacy.encryption_key, kiosk.id, kiosk.number, kiosk.timezone"])
        }
        let retention = profile.privacy.retentionDeliveredDays
        guard profile.portal != current.portal || retention != current.retentionDays else { return }
        var client: PortalClient?
        var reason: String?
        if let portal = profile.portal {
            do {
                client = try PortalClient(settings: portal)
            } catch {
                // The old connection keeps forwarding; the technician reads why in the log and status.
                logger.error("new portal settings refused; the previous ones stay in force", metadata: ["detail": "\(error.detail)"])
                return
            }
        } else {
            reason = "the profile names no portal: applications are kept until one is named"
        }
        install(Desk(outbox: outbox, client: client, profile: profile, unavailableReason: reason, outboxBasis: current.outboxBasis,
                     logger: logger))
        do {
            let pending = try await outbox.makePendingDue(at: Date())
            logger.info("portal connection renewed", metadata: ["pending_due_now": "\(pending)"])
        } catch {
            logger.error("pending applications not rescheduled", metadata: ["detail": "\(error.detail)"])
        }
    }

    private func install(_ fresh: Desk) {
        desk.withLock { $0 = fresh }
        deskChangesContinuation.yield(fresh)
    }

    /// Records the application, then prints its receipt. The receipt is printed only once the
    /// outbox has committed the application: a receipt in a citizen's hand is a promise the disk keeps.
    func submit(_ draft: ApplicationDraft, pages: [EncodedPage], profile: KioskProfile,
                language: Language) async -> Result<(code: String, receipt: ReceiptPrintOutcome), FunctionFailure> {
        let (outbox, forwarder, unavailableReason) = desk.withLock { ($0.outbox, $0.forwarder, $0.unavailableReason) }
        guard let outbox, let procedure = profile.procedures.first(where: { $0.code == draft.procedureCode }) else {
            logger.warning("application refused", metadata: ["reason": "\(unavailableReason ?? "unknown procedure")"])
            return .failure(.notAvailableHere)
        }
        let delivery = draft.delivery ?? .atCounter
        let intake: ApplicationIntake
        do {
            let pdf = try PageEncoder.pdf(pages)
            intake = ApplicationIntake(procedureCode: procedure.code,
                                       applicant: .init(citizenID: draft.citizenID, fullName: draft.fullName,
                                                        dateOfBirth: draft.dateOfBirth?.description, gender: draft.gender?.rawValue,
                                                        phone: draft.phone.isEmpty ? nil : draft.phone, address: draft.address),
                                       delivery: .init(method: delivery.rawValue, address: delivery == .byPost ? draft.postAddress : nil),
                                       attachments: [.init(fileName: "documents.pdf", mediaType: "application/pdf", content: pdf)])
        } catch {
            logger.error("application pages could not be assembled", metadata: ["detail": "\(error.detail)"])
            return .failure(.deviceFault(.scanner))
        }
        let accepted: AcceptedApplication
        do {
            accepted = try await outbox.accept(intake, at: Date())
        } catch {
            logger.error("application not recorded", metadata: ["detail": "\(error.detail)"])
            return .failure(.storageFault)
        }
        forwarder?.wake()
        KioskMetrics.countAcceptedApplication(procedure: procedure.code)
        logger.info("application accepted", metadata: ["code": "\(accepted.code)", "procedure": "\(procedure.code)",
                                                      "pages": "\(pages.count)"])
        let receipt = ApplicationReceipt(
            applicationCode: accepted.code.digits, procedure: procedure, submittedAt: accepted.acceptedAt,
            documents: procedure.requiredDocuments, pageCount: pages.count,
            expectedResultDate: procedure.processingDays.map { WorkingDays.adding($0, to: accepted.acceptedAt, timeZone: profile.timeZone) },
            delivery: delivery, hotline: nil)
        return .success((accepted.code.digits, await printReceipt(receipt, profile: profile, language: language)))
    }

    private func printReceipt(_ receipt: ApplicationReceipt, profile: KioskProfile, language: Language) async -> ReceiptPrintOutcome {
        guard let settings = profile.devices.receiptPrinter else { return .notPrinted(.offline) }
        do {
            let layout = ReceiptLayout.layout(for: receipt, profile: profile, language: language,
                                              rollWidthMillimetres: settings.rollWidthMillimetres)
            let job = try await receiptPrinter.print(pdf: try SlipPDF.render(layout), title: "receipt \(receipt.applicationCode)",
                                                     settings: settings)
            logger.info("receipt printed", metadata: ["code": "\(receipt.applicationCode)", "job": "\(job)"])
            return .printed
        } catch let error as ReceiptPrintError {
            logger.warning("receipt not printed", metadata: ["code": "\(receipt.applicationCode)", "failure": "\(error.failure.rawValue)",
                                                            "detail": "\(error.detail)"])
            return .notPrinted(error.failure)
        } catch {
            logger.warning("receipt not printed", metadata: ["code": "\(receipt.applicationCode)", "detail": "\(error)"])
            return .notPrinted(.refused)
        }
    }

    func lookUp(code: String) async -> ApplicationLookUpResult {
        await desk.withLock { $0.statusLookUp }.lookUp(code: code)
    }

    /// Runs the forwarder and status refresher in force until shutdown, replacing them when a reload
    /// renews the portal connection, then closes the portal connections.
    func run() async throws {
        let changes = deskChanges
        await cancelWhenGracefulShutdown {
            var running: (chores: Task<Void, Never>, client: PortalClient?)?
            for await desk in changes {
                if let running { await Self.stop(running) }
                let (forwarder, refresher) = (desk.forwarder, desk.statusRefresher)
                let chores = Task {
                    await withDiscardingTaskGroup { group in
                        if let forwarder { group.addTask { await forwarder.run() } }
                        if let refresher { group.addTask { await refresher.run() } }
                    }
                }
                running = (chores, desk.client)
            }
            // Shutting down: the stream ends when this task is cancelled.
            if let running { await Self.stop(running) }
        }
    }

    private static func stop(_ running: (chores: Task<Void, Never>, client: PortalClient?)) async {
        running.chores.cancel()
        await running.chores.value
        await running.client?.shutdown()
    }
}
