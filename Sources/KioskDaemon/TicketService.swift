import Foundation
import KioskCore
import Logging
import Printing
import ServiceLifecycle
import TicketLedger

/// Gives out queue numbers: commits each to the ledger, prints it on the USB ticket printer, and
/// records whether it printed. Also watches the printer while it is idle, so the menu stops offering
/// tickets when the paper runs out or the printer is unplugged, and offers them again within a
/// second of its return.
final class TicketService: Service, Sendable {
    private let state: KioskState
    private let ledger: TicketLedger?
    private let ledgerFailure: String?
    private let printer: USBTicketPrinter?
    private let logger: Logger
    /// Called when the printer's usable state changed (the Session re-reads what it offers).
    private let devicesChanged: @Sendable () -> Void

    /// How often the idle printer is asked for its status: often while it is unusable, so a refilled
    /// or replugged printer is back on the menu quickly; less often while it works.
    static let pollWhileUnusable: Duration = .milliseconds(400)
    static let pollWhileUsable: Duration = .seconds(2)

    init(state: KioskState, stateDirectory: String, printer: USBTicketPrinter?, logger: Logger,
         devicesChanged: @escaping @Sendable () -> Void) {
        self.state = state
        self.printer = printer
        self.logger = logger
        self.devicesChanged = devicesChanged
        let path = (stateDirectory as NSString).appendingPathComponent("tickets.sqlite")
        do {
            ledger = try TicketLedger(path: path)
            ledgerFailure = nil
            logger.info("ticket ledger open", metadata: ["path": "\(path)"])
        } catch {
            ledger = nil
            ledgerFailure = error.detail
            logger.error("ticket ledger unavailable; no queue numbers will be given out", metadata: ["detail": "\(error.detail)"])
        }
    }

    /// The ledger, for technicians' queries.
    var ticketLedger: TicketLedger? { ledger }

    /// Gives out the next number of `prefix` and prints it. The number is committed first; a ticket
    /// that did not print is void (never given out again) and the citizen still gets its number.
    func issue(prefix: String, priority: PriorityClass?, language: Language) async -> Result<(IssuedTicket, TicketPrintOutcome), FunctionFailure> {
        guard let ledger else {
            logger.error("ticket refused: ledger unavailable", metadata: ["service": "\(prefix)", "detail": "\(ledgerFailure ?? "")"])
            return .failure(.storageFault)
        }
        guard let printer else { return .failure(.deviceFault(.ticketPrinter)) }
        let profile = await state.profile
        let now = Date()
        let day = profile.queueDay(containing: now)
        let ticket: IssuedTicket
        do {
            ticket = try await ledger.issue(kioskID: profile.identity.id, prefix: prefix, priorityClass: priority, day: day, at: now)
        } catch {
            logger.error("ticket refused: ledger write failed", metadata: ["service": "\(prefix)", "detail": "\(error.detail)",
                                                                        "storage_fault": "\(error.isStorageFault)"])
            return .failure(.storageFault)
        }
        let outcome = await print(ticket, printer: printer, ledger: ledger, profile: profile, language: language, reprint: false)
        return .success((ticket, outcome))
    }

    /// Prints a recorded ticket again (its first printing failed); the number does not change.
    func reprint(_ ticket: IssuedTicket, language: Language) async -> TicketPrintOutcome {
        guard let ledger, let printer else { return .notPrinted(.printerMissing) }
        return await print(ticket, printer: printer, ledger: ledger, profile: await state.profile, language: language, reprint: true)
    }

    private func print(_ ticket: IssuedTicket, printer: USBTicketPrinter, ledger: TicketLedger, profile: KioskProfile,
                       language: Language, reprint: Bool) async -> TicketPrintOutcome {
        let dots = profile.devices.ticketPrinter?.dotsPerLine ?? 576
        let layout = TicketLayout.layout(for: ticket, profile: profile, language: language, dotsPerLine: dots)
        var metadata: Logger.Metadata = ["ticket": "\(ticket.number.code)", "day": "\(ticket.day)", "lane": "\(ticket.number.lane.rawValue)",
                                         "waiting_ahead": "\(ticket.waitingAhead)", "reprint": "\(reprint)"]
        let started = ContinuousClock.now
        let outcome: TicketPrintOutcome
        do {
            let bytes = try await printer.printTicket(layout)
            metadata["bytes"] = "\(bytes)"
            outcome = .printed
            do {
                try await ledger.markPrinted(ticket.recordID, at: Date())
            } catch {
                // The number is committed and printed; only the "printed" mark is missing. It stays
                // `issued` and is voided as interrupted at the next start: never given out again.
                logger.error("ticket printed but not marked printed", metadata: metadata.merging(["detail": "\(error.detail)"]) { $1 })
            }
        } catch {
            outcome = .notPrinted(error.failure)
            metadata["failure"] = "\(error.failure.rawValue)"
            metadata["detail"] = "\(error.detail)"
            do {
                try await ledger.markVoid(ticket.recordID, reason: error.failure.rawValue)
            } catch {
                logger.error("ticket void not recorded", metadata: ["ticket": "\(ticket.number.code)", "detail": "\(error.detail)"])
            }
        }
        metadata["ms"] = "\(Self.milliseconds(ContinuousClock.now - started))"
        if !reprint {
            if case .printed = outcome { KioskMetrics.countTicket(service: ticket.number.prefix, printed: true) } else {
                KioskMetrics.countTicket(service: ticket.number.prefix, printed: false)
            }
        }
        if case .printed = outcome {
            logger.info("ticket printed", metadata: metadata)
        } else {
            logger.warning("ticket not printed; number kept void", metadata: metadata)
        }
        await noteStatus(await printer.status)
        return outcome
    }

    /// Watches the idle printer until shutdown.
    func run() async throws {
        guard let printer else {
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let status = await printer.refreshStatus()
                await self.noteStatus(status)
                try await Task.sleep(for: status.isUsable ? Self.pollWhileUsable : Self.pollWhileUnusable)
            }
        }
    }

    private func noteStatus(_ status: DeviceStatus) async {
        let previous = await state.devices.first { $0.kind == .ticketPrinter }
        guard await state.update(status) else { return }
        var metadata: Logger.Metadata = ["device": "ticket-printer", "state": "\(status.state.rawValue)", "detail": "\(status.detail)",
                                         "was": "\(previous?.state.rawValue ?? "none")"]
        if let paper = status.paper { metadata["paper"] = "\(paper.rawValue)" }
        if status.isUsable {
            logger.notice("device usable again", metadata: metadata)
        } else {
            logger.warning("device unavailable", metadata: metadata)
        }
        devicesChanged()
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
