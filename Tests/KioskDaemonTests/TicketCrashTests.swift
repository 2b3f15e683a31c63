import ControlProtocol
import Foundation
import KioskCore
import KioskHarness
import Testing
import TicketLedger

/// kill -9 at random moments while tickets are being issued and printed, 200 times over: no number is
/// ever given out twice, every number a client was told is recorded, every ticket that came out of
/// the printer is recorded, and nothing is left half-done after the last restart.
@Suite struct TicketCrashTests {
    /// At least 200 (the issue's bar); `KIOSK_CRASH_ROUNDS` may ask for more, never fewer.
    static let rounds = max(200, Int(ProcessInfo.processInfo.environment["KIOSK_CRASH_ROUNDS"] ?? "") ?? 200)

    /// One `queue-issue` over the control socket; the number the daemon answered, or nil when it died first.
    static func issue(_ socket: String, service: String) -> QueueReport.Ticket? {
        controlExchange(socket, "queue-issue", ["service": service], timeout: .seconds(15))?.queue?.tickets.first
    }

    @Test func killNineAtRandomMomentsNeverRepeatsOrLosesANumber() async throws {
        let kiosk = try DemoKiosk(purpose: "ticket-crash")
        var random = SystemRandomNumberGenerator()
        var answered: [QueueReport.Ticket] = []
        var killedWhileIssuing = 0
        for round in 0..<Self.rounds {
            let daemon = try kiosk.start()
            guard kiosk.waitUntilReady() != nil else {
                Issue.record("round \(round): kioskd did not become ready:\n\(daemon.standardError)")
                return
            }
            // Two clients issue numbers for two services as fast as they can, until the daemon dies.
            let socket = kiosk.controlSocket.path
            let collected = Collected()
            let clients = ["A", "C"].map { service in
                Thread {
                    while let ticket = Self.issue(socket, service: service) { collected.append(ticket) }
                    collected.finish()
                }
            }
            clients.forEach { $0.start() }
            // The kill lands at a random moment once numbers are flowing (the first one of a round
            // may wait for the emulator to let go of the killed daemon's claim).
            try await collected.waitForFirstTicket(timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...300, using: &random)))
            daemon.send(SIGKILL)
            #expect(daemon.waitForExit(timeout: .seconds(5)) != nil, "round \(round): kioskd did not die")
            try await collected.waitForFinished(count: 2)
            let tickets = collected.tickets
            if !tickets.isEmpty { killedWhileIssuing += 1 }
            answered += tickets
        }
        // One last start voids what the last kill left unanswered, as every restart does.
        let daemon = try kiosk.start()
        #expect(kiosk.waitUntilReady() != nil)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(5)) == 0)

        let ledger = try TicketLedger(path: kiosk.stateDirectory.appendingPathComponent("tickets.sqlite").path)
        let records = try await ledger.allTickets()
        print("ticket crash test: \(Self.rounds) kill -9 rounds, \(killedWhileIssuing) while issuing; \(answered.count) numbers answered, "
              + "\(records.count) recorded (\(records.filter { $0.state == .printed }.count) printed, "
              + "\(records.filter { $0.voidReason == "interrupted" }.count) void as interrupted), "
              + "\(kiosk.ticketPrinter.printedTickets.filter { !$0.torn }.count) tickets out of the printer; void reasons: "
              + "\(Dictionary(grouping: records.compactMap(\.voidReason)) { $0 }.mapValues(\.count))")
        #expect(killedWhileIssuing > Self.rounds / 2, "most kills should land while tickets are being issued")
        #expect(answered.count > Self.rounds, "only \(answered.count) tickets issued in \(Self.rounds) rounds")

        // Never twice: per day, service and line the numbers are 1, 2, 3… with no repeat and no gap.
        let byLine = Dictionary(grouping: records) { "\($0.day) \($0.number.prefix) \($0.number.lane.rawValue)" }
        for (line, tickets) in byLine {
            #expect(tickets.map(\.number.sequence).sorted() == Array(1...tickets.count), "line \(line) repeats or skips a number")
        }
        #expect(!records.contains { $0.state == .issued }, "a ticket was left half-done after the last restart")

        // Every number a client was told is recorded, as it was told.
        let recorded = Dictionary(uniqueKeysWithValues: records.map { ("\($0.day) \($0.number.code)", $0) })
        for ticket in answered {
            let record = recorded.values.first { $0.number.code == ticket.number && $0.state.rawValue == ticket.state }
            #expect(record != nil, "told \(ticket.number) \(ticket.state), not recorded so")
        }
        #expect(Set(answered.map(\.number)).count == answered.count || Set(records.map(\.day)).count > 1,
                "a number was answered twice")

        // Every ticket that came out of the printer is recorded, and none came out twice.
        let printed = kiosk.ticketPrinter.printedTickets.filter { !$0.torn }
        var identities = try Zbar.decode(printed.map(\.image.path))
        if identities.count != printed.count {
            // Find the tickets that do not read as exactly one code, and keep them for a look.
            let evidence = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-crash-evidence-\(getpid())")
            try? FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
            identities = []
            for ticket in printed {
                let codes = try Zbar.decode(ticket.image.path)
                if codes.count != 1 {
                    try? FileManager.default.copyItem(at: ticket.image, to: evidence.appendingPathComponent(ticket.image.lastPathComponent))
                    Issue.record("printed ticket \(ticket.image.lastPathComponent) (\(ticket.width)x\(ticket.height)) reads as \(codes); kept in \(evidence.path)")
                }
                identities += codes
            }
        }
        #expect(Set(identities).count == identities.count, "a ticket was printed twice")
        for identity in identities {
            let parts = identity.split(separator: ":")
            let code = parts.last.map(String.init) ?? ""
            let day = parts.count == 4 ? String(parts[2]) : ""
            let record = records.first { $0.number.code == code && $0.day.replacingOccurrences(of: "-", with: "") == day }
            #expect(record != nil, "printed \(identity) is not in the ledger")
        }
        #expect(printed.count >= records.filter { $0.state == .printed }.count,
                "the ledger says more tickets printed than came out of the printer")
    }
}

/// Tickets the client threads were answered, and how many clients have stopped.
private final class Collected: @unchecked Sendable {
    // @unchecked: every field is guarded by `condition`.
    private let condition = NSCondition()
    private var answered: [QueueReport.Ticket] = []
    private var finished = 0

    func append(_ ticket: QueueReport.Ticket) {
        condition.lock()
        answered.append(ticket)
        condition.broadcast()
        condition.unlock()
    }

    // The waits poll instead of blocking on the condition: a test must not hold one of the
    // cooperative pool's few threads (two on this machine) while other suites run beside it.
    func waitForFirstTicket(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if hasAnswerOrStopped { return }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func finish() {
        condition.lock()
        finished += 1
        condition.broadcast()
        condition.unlock()
    }

    func waitForFinished(count: Int) async throws {
        while true {
            if finishedClients >= count { return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private var hasAnswerOrStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !answered.isEmpty || finished > 0
    }

    private var finishedClients: Int {
        condition.lock()
        defer { condition.unlock() }
        return finished
    }

    var tickets: [QueueReport.Ticket] {
        condition.lock()
        defer { condition.unlock() }
        return answered
    }
}
