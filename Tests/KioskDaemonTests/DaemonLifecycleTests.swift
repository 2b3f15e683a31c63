import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// kioskd as systemd runs it: a real process, a real NOTIFY_SOCKET, real signals.
@Suite struct DaemonLifecycleTests {
    @Test func readyWatchdogAndStoppingArriveAndSIGTERMExitsZeroWithinTwoSeconds() throws {
        let kiosk = try DemoKiosk(purpose: "lifecycle")
        let notify = kiosk.notify
        let daemon = try kiosk.start(environment: ["WATCHDOG_USEC": "400000"])

        let (ready, beforeReady) = notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(20))
        let readyMessage = try #require(ready, "no READY=1; got \(beforeReady.map(\.fields)); stderr: \(daemon.standardError)")
        #expect(beforeReady.contains { $0.value(of: "STATUS") == "probing devices" }, "STATUS before READY says what it is doing")
        #expect(readyMessage.value(of: "STATUS")?.hasPrefix("demo-01: ") == true)

        // WATCHDOG_USEC=400 ms: pings every 200 ms, so at least three in one second.
        var pings: [ContinuousClock.Instant] = []
        let watchdogDeadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < watchdogDeadline {
            if let message = notify.receive(timeout: .milliseconds(300)), message.contains("WATCHDOG=1") {
                pings.append(message.receivedAt)
            }
        }
        #expect(pings.count >= 3, "got \(pings.count) watchdog pings in 1 s")
        for (earlier, later) in zip(pings, pings.dropFirst()) {
            #expect(later - earlier < .milliseconds(400), "a gap between pings reached the watchdog timeout")
        }

