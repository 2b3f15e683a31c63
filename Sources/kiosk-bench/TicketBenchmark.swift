import Foundation
import KioskCore
import KioskHarness
import Printing
import ProfileLoading
import TicketLedger

/// Queue tickets through the real pieces the daemon uses: the Session turns the key press into
/// `issueTicket`, the ledger commits the number (SQLite, synchronous=FULL), the ticket is drawn with
/// Cairo/Pango and sent over libusb to the emulated ESC/POS printer, its status is read back, and
/// the ledger records it printed. Also counts repeated or skipped numbers over a long run, and how
/// long a replugged printer takes to be usable again at the daemon's polling interval.
struct TicketBenchmark {
    let tickets: Int
    let backToBack: Int
    let replugs: Int

    struct Figures {
        var issue = Samples()
        var backToBackPerSecond = 0.0
        var repeats = 0
        var skips = 0
        var replugResume = Samples()
    }

    func measure() async throws -> Figures {
        let standIns = try StandIns.fromEnvironment()
        let profile = try ProfileLoader.load(path: PackagePaths.profile("demo").path)
        guard let settings = profile.devices.ticketPrinter else { throw BenchmarkFailure("the demo profile has no ticket printer") }
        let folder = try PackagePaths.temporaryDirectory("bench-tickets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try TicketLedger(path: folder.appendingPathComponent("tickets.sqlite").path)
        let printer = try USBTicketPrinter(settings: settings)
        let emulatorState = URL(fileURLWithPath: standIns.usbEmulatorDirectory).appendingPathComponent("state")
        try "online\n".write(to: emulatorState, atomically: true, encoding: .utf8)
        guard await printer.refreshStatus().isUsable else {
            throw BenchmarkFailure("the emulated ticket printer is not usable: \(await printer.status.detail)")
        }
        let devices = DeviceKind.allCases.map { DeviceStatus(kind: $0, state: .online, paper: .full, identity: "bench", detail: "") }
        let context = SessionContext(profile: profile, devices: devices, now: Date())
        let serviceKey = KeypadAction(rawValue: "\(profile.queue.services.firstIndex { $0.priorityClasses.isEmpty }! + 1)")!

        /// One citizen: menu → take a ticket → the service key (timed from here) → ticket out and recorded.
        func oneTicket(day: LocalDate) async throws -> Duration {
            var session = Session(profile: profile)
            _ = session.start(context: context)
            _ = session.handle(.key(.digit1), context: context)
            _ = session.handle(.key(.digit1), context: context)
            let pressed = ContinuousClock.now
            let effects = session.handle(.key(serviceKey), context: context)
            guard case let .issueTicket(prefix, priority)? = effects.first(where: { if case .issueTicket = $0 { true } else { false } }) else {
                throw BenchmarkFailure("the service key did not ask for a ticket")
            }
            let ticket = try await ledger.issue(kioskID: profile.identity.id, prefix: prefix, priorityClass: priority, day: day, at: Date())
            let layout = TicketLayout.layout(for: ticket, profile: profile, language: .vietnamese, dotsPerLine: settings.dotsPerLine)
            try await printer.printTicket(layout)
            try await ledger.markPrinted(ticket.recordID, at: Date())
            return .now - pressed
        }

        var figures = Figures()
        let benchDay = LocalDate(year: 2026, month: 1, day: 1)
        for _ in 0..<5 { _ = try await oneTicket(day: benchDay) }   // fonts loaded, printer warm
        for _ in 0..<tickets { figures.issue.append(milliseconds(try await oneTicket(day: benchDay))) }

        // Back to back on a fresh day: every number 1…N exactly once.
        let longDay = LocalDate(year: 2026, month: 1, day: 2)
        let started = ContinuousClock.now
        for _ in 0..<backToBack { _ = try await oneTicket(day: longDay) }
        let elapsed = ContinuousClock.now - started
        figures.backToBackPerSecond = Double(backToBack) / (milliseconds(elapsed) / 1000)
        let sequences = try await ledger.tickets(on: longDay).map(\.number.sequence)
        figures.repeats = sequences.count - Set(sequences).count
        figures.skips = Set(1...backToBack).subtracting(sequences).count

        // Unplug, then replug and poll as the daemon does while the printer is unusable (every 400 ms).
        for _ in 0..<replugs {
            try "unplugged\n".write(to: emulatorState, atomically: true, encoding: .utf8)
            while await printer.refreshStatus().state != .noDevice { try await Task.sleep(for: .milliseconds(50)) }
            try "online\n".write(to: emulatorState, atomically: true, encoding: .utf8)
            let replugged = ContinuousClock.now
            while !(await printer.refreshStatus().isUsable) {
                try await Task.sleep(for: .milliseconds(400))
                if ContinuousClock.now - replugged > .seconds(30) { throw BenchmarkFailure("the printer did not come back in 30 s") }
            }
            figures.replugResume.append(milliseconds(.now - replugged))
        }
        return figures
    }
}
