import Crypto
import Foundation
import KioskCore
import KioskHarness
import Portal
import PortalAPI
import Testing

/// The outbox on a real SQLite file and real files: what a citizen's receipt relies on.
@Suite struct OutboxTests {
    static let citizenID = "001099012345"
    static let phone = "0912345678"
    static let fullName = "Nguyễn Thị Minh Khai"
    static let address = "Số 8 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội"
    /// Stands for a scanned page: its bytes must never be found in the clear on disk.
    static let pageMarker = "SCANNED-PAGE-CONTENT-0123456789"

    static func intake(pageBytes: Int = 200_000) -> ApplicationIntake {
        var page = Data(pageMarker.utf8)
        var generator = SystemRandomNumberGenerator()
        while page.count < pageBytes { page.append(UInt8.random(in: 0...255, using: &generator)) }
        page.append(contentsOf: Data(pageMarker.utf8))
        return ApplicationIntake(
            procedureCode: "1.001193",
            applicant: .init(citizenID: citizenID, fullName: fullName, dateOfBirth: "1999-03-08", gender: "Nữ", phone: phone,
                             address: address),
            delivery: .init(method: "post", address: address),
            attachments: [.init(fileName: "documents.pdf", mediaType: "application/pdf", content: page)])
    }

    static func sealer() -> PersonalDataSealer {
        PersonalDataSealer(key: SymmetricKey(size: .bits256))
    }

    static func openOutbox(_ directory: URL, sealer: PersonalDataSealer = sealer()) throws -> Outbox {
        try Outbox(directory: directory.path, kioskID: "demo-01", kioskNumber: "00417",
                   timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, sealer: sealer)
    }

    /// 2026-12-04 19:30 in Vietnam.
    static let evening = Date(timeIntervalSince1970: 1_796_387_400)