        let signalled = ContinuousClock.now
        daemon.send(SIGTERM)
        let (stopping, _) = notify.receive(until: { $0.contains("STOPPING=1") }, timeout: .seconds(2))
        #expect(stopping != nil, "STOPPING=1 is sent when shutdown begins")
        let status = daemon.waitForExit(timeout: .seconds(2))
        #expect(status == 0, "stderr: \(daemon.standardError)")
        #expect(ContinuousClock.now - signalled < .seconds(2))
        #expect(daemon.standardError.contains("kioskd: stopped"))
    }

    /// libsane runs in kiosk-scan-helper, a child of kioskd: it must never outlive the daemon, or
    /// it would hold the scanner against the restarted one.
    @Test func theScannersSANEProcessEndsWithKioskdWhetherStoppedOrKilled() throws {
        for (purpose, signal) in [("helper-term", SIGTERM), ("helper-kill", SIGKILL)] {
            let kiosk = try DemoKiosk(purpose: purpose)
            let daemon = try kiosk.start()
            #expect(kiosk.waitUntilReady() != nil)
            // Started by the device probe before READY=1.
            let helpers = Self.children(of: daemon.pid, named: "kiosk-scan-help")
            #expect(helpers.count == 1, "kioskd's children named kiosk-scan-helper: \(helpers)")
            daemon.send(signal)
            _ = daemon.waitForExit(timeout: .seconds(5))
            for helper in helpers {
                let deadline = ContinuousClock.now + .seconds(5)
                while ContinuousClock.now < deadline && Self.isRunning(helper) { Thread.sleep(forTimeInterval: 0.05) }
                #expect(!Self.isRunning(helper), "kiosk-scan-helper \(helper) outlived kioskd (signal \(signal))")
            }
        }
    }

    /// Processes whose parent is `parent` and whose name (as the kernel truncates it) is `name`.
    static func children(of parent: Int32, named name: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return stat[stat.index(after: open)..<close] == name && fields.count > 2 && Int32(fields[1]) == parent
        }
    }

    /// Alive and not a zombie (a killed child reparented to an init that does not reap stays one).
    static func isRunning(_ processID: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    @Test func sigintAlsoShutsDownGracefully() throws {
        let kiosk = try DemoKiosk(purpose: "sigint")
        let daemon = try kiosk.start()
        #expect(kiosk.waitUntilReady() != nil)
        daemon.send(SIGINT)
        #expect(daemon.waitForExit(timeout: .seconds(2)) == 0)
    }

    @Test func sighupWithABrokenProfileKeepsTheOldOneAndAGoodOneIsTakenUp() throws {
        let kiosk = try DemoKiosk(purpose: "reload")
        let notify = kiosk.notify
        let daemon = try kiosk.start()
        #expect(kiosk.waitUntilReady() != nil)
        #expect(daemon.standardOutput.contains("Ki-ốt dịch vụ công (trình diễn)"))

        // A technician saves a profile with a typo and reloads.
        try kiosk.rewriteProfile {
            $0.replacingOccurrences(of: "  timezone: Asia/Ho_Chi_Minh", with: "  timezone: Asia/Hanoi")
        }
        daemon.send(SIGHUP)
        let (refused, seen) = notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(10))
        #expect(seen.first?.contains("RELOADING=1") == true)
        #expect(seen.first?.value(of: "MONOTONIC_USEC") != nil, "systemd requires MONOTONIC_USEC with RELOADING=1")
        let refusal = try #require(refused?.value(of: "STATUS"))
        #expect(refusal.contains("reload refused (1 problem); serving previous profile demo-01"))
        #expect(daemon.process.isRunning)
        #expect(daemon.standardError.contains("\(kiosk.profile.path):12:13: unknown timezone 'Asia/Hanoi'; expected an IANA timezone such as Asia/Ho_Chi_Minh"))

        // The fixed profile, with a new kiosk name, is taken up.
        try kiosk.rewriteProfile {
            $0.replacingOccurrences(of: "Ki-ốt dịch vụ công (trình diễn)", with: "Ki-ốt thử tải lại")
        }
        daemon.send(SIGHUP)
        let (accepted, _) = notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(10))
        #expect(accepted?.value(of: "STATUS")?.hasPrefix("demo-01: ") == true)
        #expect(daemon.standardOutput.contains("Ki-ốt thử tải lại"))
        #expect(daemon.standardError.contains("kioskd: profile reloaded"))

        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(2)) == 0)
    }

    @Test func daemonWithAMissingDeviceStillStartsAndReportsIt() throws {
        let kiosk = try DemoKiosk(purpose: "missing-device") {
            $0.replacingOccurrences(of: "device: \"test:0\"", with: "device: \"test:7\"")
                .replacingOccurrences(of: "cups_queue: receipt", with: "cups_queue: unplugged-receipt")
        }
        let daemon = try kiosk.start()
        let ready = kiosk.waitUntilReady()
        let status = try #require(ready?.value(of: "STATUS"))
        #expect(status.contains("scanner=noDevice"))
        #expect(status.contains("receipt-printer=noDevice"))
        // Tickets still work: the ticket printer is there and the demo is always open.
        #expect(status.contains("offering take-ticket,look-up,help"))
        let log = daemon.standardError
        #expect(log.contains("warning kioskd: device unavailable") && log.contains("device=scanner") && log.contains("id=test:7"))
        #expect(log.contains("device=ticket-printer") && log.contains("state=online"))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(2)) == 0)
    }

    @Test func everyDemoDeviceIsFoundThroughItsLibrary() throws {
        let kiosk = try DemoKiosk(purpose: "demo-devices")
        let daemon = try kiosk.start()
        #expect(kiosk.waitUntilReady() != nil)
        let foundLines = daemon.standardError.split(separator: "\n").filter { $0.contains("device found") }
        for (device, identity) in [("scanner", "id=test:0"), ("receipt-printer", "id=receipt@"), ("ticket-printer", "id=usb:04b8:0e02"),
                                   ("speech", "id=vi")] {
            #expect(foundLines.contains { $0.contains("device=\(device)") && $0.contains(identity) && $0.contains("state=online") },
                    "\(device) not found: \(daemon.standardError)")
        }
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(2)) == 0)
    }
}
