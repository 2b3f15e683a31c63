import ControlProtocol
import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A technician's kioskctl against a running kioskd, and everyone else refused.
@Suite struct KioskctlTests {
    static let kioskctl = PackagePaths.products.appendingPathComponent("kioskctl").path

    static func startedKiosk(_ purpose: String) throws -> (DemoKiosk, DaemonProcess) {
        let kiosk = try DemoKiosk(purpose: purpose)
        let daemon = try kiosk.start()
        guard kiosk.waitUntilReady() != nil else { throw ChildProcess.Failure(description: "no READY: \(daemon.standardError)") }
        return (kiosk, daemon)
    }

    @Test func statusShowsEveryDeviceAsATableAndAsJSON() throws {
        let (kiosk, daemon) = try Self.startedKiosk("ctl-status")
        let (status, table) = try ChildProcess.run(Self.kioskctl, ["status", "--socket", kiosk.controlSocket.path], capture: true)
        #expect(status == 0, "\(table)")
        #expect(table.contains("kiosk     demo-01"))
        #expect(table.contains("offering  take-ticket, submit-application, look-up, help"))
        for row in ["scanner          online", "receipt-printer  online", "ticket-printer   online", "speech           online"] {
            #expect(table.contains(row), "no row \(row):\n\(table)")
        }
        #expect(table.contains("tickets   0 issued today"), "\(table)")
        // The demo kiosk has no outbox key: the technician sees at once that applications are not taken.
        #expect(table.contains("outbox    applications NOT taken: "), "\(table)")
        #expect(table.contains("portal    last answer none since start"), "\(table)")
        let (issued, issueOutput) = try ChildProcess.run(Self.kioskctl, ["queue", "issue", "A", "--socket", kiosk.controlSocket.path],
                                                         capture: true)
        #expect(issued == 0, "\(issueOutput)")
        let (_, afterTicket) = try ChildProcess.run(Self.kioskctl, ["status", "--socket", kiosk.controlSocket.path], capture: true)
        #expect(afterTicket.contains("tickets   1 issued today"), "\(afterTicket)")
        let (jsonStatus, json) = try ChildProcess.run(Self.kioskctl, ["status", "--json", "--socket", kiosk.controlSocket.path], capture: true)
        #expect(jsonStatus == 0)
        let report = try JSONDecoder().decode(KioskStatusReport.self, from: Data(json.utf8))
        #expect(report.kioskID == "demo-01")
        #expect(report.devices.map(\.kind) == ["scanner", "receipt-printer", "ticket-printer", "speech", "keypad"])
        #expect(report.devices.first { $0.kind == "ticket-printer" }?.identity == "usb:04b8:0e02")
        #expect(report.ticketsIssuedToday == 1)
        #expect(report.outbox?.unavailable != nil && report.outbox?.lastPortalAnswerAt == nil)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }

    @Test func anotherUserIsRefusedAndTheAttemptLogged() throws {
        let (kiosk, daemon) = try Self.startedKiosk("ctl-nobody")
        let (status, output) = try ChildProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                                         Self.kioskctl, "status", "--socket", kiosk.controlSocket.path],
                                                    capture: true)
        #expect(status == 77, "\(output)")
        #expect(output.contains("not-authorised: only root and members of the group kiosk-maint may control this kiosk"))
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline && !daemon.standardError.contains("control request refused") { usleep(50_000) }
        #expect(daemon.standardError.contains("control request refused") && daemon.standardError.contains("uid=65534"))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }

    @Test func badRequestsGetErrorAnswersAndTheDaemonKeepsServing() throws {
        let (kiosk, daemon) = try Self.startedKiosk("ctl-bad")
        let connection = try ControlSocket.connect(path: kiosk.controlSocket.path)
        func exchange(_ line: String) throws -> ControlResponse? {
            try connection.writeLine(Data(line.utf8))
            return try connection.readLine(maximumBytes: 1 << 20, timeout: .seconds(5)).flatMap {
                try? JSONDecoder().decode(ControlResponse.self, from: $0)
            }
        }
        #expect(try exchange("not json at all")?.error?.code == "malformed")
        #expect(try exchange("{\"version\":1}")?.error?.code == "malformed")
        #expect(try exchange("{\"version\":9,\"command\":\"status\",\"arguments\":{}}")?.error?.code == "unsupported-version")
        #expect(try exchange("{\"version\":1,\"command\":\"format-disk\",\"arguments\":{}}")?.error?.code == "unknown-command")
        #expect(try exchange("{\"version\":1,\"command\":\"status\",\"arguments\":{}}")?.status?.kioskID == "demo-01")
        // Oversized: answered, then the connection is closed; a new one is served.
        let oversized = try ControlSocket.connect(path: kiosk.controlSocket.path)
        try oversized.writeLine(Data(repeating: UInt8(ascii: "x"), count: ControlProtocol.maximumRequestBytes + 10))
        let answer = try oversized.readLine(maximumBytes: 1 << 20, timeout: .seconds(5)).flatMap {
            try? JSONDecoder().decode(ControlResponse.self, from: $0)
        }
        #expect(answer?.error?.code == "too-large")
        let (status, _) = try ChildProcess.run(Self.kioskctl, ["status", "--socket", kiosk.controlSocket.path], capture: true)
        #expect(status == 0)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }

    @Test func anAbsentDaemonIsExitStatus69() throws {
        let (status, output) = try ChildProcess.run(Self.kioskctl, ["status", "--socket", "/nonexistent/control.sock"], capture: true)
        #expect(status == 69)
        #expect(output.contains("kioskctl: cannot reach kioskd at /nonexistent/control.sock"))
    }
}

/// `kioskctl profile check|reload` as a technician uses them during maintenance.
@Suite struct KioskctlProfileTests {
    @Test func checkListsEveryProblemAndReloadRefusesABrokenProfile() throws {
        let (kiosk, daemon) = try KioskctlTests.startedKiosk("ctl-profile")
        let socket = kiosk.controlSocket.path
        var (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["profile", "check", "--socket", socket], capture: true)
        #expect(status == 0)
        #expect(output == "\(kiosk.profile.path): valid\n")

        try kiosk.rewriteProfile { $0.replacingOccurrences(of: "  timezone: Asia/Ho_Chi_Minh", with: "  timezone: Asia/Hanoi") }
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["profile", "check", "--socket", socket], capture: true)
        #expect(status == 78)
        #expect(output == "\(kiosk.profile.path):12:13: unknown timezone 'Asia/Hanoi'; expected an IANA timezone such as Asia/Ho_Chi_Minh\n")
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["profile", "reload", "--socket", socket], capture: true)
        #expect(status == 78, "a refused reload")
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["status", "--socket", socket], capture: true)
        #expect(status == 0 && output.contains("kiosk     demo-01"), "the old profile keeps serving")

        try kiosk.rewriteProfile { $0.replacingOccurrences(of: "id: demo-01", with: "id: demo-02") }
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["profile", "reload", "--socket", socket], capture: true)
        #expect(status == 0, "\(output)")
        #expect(output == "\(kiosk.profile.path): reloaded\n")
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["status", "--socket", socket], capture: true)
        #expect(output.contains("kiosk     demo-02"))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }
}

