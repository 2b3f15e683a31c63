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
