import Crypto
import Foundation
import KioskCore
import KioskHarness
@testable import Portal
import PortalAPI
import Testing

/// An outbox written before requests were built at accept (each page its own sealed file, the
/// request built at every attempt) still sends its pending applications after the upgrade, with
/// the very bytes the earlier code sent, so the portal recognises a retry of one it already saw.
@Suite struct OutboxEarlyLayoutTests {
    @Test func aPendingApplicationStoredPageByPageGetsItsRequestBuiltOnceWhenTheOutboxOpens() async throws {
        let directory = try PackagePaths.temporaryDirectory("outbox-early-layout")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sealer = OutboxTests.sealer()
        // The schema, as any outbox has it.
        _ = try OutboxTests.openOutbox(directory, sealer: sealer)

        // One pending application as the earlier code stored it.
        let key = UUID().uuidString.lowercased()
        let day = LocalDate(year: 2026, month: 12, day: 4)
        let code = try #require(ApplicationCode(kioskNumber: "00417", day: day, sequence: 1)).digits
        var generator = SystemRandomNumberGenerator()
        let page = Data((0..<5_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let digest = SHA256.hash(data: page).map { String(format: "%02x", $0) }.joined()
        let folder = directory.appendingPathComponent("attachments/\(key)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try sealer.seal(page, boundTo: key).write(to: folder.appendingPathComponent("1.sealed"))
        let intake = OutboxTests.intake(pageBytes: 10)
        let content = Outbox.SealedContent(applicant: intake.applicant, delivery: intake.delivery,
                                           attachments: [.init(fileName: "documents.pdf", mediaType: "application/pdf", sha256: digest,
                                                               storedName: "1.sealed")])
        let sealedContent = try sealer.seal(try Outbox.encode(content), boundTo: key)
        let submittedAt = "2026-12-04T19:30:00+07:00"
        let accepted = OutboxTests.evening.timeIntervalSince1970
        let insert = """
            INSERT INTO application (idempotency_key, kiosk_code, day, sequence, procedure_code, accepted_at, submitted_at_text,
                sealed_content, attachment_count, attachment_bytes, state, next_attempt_at)
            VALUES ('\(key)', '\(code)', '\(day)', 1, '1.001193', \(accepted), '\(submittedAt)',
                X'\(sealedContent.map { String(format: "%02X", $0) }.joined())', 1, \(page.count), 'pending', \(accepted));
            """
        let (status, output) = try ChildProcess.run("/usr/bin/sqlite3", [directory.appendingPathComponent("outbox.sqlite").path, insert],
                                                    capture: true)
        #expect(status == 0, "\(output)")

        // The upgraded kiosk opens it.
        let outbox = try OutboxTests.openOutbox(directory, sealer: sealer)
        let entry = try #require(try await outbox.find(code: code))
        #expect(entry.state == .pending)
        let body = try outbox.requestBody(for: entry)
        // Byte for byte what the earlier code built for this application.
        let earlier = try Outbox.encode(ApplicationSubmission(
            kioskCode: code, kioskID: "demo-01", procedureCode: "1.001193", submittedAt: submittedAt,
            applicant: intake.applicant, delivery: intake.delivery,
            attachments: [.init(fileName: "documents.pdf", mediaType: "application/pdf", sha256: digest,
                                contentBase64: page.base64EncodedString())]))
        #expect(body == earlier)
        // The pages now live only inside the sealed request.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [Outbox.requestFileName])
        // Opening again changes nothing.
        let reopened = try OutboxTests.openOutbox(directory, sealer: sealer)
        #expect(try reopened.requestBody(for: entry) == earlier)
    }
}