/// `kioskctl maintenance on|off`, seen on the citizen's screen and heard in the speech log.
@Suite struct KioskctlMaintenanceTests {
    @Test func maintenanceIsShownAndSpokenAndEndsWhenTurnedOff() throws {
        let kiosk = try DemoKiosk(purpose: "ctl-maintenance")
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        let socket = kiosk.controlSocket.path
        var (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["maintenance", "on", "--socket", socket], capture: true)
        #expect(status == 0 && output == "demo-01: maintenance on\n", "\(output)")
        try terminal.waitFor("Ki-ốt đang được bảo trì")
        try terminal.waitFor("Xin quý khách vui lòng quay lại sau.")
        #expect(kiosk.waitForSpoken { $0.text.hasPrefix("Ki-ốt đang được bảo trì.") } != nil, "maintenance is heard")
        try terminal.type("1")
        try terminal.waitFor("Ki-ốt đang được bảo trì")
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["status", "--socket", socket], capture: true)
        #expect(output.contains("(UNDER MAINTENANCE)"))
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["maintenance", "off", "--socket", socket], capture: true)
        #expect(status == 0 && output == "demo-01: maintenance off\n")
        try terminal.waitFor("Xin chào quý khách")
    }
}

/// A profile that keeps look-up during maintenance: citizens can still use it, and the technician sees what is offered.
@Suite struct KioskctlPartialMaintenanceTests {
    @Test func whatTheProfileKeepsIsStillOfferedOnScreenAndInStatus() throws {
        let kiosk = try DemoKiosk(purpose: "ctl-maintenance-partial") {
            $0.replacingOccurrences(of: "operations:\n", with: "operations:\n  offered_during_maintenance: [look-up]\n")
        }
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        let socket = kiosk.controlSocket.path
        var (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["maintenance", "on", "--socket", socket], capture: true)
        #expect(status == 0, "\(output)")
        try terminal.waitFor("Một số dịch vụ đang tạm dừng để bảo trì.")
        #expect(kiosk.waitForSpoken { $0.text.contains("Một số dịch vụ đang tạm dừng để bảo trì.") } != nil)
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["status", "--socket", socket], capture: true)
        #expect(output.contains("offering  look-up, help   (UNDER MAINTENANCE)"), "\(output)")
        try terminal.type("1")
        let menu = try terminal.waitFor("1   Tra cứu hồ sơ")
        #expect(menu.contains("2   Trợ giúp") && !menu.contains("Lấy số thứ tự"), "only look-up and help: \(menu)")
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["maintenance", "off", "--socket", socket], capture: true)
        #expect(status == 0, "\(output)")
        (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["status", "--socket", socket], capture: true)
        #expect(output.contains("offering  take-ticket, submit-application, look-up, help\n"), "\(output)")
    }
}

/// `kioskctl say` speaks through the kiosk's own voice and output.
@Suite struct KioskctlSayTests {
    @Test func aTestPhraseIsHeardWholeAndOnlyItsLengthIsLogged() throws {
        let (kiosk, daemon) = try KioskctlTests.startedKiosk("ctl-say")
        let phrase = "Kiểm tra loa, một hai ba."
        let (status, output) = try ChildProcess.run(KioskctlTests.kioskctl, ["say", phrase, "--socket", kiosk.controlSocket.path],
                                                    capture: true)
        #expect(status == 0 && output == "demo-01: speaking\n", "\(output)")
        let heard = try #require(kiosk.waitForSpoken { $0.text == phrase })
        #expect(!heard.interrupted && heard.seconds > 1 && heard.language == "vi")
        let stats = try SoxStatistics(file: heard.file)
        #expect(stats.rmsAmplitude > 0.02)
        #expect(daemon.standardError.contains("technician test phrase") && !daemon.standardError.contains(phrase))
        let (emptyStatus, _) = try ChildProcess.run(KioskctlTests.kioskctl, ["say", " ", "--socket", kiosk.controlSocket.path], capture: true)
        #expect(emptyStatus == 76, "an empty phrase is refused")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }
}
