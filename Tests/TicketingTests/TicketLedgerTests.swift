import Foundation
import KioskCore
import KioskHarness
import Testing
import TicketLedger

/// The ticket ledger on a real SQLite file: consecutive numbers per service, line and day; void
/// numbers never reissued; a crash's leftovers voided; many concurrent requests, no repeats.
@Suite struct TicketLedgerTests {
    let folder: URL
    let path: String
    static let day = LocalDate(year: 2026, month: 12, day: 4)
    static let nextDay = LocalDate(year: 2026, month: 12, day: 5)

    init() throws {
        folder = try PackagePaths.temporaryDirectory("ledger")
        path = folder.appendingPathComponent("state/tickets.sqlite").path
    }

    func issue(_ ledger: TicketLedger, _ prefix: String, _ priority: PriorityClass? = nil, day: LocalDate = day) async throws -> IssuedTicket {
        try await ledger.issue(kioskID: "t-01", prefix: prefix, priorityClass: priority, day: day, at: Date())
    }

    @Test func numbersAreConsecutivePerServiceAndLineAndRestartEachDay() async throws {
        let ledger = try TicketLedger(path: path)
        var codes: [String] = []
        for prefix in ["A", "A", "B", "A"] { codes.append(try await issue(ledger, prefix).number.code) }
        codes.append(try await issue(ledger, "A", .elderly).number.code)
        codes.append(try await issue(ledger, "A", .pregnant).number.code)
        codes.append(try await issue(ledger, "A", day: Self.nextDay).number.code)
        #expect(codes == ["A001", "A002", "B001", "A003", "AU001", "AU002", "A001"])
        let today = try await ledger.tickets(on: Self.day)
        #expect(today.count == 6)
        #expect(today.allSatisfy { $0.state == .issued })
        #expect(today.first { $0.number.code == "AU002" }?.priorityClass == .pregnant)
    }

    @Test func aNewRoundStartsTheServiceAtOneAndKeepsEarlierTickets() async throws {
        var ledger = try TicketLedger(path: path)
        for prefix in ["A", "A", "B"] { _ = try await issue(ledger, prefix) }
        _ = try await issue(ledger, "A", .elderly)
        #expect(try await ledger.startNewRound(of: ["A"], day: Self.day, at: Date()) == ["A": 2])
        let afterReset = try await issue(ledger, "A")
        #expect(afterReset.number.code == "A001")
        #expect(afterReset.waitingAhead == 3, "the citizens of the earlier round are still waiting ahead")
        #expect(try await issue(ledger, "A", .elderly).number.code == "AU001")
        #expect(try await issue(ledger, "B").number.code == "B002", "a service not reset goes on")
        // The round is on disk: a restarted daemon goes on with it.
        ledger = try TicketLedger(path: path)
        #expect(try await issue(ledger, "A").number.code == "A002")
        #expect(try await ledger.startNewRound(of: ["A", "B"], day: Self.day, at: Date()) == ["A": 3, "B": 2])
        #expect(try await issue(ledger, "A").number.code == "A001")
        let records = try await ledger.tickets(on: Self.day)
        #expect(records.map(\.number.code) == ["A001", "A002", "B001", "AU001", "A001", "AU001", "B002", "A002", "A001"])
        #expect(records.map(\.round) == [1, 1, 1, 1, 2, 2, 1, 2, 3])
        #expect(try await issue(ledger, "A", day: Self.nextDay).number.code == "A001")
        #expect(try await ledger.tickets(on: Self.nextDay).map(\.round) == [1], "a new day starts at round 1")
    }

