import Crypto
import Foundation
import GRDB
import KioskCore
import PortalAPI

/// The applications the kiosk has accepted and not yet handed over for good: the store half of
/// store-and-forward. SQLite through GRDB (WAL, `synchronous=FULL`) for the rows; one folder per
/// application holding its portal request (pages included), sealed.
///
/// Accepting is ordered so a printed receipt is always backed by the disk: the request is written,
/// fsynced and renamed into place first; then one transaction confirms the day's next code and
/// commits the row. A crash before the commit leaves at most a folder with no row, removed when the outbox
/// next opens; a crash after it leaves a complete application the forwarder sends after restart.
/// Personal data (applicant, delivery address, pages) is sealed with `PersonalDataSealer` before it
/// is written, and wiped once the portal has confirmed it and the retention period has passed.
public final class Outbox: Sendable {
    public let directory: String
    private let database: DatabasePool
    private let outcomeCommits: GroupCommit
    private let codeChoice = TurnTaking()
    private let sealer: PersonalDataSealer
    private let kioskID: String
    private let kioskNumber: String
    private let timeZone: TimeZone
    private var attachmentsFolder: String { directory + "/attachments" }

    public init(directory: String, kioskID: String, kioskNumber: String, timeZone: TimeZone,
                sealer: PersonalDataSealer) throws(OutboxError) {
        self.directory = directory
        self.sealer = sealer
        self.kioskID = kioskID
        self.kioskNumber = kioskNumber
        self.timeZone = timeZone
        do {
            try FileManager.default.createDirectory(atPath: directory + "/attachments", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            var configuration = Configuration()
            configuration.label = "outbox"
            // FULL: the WAL is fsynced at every commit, so an accepted application survives a power cut.
            // secure_delete: freed space is zeroed, so wiped personal data does not linger in free pages.
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA secure_delete = ON")
            }
            database = try DatabasePool(path: directory + "/outbox.sqlite", configuration: configuration)
            outcomeCommits = GroupCommit(database: database)
            try Self.migrator.migrate(database)
        } catch let error as OutboxError {
            throw error
        } catch {
            throw Self.storageFailure("open the outbox in \(directory)", error)
        }
        try removeUnfinishedAttachments()
        try upgradeEarlyLayout()
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE application (
                    id INTEGER PRIMARY KEY,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    kiosk_code TEXT NOT NULL UNIQUE,
                    day TEXT NOT NULL,
                    sequence INTEGER NOT NULL CHECK (sequence > 0),
                    procedure_code TEXT NOT NULL,
                    accepted_at REAL NOT NULL,
                    submitted_at_text TEXT NOT NULL,
                    sealed_content BLOB,
                    attachment_count INTEGER NOT NULL,
                    attachment_bytes INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'refused')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL,
                    last_error TEXT,
                    portal_code TEXT,
                    portal_status TEXT,
                    status_note TEXT,
                    status_updated_at REAL,
                    delivered_at REAL,
                    wiped_at REAL,
                    UNIQUE (day, sequence)
                );
                CREATE INDEX application_due ON application (state, next_attempt_at);
                CREATE INDEX application_by_portal_code ON application (portal_code);
                """)
        }
        return migrator
    }

    /// The sealed part of a row: everything personal, and how to find and check the pages.
    struct SealedContent: Codable {
        var applicant: ApplicationSubmission.Applicant
        var delivery: ApplicationSubmission.Delivery
        var attachments: [StoredAttachment]
    }

    struct StoredAttachment: Codable {
        var fileName: String
        var mediaType: String
        var sha256: String
        var storedName: String
    }

    // MARK: - Accepting

    /// Records the application durably and returns its code; only then may a receipt be printed.
    /// Throws (with nothing left behind) when the disk cannot take it.
    ///
    /// The portal's request is built here, once, while the pages are in memory, and kept sealed in
    /// the application's folder: every attempt then sends those very bytes (the portal's idempotency
    /// compares payloads) and the forwarder only reads and opens one file. The request carries the
    /// kiosk code, so the code is chosen first and confirmed at commit.
    public func accept(_ intake: ApplicationIntake, at instant: Date) async throws(OutboxError) -> AcceptedApplication {
        let key = UUID().uuidString.lowercased()
        let folder = attachmentsFolder + "/" + key
        let staging = attachmentsFolder + "/.staging-" + key
        let day = QueueDay.containing(instant, timeZone: timeZone, dayStartsAt: ClockTime(hour: 0, minute: 0)!)
        let submittedAt = Self.timestamp(instant, timeZone: timeZone)
        let digests = intake.attachments.map { Self.hex(SHA256.hash(data: $0.content)) }
        let pages = zip(intake.attachments, digests).map { attachment, digest in
            ApplicationSubmission.Attachment(fileName: attachment.fileName, mediaType: attachment.mediaType, sha256: digest,
                                             contentBase64: attachment.content.base64EncodedString())
        }
        let stored = zip(intake.attachments, digests).map { attachment, digest in
            StoredAttachment(fileName: attachment.fileName, mediaType: attachment.mediaType, sha256: digest, storedName: Self.requestFileName)
        }
        do throws(OutboxError) {
            let content = SealedContent(applicant: intake.applicant, delivery: intake.delivery, attachments: stored)
            let sealedContent = try sealer.seal(try Self.encode(content), boundTo: key)
            // One accept at a time chooses, writes and commits: concurrent ones would keep taking each
            // other's codes. The confirmation at commit stays, for a second process on the same outbox.
            await codeChoice.begin()
            do throws(OutboxError) {
                let accepted = try await commitWithNextCode(key: key, day: day, submittedAt: submittedAt, intake: intake, pages: pages,
                                                            sealedContent: sealedContent, instant: instant)
                await codeChoice.end()
                return accepted
            } catch {
                await codeChoice.end()
                throw error
            }
        } catch {
            // Nothing half-written remains: the folder of an application that has no row is removed.
            DurableFiles.remove(staging)
            DurableFiles.remove(folder)
            throw error
        }
    }

    /// Chooses the day's next code, writes the request that carries it, and commits the row; chooses
    /// again if the code was taken meanwhile.
    private func commitWithNextCode(key: String, day: LocalDate, submittedAt: String, intake: ApplicationIntake,
                                    pages: [ApplicationSubmission.Attachment], sealedContent: Data,
                                    instant: Date) async throws(OutboxError) -> AcceptedApplication {
        let folder = attachmentsFolder + "/" + key
        let staging = attachmentsFolder + "/.staging-" + key
        let (sealer, kioskNumber, attachmentsFolder, count, total) = (sealer, kioskNumber, attachmentsFolder, pages.count,
                                                                       intake.attachments.reduce(0) { $0 + $1.content.count })
        for _ in 1...Self.codeChoices {
            let sequence = try await read("choose the application code") { db in
                (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM application WHERE day = ?", arguments: [day.description]) ?? 0) + 1
            }
            guard let code = ApplicationCode(kioskNumber: kioskNumber, day: day, sequence: sequence) else {
                throw OutboxError(.dayFull, "\(ApplicationCode.maximumSequence) applications already taken on \(day)")
            }
            let request = try Self.encode(ApplicationSubmission(kioskCode: code.digits, kioskID: kioskID, procedureCode: intake.procedureCode,
                                                                submittedAt: submittedAt, applicant: intake.applicant,
                                                                delivery: intake.delivery, attachments: pages))
            try await Self.onBlockingQueue { () throws(OutboxError) in
                try DurableFiles.makeFolder(staging)
                try DurableFiles.write(try sealer.seal(request, boundTo: key), to: staging + "/" + Self.requestFileName)
                try DurableFiles.syncFolder(staging)
                try DurableFiles.rename(staging, to: folder)
                try DurableFiles.syncFolder(attachmentsFolder)
            }
            do {
                try await database.write { db throws in
                    let last = try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM application WHERE day = ?",
                                                arguments: [day.description]) ?? 0
                    guard last + 1 == sequence else { throw CodeTaken() }
                    try db.execute(sql: """
                        INSERT INTO application (idempotency_key, kiosk_code, day, sequence, procedure_code, accepted_at,
                            submitted_at_text, sealed_content, attachment_count, attachment_bytes, state, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                        """, arguments: [key, code.digits, day.description, sequence, intake.procedureCode,
                                         instant.timeIntervalSince1970, submittedAt, sealedContent, count, total,
                                         instant.timeIntervalSince1970])
                }
            } catch is CodeTaken {
                DurableFiles.remove(folder)
                continue
            } catch {
                throw Self.storageFailure("record the application", error)
            }
            return AcceptedApplication(code: code, acceptedAt: instant, attachmentCount: count)
        }
        throw OutboxError(.damaged, "no free application code after \(Self.codeChoices) tries: another process is filing into this outbox")
    }

    /// The sealed request in each application's folder.
    static let requestFileName = "request.sealed"
    /// How many times an accept chooses a code before giving up (accepts in this process take turns;
    /// each loss means another process committed in between).
    private static let codeChoices = 20

    /// The code chosen was committed by another accept meanwhile.
    private struct CodeTaken: Error {}

    /// Removes what an interrupted `accept` left: staging folders, and page folders with no row.
    private func removeUnfinishedAttachments() throws(OutboxError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: attachmentsFolder)) ?? []
        let keys: Set<String>
        do {
            keys = Set(try database.read { db in try String.fetchAll(db, sql: "SELECT idempotency_key FROM application") })
        } catch {
            throw Self.storageFailure("read the outbox", error)
        }
        for name in names where name.hasPrefix(".staging-") || !keys.contains(name) {
            DurableFiles.remove(attachmentsFolder + "/" + name)
        }
    }

    /// Outboxes written before the request was built at accept kept each page as its own sealed file
    /// and built the request at every attempt. Each pending application of that layout gets its
    /// request built once, exactly as that code built it (same bytes, so a retry the portal already
    /// saw is still recognised), written durably beside the pages, and only then are the pages removed.
    private func upgradeEarlyLayout() throws(OutboxError) {
        let rows: [Row]
        do {
            rows = try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT idempotency_key, kiosk_code, procedure_code, submitted_at_text, sealed_content
                    FROM application WHERE state = 'pending' AND sealed_content IS NOT NULL
                    """)
            }
        } catch {
            throw Self.storageFailure("read the outbox", error)
        }
        upgrading: for row in rows {
            guard let key = row["idempotency_key"] as String?, let sealed = row["sealed_content"] as Data? else { continue }
            let folder = attachmentsFolder + "/" + key
            guard !FileManager.default.fileExists(atPath: folder + "/" + Self.requestFileName) else { continue }
            let code = row["kiosk_code"] as String? ?? "?"
            let content: SealedContent
            do {
                content = try JSONDecoder().decode(SealedContent.self, from: try sealer.open(sealed, boundTo: key))
            } catch {
                // Left as it is: the forwarder reports it as not sendable, with this application's code.
                continue
            }
            var pages: [ApplicationSubmission.Attachment] = []
            for stored in content.attachments {
                // A page gone missing or unreadable: left as it is, for the forwarder to report with the code.
                guard let sealedPage = FileManager.default.contents(atPath: folder + "/" + stored.storedName),
                      let page = try? sealer.open(sealedPage, boundTo: key) else { continue upgrading }
                pages.append(.init(fileName: stored.fileName, mediaType: stored.mediaType, sha256: stored.sha256,
                                   contentBase64: page.base64EncodedString()))
            }
            let request = try Self.encode(ApplicationSubmission(
                kioskCode: code, kioskID: kioskID, procedureCode: row["procedure_code"] as String? ?? "",
                submittedAt: row["submitted_at_text"] as String? ?? "", applicant: content.applicant, delivery: content.delivery,
                attachments: pages))
            let staging = folder + "/." + Self.requestFileName
            DurableFiles.remove(staging)
            try DurableFiles.write(try sealer.seal(request, boundTo: key), to: staging)
            try DurableFiles.rename(staging, to: folder + "/" + Self.requestFileName)
            try DurableFiles.syncFolder(folder)
            for stored in content.attachments where stored.storedName != Self.requestFileName {
                DurableFiles.remove(folder + "/" + stored.storedName)
            }
        }
    }

    // MARK: - Forwarding

    /// Pending applications whose next attempt is due, oldest first.
    public func due(at instant: Date, limit: Int) async throws(OutboxError) -> [OutboxEntry] {
        // A pending row always has its next attempt time (accepting sets it to the moment of
        // acceptance), so this is a range of the (state, next_attempt_at) index read in order, and
        // costs the same with ten or ten thousand applications waiting. Earliest due first; the
        // index's implicit rowid orders ties by acceptance.
        try await entries(where: "state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
                          arguments: [instant.timeIntervalSince1970, limit])
    }

    /// When the next pending application becomes due, if any is pending.
    public func nextAttemptTime() async throws(OutboxError) -> Date? {
        try await read("find the next attempt") { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM application WHERE state = 'pending'")
                .map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// The exact request body the portal gets for this application: the same bytes on every attempt,
    /// which is what lets the portal recognise a retry (idempotency compares payloads). Built and
    /// sealed when the application was accepted.
    public func requestBody(for entry: OutboxEntry) throws(OutboxError) -> Data {
        let path = attachmentsFolder + "/" + entry.idempotencyKey + "/" + Self.requestFileName
        guard let sealed = FileManager.default.contents(atPath: path) else {
            throw OutboxError(.damaged, "application \(entry.kioskCode): its request is missing (wiped?)")
        }
        return try sealer.open(sealed, boundTo: entry.idempotencyKey)
    }

    /// Makes every pending application due now (a new portal address or certificate: failures
    /// against the old one say nothing about when to try the new one). Returns how many.
    @discardableResult
    public func makePendingDue(at instant: Date) async throws(OutboxError) -> Int {
        do {
            return try await database.write { db in
                try db.execute(sql: "UPDATE application SET next_attempt_at = ? WHERE state = 'pending'",
                               arguments: [instant.timeIntervalSince1970])
                return db.changesCount
            }
        } catch {
            throw Self.storageFailure("make pending applications due", error)
        }
    }

    /// The portal confirmed the application (first answer or a replay of it).
    public func recordDelivered(_ entry: OutboxEntry, report: ApplicationStatusReport, at instant: Date) async throws(OutboxError) {
        try await recordOutcome("record \(entry.kioskCode) delivered", sql: """
            UPDATE application SET state = 'delivered', attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL,
                portal_code = ?, portal_status = ?, status_note = ?, status_updated_at = ?, delivered_at = ?
            WHERE id = ?
            """, arguments: [report.portalCode, report.status.rawValue, report.note, instant.timeIntervalSince1970,
                             instant.timeIntervalSince1970, entry.id])
    }

    /// An attempt failed in a way worth retrying; the next one is due at `nextAttempt`.
    public func recordRetry(_ entry: OutboxEntry, error: String, nextAttempt: Date) async throws(OutboxError) {
        try await recordOutcome("record a retry of \(entry.kioskCode)", sql: """
            UPDATE application SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'
            """, arguments: [error, nextAttempt.timeIntervalSince1970, entry.id])
    }

    /// The portal refused the application for good; a technician must look at it.
    public func recordRefused(_ entry: OutboxEntry, error: String) async throws(OutboxError) {
        try await recordOutcome("record \(entry.kioskCode) refused", sql: """
            UPDATE application SET state = 'refused', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL WHERE id = ?
            """, arguments: [error, entry.id])
    }

    /// A technician sends a refused application again (after the portal side was fixed).
    public func retryNow(kioskCode: String, at instant: Date) async throws(OutboxError) -> Bool {
        try await read("look up \(kioskCode)") { _ in () }
        do {
            return try await database.write { db in
                try db.execute(sql: """
                    UPDATE application SET state = 'pending', next_attempt_at = ? WHERE kiosk_code = ? AND state != 'delivered'
                    """, arguments: [instant.timeIntervalSince1970, kioskCode])
                return db.changesCount > 0
            }
        } catch {
            throw Self.storageFailure("retry \(kioskCode)", error)
        }
    }

    /// The portal told us where the application stands (a look-up or a status refresh).
    public func recordStatus(_ report: ApplicationStatusReport, at instant: Date) async throws(OutboxError) {
        try await write("record the status of \(report.kioskCode)", sql: """
            UPDATE application SET portal_code = ?, portal_status = ?, status_note = ?, status_updated_at = ?
            WHERE kiosk_code = ?
            """, arguments: [report.portalCode, report.status.rawValue, report.note, instant.timeIntervalSince1970, report.kioskCode])
    }

    /// Applications the portal confirmed whose progress is worth asking about again: the portal has
    /// not yet reported them delivered to the citizen, the kiosk last heard about them before
    /// `heardBefore`, and they were taken after `acceptedAfter`. Least recently heard first.
    public func statusesToRefresh(heardBefore: Date, acceptedAfter: Date) async throws(OutboxError) -> [OutboxEntry] {
        try await entries(where: """
            state = 'delivered' AND COALESCE(portal_status, '') != ? AND COALESCE(status_updated_at, delivered_at, 0) < ?
                AND accepted_at >= ?
            ORDER BY COALESCE(status_updated_at, delivered_at, 0), id
            """, arguments: [PortalStatus.delivered.rawValue, heardBefore.timeIntervalSince1970, acceptedAfter.timeIntervalSince1970])
    }

    // MARK: - Looking up, wiping, reporting

    /// The application with this kiosk code or portal code, if this kiosk took it.
    public func find(code: String) async throws(OutboxError) -> OutboxEntry? {
        try await entries(where: "kiosk_code = ? OR portal_code = ? LIMIT 1", arguments: [code, code]).first
    }

    /// The most recent applications, newest first (kioskctl outbox).
    public func recent(limit: Int, state: OutboxState? = nil) async throws(OutboxError) -> [OutboxEntry] {
        if let state {
            return try await entries(where: "state = ? ORDER BY id DESC LIMIT ?", arguments: [state.rawValue, limit])
        }
        return try await entries(where: "1 ORDER BY id DESC LIMIT ?", arguments: [limit])
    }

    /// Wipes the personal data and pages of applications the portal confirmed before `cutoff`.
    /// The row stays (code, portal code, status) so the citizen can still look the application up.
    @discardableResult
    public func wipeDelivered(before cutoff: Date, at instant: Date) async throws(OutboxError) -> Int {
        let keys = try await read("find applications to wipe") { db in
            try String.fetchAll(db, sql: """
                SELECT idempotency_key FROM application WHERE state = 'delivered' AND wiped_at IS NULL AND delivered_at <= ?
                """, arguments: [cutoff.timeIntervalSince1970])
        }
        guard !keys.isEmpty else { return 0 }
        // The row is cleared first: a crash between the two leaves files no row refers to, which the
        // next start removes; the other order could leave a row pointing at missing pages.
        for key in keys {
            try await write("wipe an application", sql: """
                UPDATE application SET sealed_content = NULL, wiped_at = ? WHERE idempotency_key = ?
                """, arguments: [instant.timeIntervalSince1970, key])
            DurableFiles.remove(attachmentsFolder + "/" + key)
        }
        try await onBlockingQueueWipe()
        return keys.count
    }

    /// SQLite keeps freed pages (with the old bytes) until they are reused: after wiping, they are
    /// zeroed (secure_delete) and the WAL is checkpointed so no copy of the wiped data stays on disk.
    private func onBlockingQueueWipe() async throws(OutboxError) {
        do {
            try await database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw Self.storageFailure("checkpoint after wiping", error)
        }
    }

    public func summary() async throws(OutboxError) -> OutboxSummary {
        try await read("summarise the outbox") { db in
            let counts = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM application GROUP BY state")
            var byState: [String: Int] = [:]
            for row in counts { byState[row["state"]] = row["n"] }
            let wiped = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM application WHERE wiped_at IS NOT NULL") ?? 0
            let oldest = try Double.fetchOne(db, sql: "SELECT MIN(accepted_at) FROM application WHERE state = 'pending'")
            let lastError = try String.fetchOne(db, sql: """
                SELECT last_error FROM application WHERE last_error IS NOT NULL AND state != 'delivered' ORDER BY id DESC LIMIT 1
                """)
            return OutboxSummary(pending: byState["pending"] ?? 0, delivered: byState["delivered"] ?? 0, refused: byState["refused"] ?? 0,
                                 wiped: wiped, oldestPendingAcceptedAt: oldest.map { Date(timeIntervalSince1970: $0) },
                                 lastError: lastError)
        }
    }

    // MARK: - Plumbing

    private func entries(where clause: String, arguments: StatementArguments) async throws(OutboxError) -> [OutboxEntry] {
        try await read("read the outbox") { db in
            // Every column but the sealed content, which only `requestBody` needs.
            try Row.fetchAll(db, sql: "SELECT \(Self.entryColumns) FROM application WHERE " + clause, arguments: arguments).map(Self.entry)
        }
    }

    private static let entryColumns = "id, kiosk_code, idempotency_key, procedure_code, accepted_at, state, attempts, next_attempt_at, "
        + "last_error, portal_code, portal_status, status_note, status_updated_at, delivered_at, wiped_at, attachment_count, attachment_bytes"

    private static func entry(_ row: Row) -> OutboxEntry {
        func date(_ column: String) -> Date? { (row[column] as Double?).map { Date(timeIntervalSince1970: $0) } }
        return OutboxEntry(id: row["id"], kioskCode: row["kiosk_code"], idempotencyKey: row["idempotency_key"],
                           procedureCode: row["procedure_code"], acceptedAt: date("accepted_at") ?? .distantPast,
                           state: OutboxState(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
                           nextAttemptAt: date("next_attempt_at"), lastError: row["last_error"], portalCode: row["portal_code"],
                           portalStatus: (row["portal_status"] as String?).flatMap(PortalStatus.init(rawValue:)),
                           statusNote: row["status_note"], statusUpdatedAt: date("status_updated_at"),
                           deliveredAt: date("delivered_at"), wipedAt: date("wiped_at"),
                           attachmentCount: row["attachment_count"], attachmentBytes: row["attachment_bytes"])
    }

    private func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(OutboxError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw Self.storageFailure(operation, error)
        }
    }

    /// Records an attempt's outcome. Outcomes answered at about the same moment share one
    /// transaction (and one fsync) instead of queueing for one commit each: while a batch commits,
    /// the next gathers. Safe to delay, since an outcome lost with its batch only means the
    /// application is sent again with its key, and the portal answers from what it stored.
    private func recordOutcome(_ operation: String, sql: String, arguments: StatementArguments) async throws(OutboxError) {
        let result = await outcomeCommits.commit(OutcomeStatement(sql: sql, arguments: arguments))
        if case let .failure(error) = result { throw Self.storageFailure(operation, error) }
    }

    private func write(_ operation: String, sql: String, arguments: StatementArguments) async throws(OutboxError) {
        do {
            try await database.write { db in try db.execute(sql: sql, arguments: arguments) }
        } catch {
            throw Self.storageFailure(operation, error)
        }
    }

    /// A database failure while doing `operation`: a full disk (SQLITE_FULL, which SQLite also
    /// reports for ENOSPC on its own files) is told apart, the rest is a storage fault.
    static func storageFailure(_ operation: String, _ error: any Error) -> OutboxError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL {
            return .diskFull(operation, "SQLite: \(error.message ?? "database or disk is full")")
        }
        return OutboxError(.storage, "\(operation): \(error)")
    }

    /// Runs blocking file work (writes and fsyncs) off the cooperative pool.
    private static func onBlockingQueue<T: Sendable>(_ work: @escaping @Sendable () throws(OutboxError) -> T) async throws(OutboxError) -> T {
        let outcome: Result<T, OutboxError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                do throws(OutboxError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try outcome.get()
    }

    static func encode<T: Encodable>(_ value: T) throws(OutboxError) -> Data {
        do {
            return try PortalWire.encoder().encode(value)
        } catch {
            throw OutboxError(.damaged, "encode: \(error)")
        }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// ISO 8601 with the kiosk's offset, as the portal receives `submittedAt`.
    static func timestamp(_ instant: Date, timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: instant)
    }
}

/// One UPDATE of an attempt's outcome, waiting for its batch.
struct OutcomeStatement: @unchecked Sendable {
    // @unchecked: StatementArguments holds only the Sendable values the record functions put in it.
    let sql: String
    let arguments: StatementArguments
}

/// Group commit: statements submitted while a transaction is being written wait and go together in
/// the next one. Every statement of a batch gets the batch's result.
actor GroupCommit {
    private let database: DatabasePool
    private var waiting: [(OutcomeStatement, CheckedContinuation<Result<Void, any Error>, Never>)] = []
    private var committing = false

    init(database: DatabasePool) {
        self.database = database
    }

    func commit(_ statement: OutcomeStatement) async -> Result<Void, any Error> {
        await withCheckedContinuation { continuation in
            waiting.append((statement, continuation))
            if !committing {
                committing = true
                Task { await self.commitWaiting() }
            }
        }
    }

    private func commitWaiting() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            let statements = batch.map(\.0)
            let result: Result<Void, any Error>
            do {
                try await database.write { db in
                    for statement in statements { try db.execute(sql: statement.sql, arguments: statement.arguments) }
                }
                result = .success(())
            } catch {
                result = .failure(error)
            }
            for (_, continuation) in batch { continuation.resume(returning: result) }
        }
        committing = false
    }
}
