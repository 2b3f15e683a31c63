import ControlProtocol
import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kioskctl volume`: the level each citizen's session starts at, heard at once when the kiosk is
/// idle, kept across a restart, and never low enough to leave a blind citizen without the menu.
@Suite struct KioskctlVolumeTests {
    static func kioskctl(_ arguments: [String], _ socket: String) throws -> (status: Int32, output: String) {
        try ChildProcess.run(KioskctlTests.kioskctl, arguments + ["--socket", socket], capture: true)
    }

    /// Says `phrase` through the kiosk and returns the RMS amplitude of what was heard.
    static func loudness(of phrase: String, kiosk: DemoKiosk, socket: String) throws -> Double {
        let before = kiosk.spokenUtterances().count
        let (status, output) = try kioskctl(["say", phrase], socket)
        #expect(status == 0, "\(output)")
        // The phrase said this time, not an earlier saying of it.
        let deadline = ContinuousClock.now + .seconds(15)
        var heard: SpokenUtterance?
        while heard == nil && ContinuousClock.now < deadline {
            heard = kiosk.spokenUtterances().dropFirst(before).first { $0.text == phrase && !$0.interrupted && $0.seconds > 1 }
            if heard == nil { usleep(100_000) }
        }
        return try SoxStatistics(file: try #require(heard, "\(phrase) was not heard").file).rmsAmplitude
    }

    @Test func aTechniciansStartingVolumeIsHeardAtOnceAndSurvivesARestart() throws {
        let (kiosk, daemon) = try KioskctlTests.startedKiosk("ctl-volume")
        let socket = kiosk.controlSocket.path
        var (status, output) = try Self.kioskctl(["volume"], socket)
        #expect(status == 0 && output == "starting volume 70 (the profile's)\n", "\(output)")

        (status, output) = try Self.kioskctl(["volume", "30"], socket)
        #expect(status == 0 && output == "starting volume 30 (set by a technician; the profile says 70)\napplied now\n", "\(output)")
        // The idle kiosk says the new level, at that level.
        #expect(kiosk.waitForSpoken { $0.text == "Âm lượng ba mươi." } != nil, "\(kiosk.spokenUtterances().map(\.text))")
        let phrase = "Kiểm tra âm lượng, một hai ba bốn năm."
        let quiet = try Self.loudness(of: phrase, kiosk: kiosk, socket: socket)
        (status, output) = try Self.kioskctl(["volume", "90"], socket)
        #expect(status == 0, "\(output)")
        let loud = try Self.loudness(of: phrase, kiosk: kiosk, socket: socket)
        // Gain is linear in the level: 30 against 90 is a third (the same words, the same voice).
        #expect(abs(quiet / loud - 1.0 / 3.0) < 0.05, "rms at 30: \(quiet), at 90: \(loud)")

        (status, output) = try Self.kioskctl(["volume", "5"], socket)
        #expect(status == 76 && output.contains("a level from 10 to 100"), "\(output)")
        (status, output) = try Self.kioskctl(["volume", "loud"], socket)
        #expect(status == 76, "\(output)")

        // A restart keeps the technician's level (the state directory holds it).
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
        let restarted = try kiosk.start()
        #expect(kiosk.waitUntilReady() != nil, "\(restarted.standardError)")
        (status, output) = try Self.kioskctl(["volume", "--json"], socket)
        let report = try JSONDecoder().decode(VolumeReport.self, from: Data(output.utf8))
        #expect(report == VolumeReport(startingVolume: 90, profileVolume: 70, setByTechnician: true, appliedNow: false))
        #expect(restarted.standardError.contains("starting volume set by a technician") && restarted.standardError.contains("volume=90"))
        let afterRestart = try Self.loudness(of: phrase, kiosk: kiosk, socket: socket)
        #expect(abs(afterRestart / loud - 1) < 0.05, "rms after restart \(afterRestart), before \(loud)")

        // Back to the profile's level.
        (status, output) = try Self.kioskctl(["volume", "profile"], socket)
        #expect(status == 0 && output == "starting volume 70 (the profile's)\napplied now\n", "\(output)")
        #expect(!FileManager.default.fileExists(atPath: kiosk.stateDirectory.appendingPathComponent("starting-volume").path))
        restarted.send(SIGTERM)
        #expect(restarted.waitForExit(timeout: .seconds(3)) == 0)
    }

    @Test func aCitizenBeingServedKeepsTheirVolumeAndTheNextSessionStartsAtTheNewOne() throws {
        let kiosk = try DemoKiosk(purpose: "ctl-volume-busy")
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        let socket = kiosk.controlSocket.path
        try terminal.type("1")
        try terminal.waitFor("Lấy số thứ tự")
        var (status, output) = try Self.kioskctl(["volume", "40"], socket)
        #expect(status == 0 && output.hasSuffix("a citizen is being served: applies from the next session\n"), "\(output)")
        #expect(!kiosk.spokenUtterances().contains { $0.text == "Âm lượng bốn mươi." }, "the citizen's session is not interrupted")
        (status, output) = try Self.kioskctl(["volume", "--json"], socket)
        #expect(try JSONDecoder().decode(VolumeReport.self, from: Data(output.utf8)).startingVolume == 40)
    }
}

extension ApplicationFilingTests.FilingKiosk {
    /// Files an application on the control socket and waits until the portal holds it.
    func fileDelivered(citizenID: String = "001199012345", phone: String = "0912345678") async throws -> ApplicationFiledReport {
        let socket = socket
        let filed = try #require(await offThePool { controlExchange(socket, "application-file",
                                                                     applicationArguments(citizenID: citizenID, phone: phone)) }?.application)
        #expect(try await ApplicationFilingTests.waitForPortal(simulator, toHold: filed.code) != nil)
        return filed
    }

    /// Stops kioskd as systemd would and expects a clean exit.
    func stopDaemon() async {
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(5)) } == 0)
    }
}

/// `kioskctl logs`: the daemon's recent lines, table and JSON, with nothing personal in them.
@Suite struct KioskctlLogsTests {
    @Test func recentLinesAreShownNewestLastAndHoldNoPersonalData() async throws {
        let setup = try await ApplicationFilingTests.FilingKiosk.start("ctl-logs")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let socket = setup.socket
        let citizenID = "001199012345", phone = "0912345678"
        let filed = try await setup.fileDelivered(citizenID: citizenID, phone: phone)

        // The newest three first, then everything: the three are the end of what was logged when asked.
        let (jsonStatus, json) = try KioskctlVolumeTests.kioskctl(["logs", "-n", "3", "--json"], socket)
        #expect(jsonStatus == 0)
        let lastThree = try JSONDecoder().decode([String].self, from: Data(json.utf8))
        #expect(lastThree.count == 3, "\(lastThree)")
        let (status, table) = try KioskctlVolumeTests.kioskctl(["logs", "--lines", "2000"], socket)
        #expect(status == 0)
        let lines = table.split(separator: "\n").map(String.init)
        let started = try #require(lines.firstIndex { $0.contains(" kioskd: starting ") }, "\(lines.prefix(3))")
        let filedLine = try #require(lines.firstIndex { $0.contains("application filed on the control socket") && $0.contains("code=\(filed.code)") })
        #expect(started < filedLine)
        let atThree = try #require(lines.firstIndex(of: lastThree[0]), "\(lastThree[0]) is not in the full log")
        #expect(Array(lines[atThree..<min(atThree + 3, lines.count)]) == lastThree)
        // Every line is timestamped (the journal's copy is not, the technician's is).
        #expect(lines.allSatisfy { $0.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"#, options: .regularExpression) != nil })
        #expect(!table.contains(citizenID) && !table.contains(phone))

        let (badStatus, bad) = try KioskctlVolumeTests.kioskctl(["logs", "--lines", "0"], socket)
        #expect(badStatus == 76 && bad.contains("a number from 1 to 2000"), "\(bad)")
        await setup.stopDaemon()
    }
}

/// `kioskctl outbox purge-delivered`: the delivered applications' personal data and pages go at once;
/// their codes and statuses stay, and nothing undelivered is touched.
@Suite struct KioskctlPurgeDeliveredTests {
    @Test func deliveredApplicationsAreWipedAndPendingOnesKept() async throws {
        let setup = try await ApplicationFilingTests.FilingKiosk.start("ctl-purge")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let (kiosk, socket) = (setup.kiosk, setup.socket)
        let delivered = try await setup.fileDelivered()
        let attachments = kiosk.stateDirectory.appendingPathComponent("outbox/attachments")
        func outboxEntries() throws -> [OutboxReport.Application] {
            let (status, json) = try KioskctlVolumeTests.kioskctl(["outbox", "list", "--json"], socket)
            #expect(status == 0 || status == 75, "\(json)")
            return try JSONDecoder().decode(OutboxReport.self, from: Data(json.utf8)).applications
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while try outboxEntries().first(where: { $0.code == delivered.code })?.state != "delivered" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try outboxEntries().first { $0.code == delivered.code }?.state == "delivered")
        // The portal goes away: the next application stays pending.
        _ = try await setup.simulator.stop()
        let pending = try #require(await offThePool { controlExchange(socket, "application-file", applicationArguments()) }?.application)
        let foldersBefore = try FileManager.default.contentsOfDirectory(atPath: attachments.path)
        #expect(foldersBefore.count == 2, "\(foldersBefore)")

        var (status, output) = try KioskctlVolumeTests.kioskctl(["outbox", "purge-delivered"], socket)
        #expect(status == 0 && output == "wiped the personal data of 1 delivered application\n", "\(output)")
        let entries = try outboxEntries()
        #expect(entries.first { $0.code == delivered.code }?.wiped == true)
        #expect(entries.first { $0.code == delivered.code }?.portalCode != nil, "the code and portal code stay for look-ups")
        #expect(entries.first { $0.code == pending.code }.map { $0.state == "pending" && !$0.wiped } == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: attachments.path).count == 1, "the delivered pages are gone")
        #expect(setup.daemon.standardError.contains("delivered applications wiped by a technician"))

        (status, output) = try KioskctlVolumeTests.kioskctl(["outbox", "purge-delivered", "--json"], socket)
        #expect(status == 0 && output.contains("\"wiped\" : 0"), "\(output)")
        await setup.stopDaemon()
    }
}

/// `kioskctl diagnostics --out FILE`: an archive `tar` reads, with status, the profile's secrets
/// withheld, the recent log and the outbox, and no personal data anywhere in it.
@Suite struct KioskctlDiagnosticsTests {
    @Test func theArchiveHoldsStatusProfileLogAndOutboxButNothingPersonal() async throws {
        let setup = try await ApplicationFilingTests.FilingKiosk.start("ctl-diagnostics")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let (kiosk, socket) = (setup.kiosk, setup.socket)
        let citizenID = "001199012345", phone = "0912345678"
        let filed = try await setup.fileDelivered(citizenID: citizenID, phone: phone)

        let archive = setup.folder.appendingPathComponent("support.tar.gz").path
        let (status, output) = try KioskctlVolumeTests.kioskctl(["diagnostics", "--out", archive], socket)
        #expect(status == 0 && output.hasPrefix("wrote \(archive): status.txt, status.json, profile.yaml, kioskd.log, outbox.json in "),
                "\(output)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int)
        #expect(mode == 0o600, "mode \(String(mode, radix: 8))")
        #expect(try ChildProcess.run("/bin/gzip", ["-t", archive], capture: true).status == 0)
        let (listed, listing) = try ChildProcess.run("/bin/tar", ["-tzf", archive], capture: true)
        #expect(listed == 0, "\(listing)")
        let names = listing.split(separator: "\n").map(String.init)
        let folder = try #require(names.first, "\(listing)")
        #expect(folder.range(of: #"^kiosk-diagnostics-demo-01-\d{8}T\d{6}/$"#, options: .regularExpression) != nil, "\(folder)")
        #expect(Set(names.dropFirst()) == Set(["status.txt", "status.json", "profile.yaml", "kioskd.log", "outbox.json"].map { folder + $0 }))

        let unpacked = setup.folder.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        #expect(try ChildProcess.run("/bin/tar", ["-xzf", archive, "-C", unpacked.path], capture: true).status == 0)
        let inside = unpacked.appendingPathComponent(folder)
        func member(_ name: String) throws -> String { try String(contentsOf: inside.appendingPathComponent(name), encoding: .utf8) }

        let statusReport = try JSONDecoder().decode(KioskStatusReport.self, from: Data(try member("status.json").utf8))
        #expect(statusReport.kioskID == "demo-01" && statusReport.devices.count == 5)
        #expect(try member("status.txt").contains("ticket-printer   online"))
        let profile = try member("profile.yaml")
        #expect(profile.contains("encryption_key_file: (withheld)"), "\(profile)")
        #expect(!profile.contains(kiosk.outboxKeyFile.path))
        #expect(profile.contains("id: demo-01") && profile.contains("keypad:"), "the rest of the profile is as written")
        let log = try member("kioskd.log")
        #expect(log.contains(" kioskd: starting ") && log.contains("code=\(filed.code)"))
        let outbox = try JSONDecoder().decode(OutboxReport.self, from: Data(try member("outbox.json").utf8))
        #expect(outbox.applications.map(\.code) == [filed.code])
        let (grepped, found) = try ChildProcess.run("/bin/grep", ["-r", "-l", "-e", citizenID, "-e", phone, unpacked.path], capture: true)
        #expect(grepped == 1, "personal data in the archive: \(found)")

        let (unwritable, refusal) = try KioskctlVolumeTests.kioskctl(["diagnostics", "--out", "/nonexistent/folder/x.tar.gz"], socket)
        #expect(unwritable == 73 && refusal.contains("cannot write /nonexistent/folder/x.tar.gz"), "\(refusal)")
        await setup.stopDaemon()
    }
}

/// `kioskctl queue reset`: a service's numbers start at 001 again, on the printed ticket too, and
/// the round survives a restart; the other services go on.
@Suite struct KioskctlQueueResetTests {
    @Test func resetServicesStartAtOneAgainAndTheRoundSurvivesARestart() throws {
        let (kiosk, daemon) = try KioskctlTests.startedKiosk("ctl-queue-reset")
        let socket = kiosk.controlSocket.path
        for service in ["A", "A", "B"] {
            let (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "issue", service], socket)
            #expect(status == 0, "\(output)")
        }
        var (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "reset", "A"], socket)
        #expect(status == 0 && output.hasPrefix("A: round 2 of ") && output.hasSuffix("; the next number is A001\n"), "\(output)")
        #expect(daemon.standardError.contains("queue numbers reset by a technician") && daemon.standardError.contains("services=A:round2"))
        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "issue", "A"], socket)
        #expect(status == 0 && output == "A001 printed\n", "\(output)")
        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "issue", "B"], socket)
        #expect(output == "B002 printed\n", "service B was not reset: \(output)")
        // The tickets that came out of the printer: their QR codes tell the two A001 apart by round.
        let printed = kiosk.ticketPrinter.waitForTickets(5)
        let identities = try Zbar.decode(printed.map(\.image.path)).map { $0.split(separator: ":").suffix(2).joined(separator: ":") }
        #expect(identities.count == 5 && identities.filter { $0.hasSuffix(":A001") }.count == 2, "\(identities)")
        #expect(identities.contains { $0.range(of: #"^\d{8}\.2:A001$"#, options: .regularExpression) != nil }, "\(identities)")
        #expect(identities.contains { $0.range(of: #"^\d{8}:A001$"#, options: .regularExpression) != nil }, "\(identities)")

        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
        let restarted = try kiosk.start()
        #expect(kiosk.waitUntilReady() != nil, "\(restarted.standardError)")
        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "issue", "A"], socket)
        #expect(output == "A002 printed\n", "the round is kept across a restart: \(output)")

        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "today"], socket)
        #expect(output.contains("NUMBER  ROUND  LINE"), "\(output)")
        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "today", "--json"], socket)
        let queue = try JSONDecoder().decode(QueueReport.self, from: Data(output.utf8))
        #expect(queue.tickets.map(\.number) == ["A001", "A002", "B001", "A001", "B002", "A002"])
        #expect(queue.tickets.map(\.round) == [1, 1, 1, 2, 1, 2])

        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "reset", "Z"], socket)
        #expect(status == 76 && output.contains("no service Z"), "\(output)")
        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "reset"], socket)
        #expect(status == 64 && output.contains("name the services to reset, or --all"), "\(output)")
        (status, output) = try KioskctlVolumeTests.kioskctl(["queue", "reset", "--all", "--json"], socket)
        #expect(try JSONDecoder().decode(QueueReport.self, from: Data(output.utf8)).rounds?["A"] == 3, "\(output)")
        restarted.send(SIGTERM)
        #expect(restarted.waitForExit(timeout: .seconds(3)) == 0)
    }
}
