import Foundation
import KioskHarness
import Testing

/// `kioskd --check` as a technician uses it before installing a profile.
@Suite struct ProfileCheckCommandTests {
    @Test func validProfilePassesTheCheck() throws {
        let directory = try PackagePaths.temporaryDirectory("check-ok")
        defer { try? FileManager.default.removeItem(at: directory) }
        let check = try DaemonProcess(arguments: ["--check", "--profile", PackagePaths.profile("mobile-van").path], directory: directory)
        #expect(check.waitForExit(timeout: .seconds(10)) == 0)
        #expect(check.standardOutput.contains("valid profile for kiosk qn-van-02"))
    }

    @Test func brokenProfileExitsWithEXCONFIGAndListsEveryProblem() throws {
        let directory = try PackagePaths.temporaryDirectory("check-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let profile = directory.appendingPathComponent("broken.yaml")
        try """
            kiosk:
              id: broken-01
              name: {vi: Hỏng, en: Broken}
              location: {vi: Đâu đó, en: Somewhere}
            devices:
              audio: {output: wav, wav_directory: /tmp/x}
              keypad: {input: terminal}
              scaner: {device: "test:0"}
            privacy: {inactivity_timeout_seconds: 5, retention_delivered_days: 30}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let check = try DaemonProcess(arguments: ["--check", "--profile", profile.path], directory: directory)
        #expect(check.waitForExit(timeout: .seconds(10)) == 78)
        let lines = check.standardError.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(profile.path):8:3: unknown key 'scaner' in devices (did you mean 'scanner'?); expected one of: scanner, receipt_printer, ticket_printer, audio, keypad",
            "\(profile.path):9:39: 5 is out of range in privacy.inactivity_timeout_seconds; expected seconds from 15 to 600",
        ])
    }

    @Test func daemonRefusesToStartOnABrokenProfile() throws {
        let directory = try PackagePaths.temporaryDirectory("start-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let profile = directory.appendingPathComponent("missing.yaml")
        let daemon = try DaemonProcess(arguments: ["--profile", profile.path], directory: directory)
        #expect(daemon.waitForExit(timeout: .seconds(10)) == 78)
        #expect(daemon.standardError.contains("\(profile.path):1:1: cannot read the profile (no such file); expected a readable YAML file"))
    }
}
