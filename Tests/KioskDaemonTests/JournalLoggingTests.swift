import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Under systemd, kioskd's stderr goes to journald: each line must carry its priority and no timestamp.
@Suite struct JournalLoggingTests {
    @Test func linesUnderJournaldStartWithTheirSyslogPriority() throws {
        let kiosk = try DemoKiosk(purpose: "journal") {
            $0.replacingOccurrences(of: "cups_queue: receipt", with: "cups_queue: absent-queue")
        }
        let daemon = try kiosk.start(environment: ["JOURNAL_STREAM": "8:12345"])
        #expect(kiosk.waitUntilReady() != nil)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(2)) == 0)

        let lines = daemon.standardError.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("<6>kioskd: starting kiosk=demo-01 ") })
        #expect(lines.contains { $0.hasPrefix("<4>kioskd: device unavailable ") && $0.contains("device=receipt-printer") })
        #expect(lines.contains { $0.hasPrefix("<6>kioskd: device found ") && $0.contains("device=scanner") })
        #expect(lines.allSatisfy { $0.hasPrefix("<") }, "every line carries a priority, none a timestamp")
        // Values with spaces are quoted, so each line splits into key=value fields unambiguously.
        #expect(lines.contains { $0.contains("detail=\"CUPS has no queue absent-queue; queues: receipt,receipt-faults\"") })
    }
}
