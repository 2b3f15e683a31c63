import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private emulated USB ESC/POS ticket printer (`scripts/usb-ticket-printer-emulator.py` on
/// umockdev) for one test: its own testbed, state file and printed tickets, so tests that run out
/// of paper or unplug it do not disturb each other. A process sees it when started with
/// `clientEnvironment` (the umockdev preload and this testbed's UMOCKDEV_DIR).
public final class TicketPrinterEmulator: @unchecked Sendable {
    // @unchecked: driven by the one test that created it; the process handle is only signalled.
    public let directory: URL
    public let testbed: String
    private let process = Process()

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts the emulator in `directory` and waits until its device is on the emulated bus.
    public init(directory: URL, vendor: String = "04b8", product: String = "0e02") throws {
        _ = try StandIns.fromEnvironment()   // the suite's stand-ins give the preload's path
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("emulator.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [PackagePaths.root.appendingPathComponent("scripts/usb-ticket-printer-emulator.py").path,
                             "--state-dir", directory.path, "--vendor", vendor, "--product", product]
        // The emulator sets up its own preload and testbed; it must not inherit the suite's.
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LD_PRELOAD")
        environment.removeValue(forKey: "UMOCKDEV_DIR")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let ready = directory.appendingPathComponent("umockdev-dir")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let root = try? String(contentsOf: ready, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !root.isEmpty {
                testbed = root
                return
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Failure(description: "the USB ticket printer emulator did not come up in \(directory.path):\n\(output)")
    }

    deinit {
        stop()
    }

    /// Stops the emulator (its device disappears with it).
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// What a client process needs in its environment from its start to see this printer.
    public var clientEnvironment: [String: String] {
        let preload = ProcessInfo.processInfo.environment["KIOSK_UMOCKDEV_PRELOAD"] ?? "libumockdev-preload.so.0"
        return ["LD_PRELOAD": preload, "UMOCKDEV_DIR": testbed]
    }

    /// Sets the simulated condition, as words (`paper-out`, `cover-open`, `unplugged`, `online`…);
    /// written atomically, picked up within 0.1 s.
    public func setState(_ words: String) throws {
        try (words + "\n").write(to: directory.appendingPathComponent("state"), atomically: true, encoding: .utf8)
    }

    /// Every byte the host sent.
    public var receivedBytes: Data {
        (try? Data(contentsOf: directory.appendingPathComponent("received.bin"))) ?? Data()
    }

    /// One ticket that came out of the printer, as the emulator decoded and wrote it.
    public struct PrintedTicket: Sendable {
        public let sequence: Int
        public let image: URL
        public let width: Int
        public let height: Int
        /// Torn off uncut when the printer's buffers were cleared part-way through a ticket.
        public let torn: Bool
    }

    /// Every ticket printed so far, oldest first.
    public var printedTickets: [PrintedTicket] {
        let folder = directory.appendingPathComponent("tickets")
        guard let text = try? String(contentsOf: folder.appendingPathComponent("tickets.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let sequence = object["seq"] as? Int, let file = object["file"] as? String,
                  let width = object["width"] as? Int, let height = object["height"] as? Int else { return nil }
            return PrintedTicket(sequence: sequence, image: folder.appendingPathComponent(file), width: width, height: height,
                                 torn: object["torn"] as? Bool ?? false)
        }
    }

    /// Waits until at least `count` tickets have come out; returns them (fewer after `timeout`).
    @discardableResult
    public func waitForTickets(_ count: Int, timeout: Duration = .seconds(10)) -> [PrintedTicket] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let tickets = printedTickets
            if tickets.count >= count { return tickets }
            usleep(20_000)
        }
        return printedTickets
    }

    /// The log the emulator wrote (for a failing test's message).
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("emulator.log"), encoding: .utf8)) ?? ""
    }
}