    @Test func codesAreConsecutivePerLocalDayAndCarryTheKioskNumberAndACheckDigit() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-codes")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try Self.openOutbox(directory)
        var codes: [String] = []
        for _ in 0..<3 { codes.append(try await outbox.accept(Self.intake(pageBytes: 1000), at: Self.evening).code.digits) }
        // 17:30 UTC on the same day is already 00:30 the next day in Vietnam: numbering starts again.
        let nextLocalDay = Self.evening.addingTimeInterval(5 * 3600)
        codes.append(try await outbox.accept(Self.intake(pageBytes: 1000), at: nextLocalDay).code.digits)
        let expected = [(4, 1), (4, 2), (4, 3), (5, 1)].map { day, sequence in
            ApplicationCode(kioskNumber: "00417", day: LocalDate(year: 2026, month: 12, day: day), sequence: sequence)?.digits
        }
        #expect(codes == expected)
        for code in codes {
            #expect(code.count == 16)
            guard case .success = ApplicationCode.parse(code) else { Issue.record("\(code) fails its own check digit"); continue }
        }
        #expect(codes.map { String($0.prefix(15)) } == ["004172612040001", "004172612040002", "004172612040003", "004172612050001"])
    }

    @Test func nothingPersonalIsReadableOnDiskButTheRequestBodyCarriesIt() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-sealed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try Self.openOutbox(directory)
        let accepted = try await outbox.accept(Self.intake(), at: Self.evening)

        // The page travels base64-encoded inside the request: that form must not be readable either.
        let secrets = [Self.citizenID, Self.phone, Self.fullName, "Minh Khai", "Hàng Bạc", Self.pageMarker,
                       Data(Self.pageMarker.utf8.prefix(30)).base64EncodedString()]
        let files = try Self.allFiles(directory)
        #expect(files.contains { $0.hasSuffix(".sealed") })
        #expect(files.contains { $0.hasSuffix("outbox.sqlite") })
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            for secret in secrets {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret.count)-character secret readable in \(file)")
            }
        }

        let entry = try #require(try await outbox.find(code: accepted.code.digits))
        let body = try outbox.requestBody(for: entry)
        #expect(try outbox.requestBody(for: entry) == body, "a retry must send the same bytes")
        let submission = try JSONDecoder().decode(ApplicationSubmission.self, from: body)
        #expect(submission.applicant.citizenID == Self.citizenID)
        #expect(submission.applicant.fullName == Self.fullName)
        #expect(submission.kioskCode == accepted.code.digits)
        #expect(submission.submittedAt == "2026-12-04T19:30:00+07:00")
        let attachment = try #require(submission.attachments.first)
        let content = try #require(Data(base64Encoded: attachment.contentBase64))
        #expect(content.count == 200_000 + Self.pageMarker.utf8.count)
        #expect(attachment.sha256 == SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined())
        #expect(content.prefix(Self.pageMarker.utf8.count) == Data(Self.pageMarker.utf8))
    }

    /// The request (which carries the code) is built before the code is committed: applications
    /// accepted at the same moment must still get distinct, consecutive codes, each request its own.
    @Test func applicationsAcceptedAtOnceGetConsecutiveCodesEachInItsOwnRequest() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-at-once")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try Self.openOutbox(directory)
        let codes = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<40 { group.addTask { try await outbox.accept(Self.intake(pageBytes: 2000), at: Self.evening).code.digits } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let expected = (1...40).compactMap {
            ApplicationCode(kioskNumber: "00417", day: LocalDate(year: 2026, month: 12, day: 4), sequence: $0)?.digits
        }
        #expect(codes.sorted() == expected)
        for code in codes {
            let entry = try #require(try await outbox.find(code: code))
            let submission = try JSONDecoder().decode(ApplicationSubmission.self, from: try outbox.requestBody(for: entry))
            #expect(submission.kioskCode == code, "the request of \(code) names \(submission.kioskCode)")
        }
        // Requests built for a code another accept took first are gone.
        let folders = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("attachments").path)
        #expect(folders.count == 40, "\(folders.count) application folders for 40 applications")
    }

    @Test func aDifferentKeyCannotOpenTheApplication() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-wrong-key")
        defer { try? FileManager.default.removeItem(at: directory) }
        let accepted = try await Self.openOutbox(directory).accept(Self.intake(pageBytes: 1000), at: Self.evening)
        let other = try Self.openOutbox(directory, sealer: Self.sealer())
        let entry = try #require(try await other.find(code: accepted.code.digits))
        #expect(throws: OutboxError.self) { try other.requestBody(for: entry) }
    }

    @Test func whatAnInterruptedAcceptLeftIsRemovedWhenTheOutboxOpens() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-leftovers")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sealer = Self.sealer()
        let kept = try await Self.openOutbox(directory, sealer: sealer).accept(Self.intake(pageBytes: 1000), at: Self.evening)
        let attachments = directory.appendingPathComponent("attachments")
        // A crash while writing pages, and one between the rename and the commit.
        for name in [".staging-abc", "0d9c0f7e-orphan"] {
            try FileManager.default.createDirectory(at: attachments.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data("half".utf8).write(to: attachments.appendingPathComponent(name).appendingPathComponent("1.sealed"))
        }
        let reopened = try Self.openOutbox(directory, sealer: sealer)
        let left = try FileManager.default.contentsOfDirectory(atPath: attachments.path)
        #expect(left.count == 1)
        let entry = try #require(try await reopened.find(code: kept.code.digits))
        #expect(left == [entry.idempotencyKey])
        #expect(throws: Never.self) { try reopened.requestBody(for: entry) }
    }

    @Test func anUnwritableOutboxRefusesAndLeavesNothingBehind() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-unwritable")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try Self.openOutbox(directory)
        // The attachments folder replaced by a file: every page write fails (root ignores modes).
        let attachments = directory.appendingPathComponent("attachments")
        try FileManager.default.removeItem(at: attachments)
        try Data().write(to: attachments)
        do {
            _ = try await outbox.accept(Self.intake(pageBytes: 1000), at: Self.evening)
            Issue.record("accepted without a place for its pages")
        } catch {
            #expect(error.kind == .storage)
            #expect(error.detail.contains("attachments"))
        }
        #expect(try await outbox.summary().pending == 0)
        #expect(try await outbox.recent(limit: 10).isEmpty)
    }

    @Test func deliveredApplicationsAreWipedAfterRetentionButStillAnswerLookUps() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-wipe")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try Self.openOutbox(directory)
        let old = try await outbox.accept(Self.intake(pageBytes: 5000), at: Self.evening)
        let recent = try await outbox.accept(Self.intake(pageBytes: 5000), at: Self.evening)
        let oldEntry = try #require(try await outbox.find(code: old.code.digits))
        let recentEntry = try #require(try await outbox.find(code: recent.code.digits))
        let report = ApplicationStatusReport(portalCode: "100000000001", kioskCode: old.code.digits, status: .received,
                                             updatedAt: "2026-12-04T19:31:00+07:00")
        try await outbox.recordDelivered(oldEntry, report: report, at: Self.evening)
        try await outbox.recordDelivered(recentEntry, report: .init(portalCode: "100000000002", kioskCode: recent.code.digits,
                                                                    status: .received, updatedAt: "2026-12-05T19:31:00+07:00"),
                                         at: Self.evening.addingTimeInterval(86_400 * 29))
        // 30 days of retention, checked 30 days and an hour after the first delivery.
        let now = Self.evening.addingTimeInterval(86_400 * 30 + 3600)
        #expect(try await outbox.wipeDelivered(before: now.addingTimeInterval(-86_400 * 30), at: now) == 1)

        let wiped = try #require(try await outbox.find(code: "100000000001"))
        #expect(wiped.wipedAt != nil)
        #expect(wiped.portalStatus == .received)
        #expect(throws: OutboxError.self) { try outbox.requestBody(for: wiped) }
        let folders = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("attachments").path)
        #expect(folders == [recentEntry.idempotencyKey])
        #expect(try await outbox.find(code: recent.code.digits)?.wipedAt == nil)
        #expect(try await outbox.summary().wiped == 1)
    }

    @Test func theKeyFileMustBeTheOwnersAloneAndHold32Bytes() throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-key")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("outbox.key").path
        let hex = String(repeating: "3f", count: 32) + "\n"
        FileManager.default.createFile(atPath: path, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o644])
        #expect(throws: OutboxError.self) { try PersonalDataSealer.load(.file(path)) }
        chmod(path, 0o600)
        let sealer = try PersonalDataSealer.load(.file(path))
        let sealed = try sealer.seal(Data("x".utf8), boundTo: "a")
        #expect(try PersonalDataSealer(key: SymmetricKey(data: Data(repeating: 0x3f, count: 32))).open(sealed, boundTo: "a") == Data("x".utf8))
        #expect(throws: OutboxError.self) { try sealer.open(sealed, boundTo: "another application") }

        try Data(repeating: 7, count: 16).write(to: URL(fileURLWithPath: path))
        #expect(throws: OutboxError.self) { try PersonalDataSealer.load(.file(path)) }

        // A systemd credential: found under CREDENTIALS_DIRECTORY.
        let credentials = directory.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: credentials.appendingPathComponent("kiosk-outbox-key").path,
                                       contents: Data(repeating: 1, count: 32), attributes: [.posixPermissions: 0o400])
        #expect(throws: Never.self) {
            try PersonalDataSealer.load(.systemdCredential("kiosk-outbox-key"), environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        }
        #expect(throws: OutboxError.self) { try PersonalDataSealer.load(.systemdCredential("kiosk-outbox-key"), environment: [:]) }
    }

    static func allFiles(_ directory: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { files.append(path) }
        }
        return files
    }
}
