import Foundation
import KioskHarness
import Testing

/// The unit, sysusers and tmpfiles files a kiosk installs, checked with systemd's own tools.
@Suite struct SystemdUnitTests {
    static let unit = PackagePaths.root.appendingPathComponent("systemd/kioskd.service")

    @Test func serviceIsHardenedToAnExposureOfTwoOrLess() throws {
        let (status, report) = try ChildProcess.run("/usr/bin/systemd-analyze", ["security", "--offline=true", Self.unit.path],
                                                     capture: true)
        #expect(status == 0, "\(report)")
        let overall = try #require(report.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = try #require(overall.split(separator: " ").compactMap { Double($0) }.first, "\(overall)")
        #expect(score <= 2.0, "\(overall)")
    }

    @Test func serviceFileVerifiesWithoutAWord() throws {
        // verify checks that ExecStart exists: point it at the kioskd just built.
        let directory = try PackagePaths.temporaryDirectory("unit")
        defer { try? FileManager.default.removeItem(at: directory) }
        let kioskd = PackagePaths.products.appendingPathComponent("kioskd").path
        let copy = directory.appendingPathComponent("kioskd.service")
        try String(contentsOf: Self.unit, encoding: .utf8).replacingOccurrences(of: "/usr/bin/kioskd", with: kioskd)
            .write(to: copy, atomically: true, encoding: .utf8)
        let (status, output) = try ChildProcess.run("/usr/bin/systemd-analyze", ["verify", "--man=no", copy.path], capture: true)
        #expect(status == 0)
        #expect(output.isEmpty, "systemd-analyze verify: \(output)")
    }

    @Test func unitRunsAsTheKioskUserThatSysusersCreates() throws {
        let sysusers = PackagePaths.root.appendingPathComponent("systemd/sysusers.d/kioskd.conf").path
        let (status, output) = try ChildProcess.run("/usr/bin/systemd-sysusers", ["--dry-run", sysusers], capture: true)
        #expect(status == 0, "\(output)")
        #expect(!output.contains("ignoring") && !output.contains("Failed"), "\(output)")
        let unit = try String(contentsOf: Self.unit, encoding: .utf8)
        #expect(unit.contains("\nUser=kiosk\n") && unit.contains("\nType=notify\n") && unit.contains("\nRestartPreventExitStatus=78\n"))
    }
}
