import Foundation
import KioskCore
import KioskHarness
import Portal
import PortalAPI
import Testing

/// The outbox on a disk that fills up, as a kiosk's small SD card does after weeks without a link:
/// a 2 MB tmpfs stands for the disk. Mounting needs root; the tests run as root (so does CI), and a
/// mount that fails is a failure, not a skip: without it nothing here would be checked.
@Suite struct OutboxDiskFullTests {
    /// A tmpfs of its own, mounted on a fresh folder for the length of `body`, then unmounted and removed.
    static func withSmallDisk<Result>(_ purpose: String, size: String,
                                      _ body: (URL) async throws -> Result) async throws -> Result {
        let folder = try PackagePaths.temporaryDirectory(purpose)
        let mounted = try ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", folder.path],
                                           capture: true)
        guard mounted.status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            throw ChildProcess.Failure(description: """
                cannot mount a \(size) tmpfs on \(folder.path) (exit status \(mounted.status)): \(mounted.output)
                This test fills a small disk on purpose and must run as root (CI does), with mount(8) allowed.
                """)
        }
        defer {
            // Lazily if something still holds a file there: the mount goes when the last holder closes it.
            if (try? ChildProcess.run("/bin/umount", [folder.path], capture: true).status) != 0 {
                _ = try? ChildProcess.run("/bin/umount", ["--lazy", folder.path], capture: true)
            }
            try? FileManager.default.removeItem(at: folder)
        }
        return try await body(folder)
    }

    @Test func aFullDiskRefusesAsDiskFullLeavesNothingHalfWrittenAndAcceptsAgainOnceSpaceIsFreed() async throws {
        try await Self.withSmallDisk("outbox-disk-full", size: "2m") { disk in
            // Taken before the outbox fills the rest, so space can be given back afterwards.
            let filler = disk.appendingPathComponent("filler")
            try Data(repeating: 0x5a, count: 512 * 1024).write(to: filler)
            let sealer = OutboxTests.sealer()
            let outboxFolder = disk.appendingPathComponent("outbox")
            let outbox = try OutboxTests.openOutbox(outboxFolder, sealer: sealer)

            var accepted: [AcceptedApplication] = []
            var failure: OutboxError?
            // 40 applications of 200 KB are four times the disk: it fills up long before.
            for _ in 0..<40 {
                do throws(OutboxError) {
                    accepted.append(try await outbox.accept(OutboxTests.intake(pageBytes: 200_000), at: Date()))
                } catch {
                    failure = error
                    break
                }
            }
            let error = try #require(failure, "40 applications of 200 KB fitted on a 2 MB disk")
            #expect(error.kind == .storageFull, "\(error.kind): \(error.detail)")
            #expect(error.detail.contains("the disk is full"), "\(error.detail)")
            #expect(error.functionFailure == .storageFault)
            #expect(accepted.count >= 2, "the disk filled before two applications fitted: it shows nothing about keeping them")

            // Nothing half-written: no staging folder, and exactly one page folder per recorded application.
            let attachments = outboxFolder.appendingPathComponent("attachments")
            let folders = try FileManager.default.contentsOfDirectory(atPath: attachments.path)
            #expect(!folders.contains { $0.hasPrefix(".staging-") }, "\(folders)")
            let entries = try await outbox.recent(limit: 100)
            #expect(Set(entries.map(\.kioskCode)) == Set(accepted.map(\.code.digits)))
            #expect(Set(folders) == Set(entries.map(\.idempotencyKey)))

            // Every application accepted before the disk filled is whole, also for an outbox opened
            // afresh (as after a restart).
            let reopened = try OutboxTests.openOutbox(outboxFolder, sealer: sealer)
            for entry in entries {
                try Self.expectWhole(entry, in: outbox)
                try Self.expectWhole(entry, in: reopened)
            }

            try FileManager.default.removeItem(at: filler)
            let again = try await outbox.accept(OutboxTests.intake(pageBytes: 200_000), at: Date())
            let entry = try #require(try await outbox.find(code: again.code.digits))
            try Self.expectWhole(entry, in: outbox)
            #expect(try await outbox.summary().pending == accepted.count + 1)
        }
    }

    @Test func aDatabaseThatCannotGrowIsReportedAsDiskFullAndLosesNothing() async throws {
        try await Self.withSmallDisk("outbox-database-full", size: "2m") { disk in
            let sealer = OutboxTests.sealer()
            let outboxFolder = disk.appendingPathComponent("outbox")
            let outbox = try OutboxTests.openOutbox(outboxFolder, sealer: sealer)
            var accepted = [try await outbox.accept(Self.pagelessIntake(), at: Date())]

            // The rest of the disk taken by 16 KB files, so the next thing to run out of room is
            // the database itself (applications without pages write no page file).
            let fillers = disk.appendingPathComponent("fillers")
            try FileManager.default.createDirectory(at: fillers, withIntermediateDirectories: false)
            var fillerCount = 0
            while true {
                let file = fillers.appendingPathComponent("\(fillerCount)")
                do {
                    try Data(repeating: 0x5a, count: 16 * 1024).write(to: file)
                    fillerCount += 1
                } catch {
                    try? FileManager.default.removeItem(at: file)
                    break
                }
                if fillerCount > 200 { break }
            }
            #expect(fillerCount < 200, "2 MB held more than 3 MB of fillers")

            var failure: OutboxError?
            for _ in 0..<2_000 {
                do throws(OutboxError) {
                    accepted.append(try await outbox.accept(Self.pagelessIntake(), at: Date()))
                } catch {
                    failure = error
                    break
                }
            }
            let error = try #require(failure, "the database kept growing on a full disk")
            #expect(error.kind == .storageFull, "\(error.kind): \(error.detail)")
            #expect(error.detail.contains("the disk is full"), "\(error.detail)")
            #expect(error.detail.contains("SQLite"), "not the database that ran out of room: \(error.detail)")

            let folders = try FileManager.default.contentsOfDirectory(atPath: outboxFolder.appendingPathComponent("attachments").path)
            let entries = try await outbox.recent(limit: 5_000)
            #expect(Set(entries.map(\.kioskCode)) == Set(accepted.map(\.code.digits)))
            #expect(Set(folders) == Set(entries.map(\.idempotencyKey)), "a folder without its row, or a row without its folder")
            let reopened = try OutboxTests.openOutbox(outboxFolder, sealer: sealer)
            for entry in entries {
                let submission = try JSONDecoder().decode(ApplicationSubmission.self, from: try reopened.requestBody(for: entry))
                #expect(submission.kioskCode == entry.kioskCode)
            }

            try FileManager.default.removeItem(at: fillers)
            let again = try await outbox.accept(Self.pagelessIntake(), at: Date())
            #expect(try await reopened.find(code: again.code.digits) != nil)
        }
    }

    /// An application with no pages: accepting it writes to the database only.
    static func pagelessIntake() -> ApplicationIntake {
        var intake = OutboxTests.intake(pageBytes: 0)
        intake.attachments = []
        return intake
    }

    /// The application opens, its request body decodes, and its page is the one the citizen scanned.
    static func expectWhole(_ entry: OutboxEntry, in outbox: Outbox) throws {
        let submission = try JSONDecoder().decode(ApplicationSubmission.self, from: try outbox.requestBody(for: entry))
        #expect(submission.kioskCode == entry.kioskCode)
        let attachment = try #require(submission.attachments.first)
        let content = try #require(Data(base64Encoded: attachment.contentBase64))
        #expect(content.count == 200_000 + OutboxTests.pageMarker.utf8.count)
        #expect(content.suffix(OutboxTests.pageMarker.utf8.count) == Data(OutboxTests.pageMarker.utf8))
    }
}