    /// A kiosk updated from a version without rounds keeps its day's tickets and numbering.
    @Test func aLedgerWrittenBeforeRoundsIsCarriedOver() async throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let (status, output) = try ChildProcess.run("/bin/sh", ["-c", """
            sqlite3 '\(path)' "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1-tickets');
            CREATE TABLE ticket (id INTEGER PRIMARY KEY, day TEXT NOT NULL, prefix TEXT NOT NULL,
              lane TEXT NOT NULL CHECK (lane IN ('ordinary', 'priority')), sequence INTEGER NOT NULL CHECK (sequence > 0),
              code TEXT NOT NULL, priority_class TEXT, issued_at REAL NOT NULL,
              state TEXT NOT NULL CHECK (state IN ('issued', 'printed', 'void')), void_reason TEXT, printed_at REAL,
              prints INTEGER NOT NULL DEFAULT 0, UNIQUE (day, prefix, lane, sequence));
            CREATE INDEX ticket_by_day ON ticket (day, prefix);
            INSERT INTO ticket (day, prefix, lane, sequence, code, issued_at, state, prints)
              VALUES ('2026-12-04', 'A', 'ordinary', 1, 'A001', 1796000000, 'printed', 1),
                     ('2026-12-04', 'A', 'ordinary', 2, 'A002', 1796000060, 'void', 0);"
            """], capture: true)
        #expect(status == 0, "\(output)")
        let ledger = try TicketLedger(path: path)
        let carried = try await ledger.tickets(on: Self.day)
        #expect(carried.map(\.number.code) == ["A001", "A002"] && carried.map(\.round) == [1, 1])
        #expect(carried.map(\.state) == [.printed, .void])
        #expect(try await issue(ledger, "A").number.code == "A003")
    }

    @Test func waitingAheadCountsTheSameLineAndPriorityBeforeOrdinary() async throws {
        let ledger = try TicketLedger(path: path)
        #expect(try await issue(ledger, "A").waitingAhead == 0)
        #expect(try await issue(ledger, "A").waitingAhead == 1)
        #expect(try await issue(ledger, "A", .elderly).waitingAhead == 0, "priority citizens wait only behind priority citizens")
        #expect(try await issue(ledger, "A").waitingAhead == 3, "ordinary citizens wait behind both lines")
        #expect(try await issue(ledger, "B").waitingAhead == 0)
    }

    @Test func aVoidNumberIsNeverGivenOutAgainAndCanBeReprinted() async throws {
        let ledger = try TicketLedger(path: path)
        let first = try await issue(ledger, "C")
        try await ledger.markVoid(first.recordID, reason: "paper-out")
        let second = try await issue(ledger, "C")
        #expect(second.number.code == "C002")
        #expect(second.waitingAhead == 1, "the citizen with the void ticket heard their number and is waiting")
        try await ledger.markPrinted(first.recordID, at: Date())
        let records = try await ledger.tickets(on: Self.day)
        #expect(records.map(\.state) == [.printed, .issued])
        #expect(records[0].prints == 1 && records[0].voidReason == nil)
    }

    @Test func ticketsACrashLeftUnansweredAreVoidedWhenTheLedgerOpensAgain() async throws {
        do {
            let ledger = try TicketLedger(path: path)
            let printed = try await issue(ledger, "A")
            try await ledger.markPrinted(printed.recordID, at: Date())
            _ = try await issue(ledger, "A")   // committed; the daemon "dies" before the printer answers
        }
        let reopened = try TicketLedger(path: path)
        let records = try await reopened.tickets(on: Self.day)
        #expect(records.map(\.state) == [.printed, .void])
        #expect(records[1].voidReason == "interrupted")
        let next = try await issue(reopened, "A")
        #expect(next.number.code == "A003", "the interrupted A002 may have printed: it is never reissued")
        #expect(next.waitingAhead == 1, "an interrupted number nobody heard is not counted as waiting")
    }

    @Test func manyConcurrentRequestsGetDistinctConsecutiveNumbers() async throws {
        let ledger = try TicketLedger(path: path)
        let codes = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<200 {
                group.addTask { try await self.issue(ledger, index % 2 == 0 ? "A" : "B").number.code }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(codes).count == 200)
        #expect(Set(codes) == Set((1...100).flatMap { number in ["A", "B"].map { TicketNumber(prefix: $0, lane: .ordinary, sequence: number).code } }))
    }

    @Test func anUnwritableStateFolderIsAStorageFaultNotACrash() async throws {
        // A regular file where the folder should be: SQLite cannot create the database below it.
        try Data("not a folder".utf8).write(to: folder.appendingPathComponent("blocked"))
        let blocked = folder.appendingPathComponent("blocked/tickets.sqlite").path
        #expect {
            _ = try TicketLedger(path: blocked)
        } throws: { error in
            (error as? TicketLedgerError)?.isStorageFault == true && (error as? TicketLedgerError)?.detail.contains("blocked") == true
        }
    }
}
