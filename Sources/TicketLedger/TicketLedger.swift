import Foundation
import GRDB
import KioskCore

/// The durable record of every queue number the kiosk has given out: SQLite through GRDB, WAL,
/// `synchronous=FULL`, so a number is on disk before it is printed or spoken.
///
/// Numbers are consecutive per numbering day, service, round and line. Each ticket row is inserted in one
/// transaction that also picks the next number, and the `UNIQUE(day, prefix, round, lane, sequence)`
/// constraint makes a repeat impossible even for a caller that bypasses this type. A number whose
/// printing failed becomes `void` and is never given out again; a row still `issued` when the ledger
/// opens belongs to a daemon that died between the commit and the printer's answer, and is voided as
/// `interrupted` (it may or may not have come out of the printer; either way it is never reissued).
public final class TicketLedger: Sendable {
    private let database: DatabasePool
    public let path: String

    /// Opens (creating if needed) the ledger at `path`, then voids the rows a crash left `issued`.
    public init(path: String) throws(TicketLedgerError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "tickets"
            // FULL: the WAL is fsynced at every commit, so a committed number survives a power cut.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
            try database.write { db in
                try db.execute(sql: "UPDATE ticket SET state = 'void', void_reason = 'interrupted' WHERE state = 'issued'")
            }
        } catch {
            throw TicketLedgerError(operation: "open \(path)", underlying: error)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tickets") { db in
            try db.execute(sql: """
                CREATE TABLE ticket (
                    id INTEGER PRIMARY KEY,
                    day TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    lane TEXT NOT NULL CHECK (lane IN ('ordinary', 'priority')),
                    sequence INTEGER NOT NULL CHECK (sequence > 0),
                    code TEXT NOT NULL,
                    priority_class TEXT,
                    issued_at REAL NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('issued', 'printed', 'void')),
                    void_reason TEXT,
                    printed_at REAL,
                    prints INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (day, prefix, lane, sequence)
                );
                CREATE INDEX ticket_by_day ON ticket (day, prefix);
                """)
        }
        // A numbering round (`kioskctl queue reset`): numbers of a service start again at 1 within
        // the day. SQLite cannot change a table's UNIQUE constraint, so the table is rebuilt with
        // `round` in it; the tickets already recorded are round 1.
        migrator.registerMigration("v2-rounds") { db in
            try db.execute(sql: """
                CREATE TABLE ticket_with_rounds (
                    id INTEGER PRIMARY KEY,
                    day TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    round INTEGER NOT NULL DEFAULT 1 CHECK (round > 0),
                    lane TEXT NOT NULL CHECK (lane IN ('ordinary', 'priority')),
                    sequence INTEGER NOT NULL CHECK (sequence > 0),
                    code TEXT NOT NULL,
                    priority_class TEXT,
                    issued_at REAL NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('issued', 'printed', 'void')),
                    void_reason TEXT,
                    printed_at REAL,
                    prints INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (day, prefix, round, lane, sequence)
                );
                INSERT INTO ticket_with_rounds (id, day, prefix, round, lane, sequence, code, priority_class, issued_at, state,
                                                void_reason, printed_at, prints)
                    SELECT id, day, prefix, 1, lane, sequence, code, priority_class, issued_at, state, void_reason, printed_at, prints
                    FROM ticket;
                DROP TABLE ticket;
                ALTER TABLE ticket_with_rounds RENAME TO ticket;
                CREATE INDEX ticket_by_day ON ticket (day, prefix);
                CREATE TABLE queue_round (
                    day TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    round INTEGER NOT NULL CHECK (round > 1),
                    started_at REAL NOT NULL,
                    PRIMARY KEY (day, prefix)
                );
                """)
        }
        return migrator
    }

    /// Starts a new numbering round of each of `prefixes` on `day`: their next numbers are 1 again
    /// (the earlier tickets stay recorded). Returns the round each service is now in.
    public func startNewRound(of prefixes: [String], day: LocalDate, at instant: Date) async throws(TicketLedgerError) -> [String: Int] {
        let dayText = day.description
        do {
            return try await database.write { db in
                var rounds: [String: Int] = [:]
                for prefix in prefixes {
                    let round = try Self.currentRound(db, day: dayText, prefix: prefix) + 1
                    try db.execute(sql: """
                        INSERT INTO queue_round (day, prefix, round, started_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (day, prefix) DO UPDATE SET round = excluded.round, started_at = excluded.started_at
                        """, arguments: [dayText, prefix, round, instant.timeIntervalSince1970])
                    rounds[prefix] = round
                }
                return rounds
            }
        } catch {
            throw TicketLedgerError(operation: "start a new numbering round", underlying: error)
        }
    }

    private static func currentRound(_ db: Database, day: String, prefix: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT round FROM queue_round WHERE day = ? AND prefix = ?", arguments: [day, prefix]) ?? 1
    }

    /// Gives out the next number of `prefix`'s line on `day` and commits it before returning.
    public func issue(kioskID: String, prefix: String, priorityClass: PriorityClass?, day: LocalDate,
                      at instant: Date) async throws(TicketLedgerError) -> IssuedTicket {
        let lane: TicketLane = priorityClass == nil ? .ordinary : .priority
        let dayText = day.description
        do {
            return try await database.write { db in
                let round = try Self.currentRound(db, day: dayText, prefix: prefix)
                let last = try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM ticket WHERE day = ? AND prefix = ? AND round = ? AND lane = ?",
                                            arguments: [dayText, prefix, round, lane.rawValue]) ?? 0
                // Called before this one: the same line; on the ordinary line, the priority line too.
                // Earlier rounds count as well: a reset restarts the numbers, not the waiting room.
                let lanesAhead = lane == .ordinary ? ["ordinary", "priority"] : ["priority"]
                let ahead = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM ticket WHERE day = ? AND prefix = ?
                    AND lane IN (\(lanesAhead.map { "'\($0)'" }.joined(separator: ",")))
                    AND NOT (state = 'void' AND void_reason = 'interrupted')
                    """, arguments: [dayText, prefix]) ?? 0
                let number = TicketNumber(prefix: prefix, lane: lane, sequence: last + 1)
                try db.execute(sql: """
                    INSERT INTO ticket (day, prefix, round, lane, sequence, code, priority_class, issued_at, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'issued')
                    """, arguments: [dayText, prefix, round, lane.rawValue, number.sequence, number.code, priorityClass?.rawValue,
                                     instant.timeIntervalSince1970])
                return IssuedTicket(recordID: db.lastInsertedRowID, kioskID: kioskID, day: day, number: number,
                                    priorityClass: priorityClass, issuedAt: instant, waitingAhead: ahead, round: round)
            }
        } catch {
            throw TicketLedgerError(operation: "issue a number for \(prefix)", underlying: error)
        }
    }

    /// The printer took the whole ticket (also after a reprint of a void one).
    public func markPrinted(_ recordID: Int64, at instant: Date) async throws(TicketLedgerError) {
        try await update("mark ticket \(recordID) printed",
                         sql: "UPDATE ticket SET state = 'printed', void_reason = NULL, printed_at = ?, prints = prints + 1 WHERE id = ?",
                         arguments: [instant.timeIntervalSince1970, recordID])
    }

    /// Printing failed: the number stays taken, the citizen was told it, and it is never given out again.
    public func markVoid(_ recordID: Int64, reason: String) async throws(TicketLedgerError) {
        try await update("void ticket \(recordID)",
                         sql: "UPDATE ticket SET state = 'void', void_reason = ? WHERE id = ? AND state != 'printed'",
                         arguments: [reason, recordID])
    }

    private func update(_ operation: String, sql: String, arguments: StatementArguments) async throws(TicketLedgerError) {
        do {
            try await database.write { db in try db.execute(sql: sql, arguments: arguments) }
        } catch {
            throw TicketLedgerError(operation: operation, underlying: error)
        }
    }

    /// Every ticket of `day`, in the order given out.
    public func tickets(on day: LocalDate) async throws(TicketLedgerError) -> [TicketRecord] {
        try await records(where: "day = ?", arguments: [day.description])
    }

    /// Every ticket ever recorded, oldest first (tests, diagnostics).
    public func allTickets() async throws(TicketLedgerError) -> [TicketRecord] {
        try await records(where: "1", arguments: [])
    }

    private func records(where condition: String, arguments: StatementArguments) async throws(TicketLedgerError) -> [TicketRecord] {
        do {
            return try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM ticket WHERE \(condition) ORDER BY id", arguments: arguments).map { row in
                    TicketRecord(recordID: row["id"], day: row["day"],
                                 number: TicketNumber(prefix: row["prefix"], lane: TicketLane(rawValue: row["lane"]) ?? .ordinary,
                                                      sequence: row["sequence"]),
                                 priorityClass: (row["priority_class"] as String?).flatMap(PriorityClass.init(rawValue:)),
                                 issuedAt: Date(timeIntervalSince1970: row["issued_at"]),
                                 state: TicketRecord.State(rawValue: row["state"]) ?? .void, voidReason: row["void_reason"],
                                 printedAt: (row["printed_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                 prints: row["prints"], round: row["round"])
                }
            }
        } catch {
            throw TicketLedgerError(operation: "read tickets", underlying: error)
        }
    }
}

/// One row of the ledger, as technicians and tests see it. Holds no personal data: tickets are anonymous.
public struct TicketRecord: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Committed; the printer's answer is not in yet.
        case issued
        case printed
        /// Printing failed or was interrupted; the number is never given out again.
        case void
    }

    public var recordID: Int64
    public var day: String
    public var number: TicketNumber
    public var priorityClass: PriorityClass?
    public var issuedAt: Date
    public var state: State
    public var voidReason: String?
    public var printedAt: Date?
    /// How many times the printer took this ticket whole (a reprint adds one).
    public var prints: Int
    /// The numbering round of the day (1 unless a technician reset the service's numbers).
    public var round: Int

    public init(recordID: Int64, day: String, number: TicketNumber, priorityClass: PriorityClass?, issuedAt: Date, state: State,
                voidReason: String?, printedAt: Date?, prints: Int, round: Int = 1) {
        self.round = round
        self.recordID = recordID
        self.day = day
        self.number = number
        self.priorityClass = priorityClass
        self.issuedAt = issuedAt
        self.state = state
        self.voidReason = voidReason
        self.printedAt = printedAt
        self.prints = prints
    }
}

/// The ledger could not be read or written: the kiosk stops giving out numbers (a number that is not
/// on disk could be given out twice) and says so; every other function keeps working.
public struct TicketLedgerError: Error, Sendable, CustomStringConvertible {
    public let detail: String
    /// The disk is full or the file system refuses writes (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR,
    /// SQLITE_CANTOPEN): a technician must free space or fix permissions.
    public let isStorageFault: Bool

    public init(operation: String, underlying: any Error) {
        if let error = underlying as? DatabaseError {
            let code = error.resultCode
            isStorageFault = [.SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PERM].contains(code)
            detail = "\(operation): SQLite \(code): \(error.message ?? "")"
        } else {
            isStorageFault = true
            detail = "\(operation): \(underlying)"
        }
    }

    public var description: String { detail }
}
