import Foundation
import GRDB
import PortalAPI

/// The simulator's durable memory: applications, their decoded attachments, the answer each
/// idempotency key got, and how many POSTs each key has seen. SQLite in WAL mode with
/// `synchronous = FULL`, so an answer the client received survives a `kill -9` or a power cut:
/// tests kill and restart portal-sim on the same file to simulate outages.
final class ApplicationStore: Sendable {
    private let database: DatabasePool

    /// The answer stored for an idempotency key, replayed byte for byte on a repeat.
    struct StoredAnswer: Sendable {
        let fingerprint: String
        let status: Int
        let body: Data
    }

    /// What filing an application came to.
    enum FilingResult: Sendable {
        /// Stored in one transaction with its answer.
        case filed(portalCode: String, answer: StoredAnswer)
        /// Another key already filed this kiosk code: nothing stored.
        case kioskCodeAlreadyFiled
    }

    /// Opens (creating if missing) the database at `path`.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // FULL: the WAL is synced on every commit, so a stored answer is on disk before it is sent.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        // DatabasePool opens the file in WAL mode: readers (status look-ups) never wait for a filing.
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "application") { table in
                // AUTOINCREMENT: ids (and so portal codes) are never reused, even after deletions by hand.
                table.autoIncrementedPrimaryKey("id")
                table.column("portalCode", .text).notNull().unique()
                table.column("kioskCode", .text).notNull().unique()
                table.column("idempotencyKey", .text).notNull().unique()
                table.column("fingerprint", .text).notNull()
                table.column("filedAt", .double).notNull()
                // The submission as received, attachments' content left out (it is in `attachment`).
                table.column("submission", .blob).notNull()
                table.column("answerStatus", .integer).notNull()
                table.column("answerBody", .blob).notNull()
                table.column("overrideStatus", .text)
                table.column("overrideNote", .text)
                table.column("overrideAt", .double)
            }
            try db.create(table: "attachment") { table in
                table.autoIncrementedPrimaryKey("id")
                table.belongsTo("application", onDelete: .cascade).notNull()
                table.column("position", .integer).notNull()
                table.column("fileName", .text).notNull()
                table.column("mediaType", .text).notNull()
                table.column("sha256", .text).notNull()
                table.column("content", .blob).notNull()
            }
            // Every POST per key, whatever became of it: the proof of exactly-once filing despite retries.
            try db.create(table: "postRequest") { table in
                table.primaryKey("idempotencyKey", .text)
                table.column("count", .integer).notNull()
            }
        }
        return migrator
    }

    // MARK: Filing

    /// The answer stored for `key`, if an application was filed with it. Synchronous: the
    /// idempotency gate calls it inside its own critical section.
    func storedAnswer(forKey key: String) throws -> StoredAnswer? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT fingerprint, answerStatus, answerBody FROM application WHERE idempotencyKey = ?",
                             arguments: [key])
                .map { StoredAnswer(fingerprint: $0["fingerprint"], status: $0["answerStatus"], body: $0["answerBody"]) }
        }
    }

    /// Counts one more POST with `key`.
    func countPost(key: String) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO postRequest (idempotencyKey, count) VALUES (?, 1)
                ON CONFLICT (idempotencyKey) DO UPDATE SET count = count + 1
                """, arguments: [key])
        }
    }

    /// Files `submission` and stores the answer `makeAnswer` writes for its new portal code, all in
    /// one transaction: either the application and its answer are both on disk or neither is.
    func file(_ submission: CheckedSubmission, key: String, fingerprint: String, filedAt: Date,
              makeAnswer: @escaping @Sendable (_ portalCode: String) throws -> Data) async throws -> FilingResult {
        try await database.write { db in
            let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM application WHERE kioskCode = ?)",
                                          arguments: [submission.kioskCode]) ?? false
            if taken { return .kioskCodeAlreadyFiled }
            // Writes are serialised, so the next id is ours until this transaction ends.
            let nextID = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'application'") ?? 1
            let portalCode = PortalCode.make(sequence: nextID)
            let body = try makeAnswer(portalCode)
            try db.execute(sql: """
                INSERT INTO application (id, portalCode, kioskCode, idempotencyKey, fingerprint, filedAt, submission,
                                         answerStatus, answerBody)
                VALUES (?, ?, ?, ?, ?, ?, ?, 201, ?)
                """, arguments: [nextID, portalCode, submission.kioskCode, key, fingerprint, filedAt.timeIntervalSince1970,
                                 submission.recordWithoutContent, body])
            for (position, attachment) in submission.attachments.enumerated() {
                try db.execute(sql: """
                    INSERT INTO attachment (applicationId, position, fileName, mediaType, sha256, content)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [nextID, position, attachment.fileName, attachment.mediaType, attachment.sha256,
                                     attachment.content])
            }
            return .filed(portalCode: portalCode, answer: StoredAnswer(fingerprint: fingerprint, status: 201, body: body))
        }
    }

    // MARK: Looking up

    /// The application whose portal code or kiosk code is `code`.
    func application(code: String) async throws -> ApplicationRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "\(ApplicationRecord.selection) WHERE portalCode = ? OR kioskCode = ?",
                             arguments: [code, code])
                .map(ApplicationRecord.init(row:))
        }
    }

    /// Every application, oldest first.
    func allApplications() async throws -> [ApplicationRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "\(ApplicationRecord.selection) ORDER BY id").map(ApplicationRecord.init(row:))
        }
    }

    /// Sets the status of the application with portal or kiosk code `code` by hand; nil if there is none.
    func overrideStatus(code: String, status: PortalStatus, note: String?, at date: Date) async throws -> ApplicationRecord? {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE application SET overrideStatus = ?, overrideNote = ?, overrideAt = ?
                WHERE portalCode = ? OR kioskCode = ?
                """, arguments: [status.rawValue, note, date.timeIntervalSince1970, code, code])
            return try Row.fetchOne(db, sql: "\(ApplicationRecord.selection) WHERE portalCode = ? OR kioskCode = ?",
                                    arguments: [code, code])
                .map(ApplicationRecord.init(row:))
        }
    }
}
