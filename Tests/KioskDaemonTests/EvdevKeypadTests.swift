import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A USB keypad (an emulated evdev input device, read through libevdev) drives the menu.
@Suite struct EvdevKeypadTests {
    static let keypadNode = "/dev/input/event7"

    /// The demo profile with its keypad on evdev, keys named as a real USB keypad sends them.
    static func evdevProfile(_ demo: String) -> String {
        demo.replacingOccurrences(of: "  keypad:\n    input: terminal", with: """
              keypad:
                input: evdev
                device: \(keypadNode)
                keys:
                  "0": KEY_KP0
                  "1": KEY_KP1
                  "2": KEY_KP2
                  confirm: KEY_KPENTER
                  repeat: KEY_KPASTERISK
                  back: KEY_BACKSPACE
                  help: KEY_HELP
                  volume_up: KEY_VOLUMEUP
                  volume_down: KEY_VOLUMEDOWN
                  language: KEY_LANGUAGE
            """)
    }

    /// An evemu file pressing and releasing `codes` (hexadecimal key codes) from `start` seconds on.
    static func presses(_ codes: [String], start: Double, every interval: Double) -> String {
        var lines = ["# EVEMU 1.3"]
        for (index, code) in codes.enumerated() {
            let time = start + Double(index) * interval
            lines += [String(format: "E: %.6f 0001 %@ 0001", time, code), String(format: "E: %.6f 0000 0000 0000", time),
                      String(format: "E: %.6f 0001 %@ 0000", time + 0.05, code), String(format: "E: %.6f 0000 0000 0000", time + 0.05)]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func keypadKeysWalkTheMenuInEnglish() throws {
        let kiosk = try DemoKiosk(purpose: "evdev") { Self.evdevProfile($0) }
        // KEY_KPENTER (0x60) opens the menu, KEY_LANGUAGE (0x170) switches to English, KEY_KP1 (0x4f)
        // chooses applications (first, as this testbed has no ticket printer), KEY_KP1 the first
        // procedure, KEY_KP2 (0x50) typing the number at the identity step, KEY_HELP (0x8a)
        // explains the screen.
        let events = kiosk.directory.appendingPathComponent("keys.evemu")
        try Self.presses(["0060", "0170", "004f", "004f", "0050", "008a"], start: 1.0, every: 0.4)
            .write(to: events, atomically: true, encoding: .utf8)
        let daemon = try kiosk.start(launcher: ["/usr/bin/umockdev-wrapper", "/usr/bin/python3",
                                                PackagePaths.root.appendingPathComponent("scripts/evdev-keypad-emulator.py").path,
                                                "--node", Self.keypadNode, "--events", events.path, "--"])
        #expect(kiosk.waitUntilReady() != nil, "stderr: \(daemon.standardError)")
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline && !daemon.standardOutput.contains("== Help ==") {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let screens = daemon.standardOutput
        #expect(screens.contains("== What would you like to do? =="))
        #expect(screens.contains("== Choose the procedure to apply for =="))
        #expect(screens.contains("== Type your twelve-digit personal identification number, then press hash. =="))
        #expect(screens.contains("== Help =="), "screens: \(screens)")
        #expect(daemon.standardError.contains("keypad ready") && daemon.standardError.contains("device=\(Self.keypadNode)"))
        #expect(!daemon.standardError.contains("keypad key map"), "every default key name is known to libevdev")
        #expect(daemon.standardError.contains("device=keypad") && daemon.standardError.contains("id=\(Self.keypadNode)"))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }

    @Test func aMissingKeypadIsReportedAndTheKioskStillStarts() throws {
        let kiosk = try DemoKiosk(purpose: "evdev-missing") {
            Self.evdevProfile($0).replacingOccurrences(of: Self.keypadNode, with: "/dev/input/by-id/no-such-keypad")
        }
        let daemon = try kiosk.start()
        let ready = kiosk.waitUntilReady()
        #expect(ready?.value(of: "STATUS")?.contains("keypad=noDevice") == true)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline && !daemon.standardError.contains("keypad unavailable") {
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(daemon.standardError.contains("keypad unavailable") && daemon.standardError.contains("cannot open /dev/input/by-id/no-such-keypad"))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }
}
