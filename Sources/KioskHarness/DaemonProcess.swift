import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `kioskd` started by a test, as systemd or a technician would start it, with its output captured.
public final class DaemonProcess: @unchecked Sendable {
    // @unchecked: `process` is only driven from the test that owns this object.
    public let process = Process()
    public let stdoutFile: URL
    public let stderrFile: URL

    /// Starts `kioskd` with `arguments`, or, with `launcher`, the launcher with `kioskd` and `arguments`
    /// appended (an emulator that runs kioskd as its child).
    public init(arguments: [String], launcher: [String] = [], environment extra: [String: String] = [:], directory: URL) throws {
        stdoutFile = directory.appendingPathComponent("kioskd.stdout")
        stderrFile = directory.appendingPathComponent("kioskd.stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let kioskd = PackagePaths.products.appendingPathComponent("kioskd")
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [kioskd.path] + arguments
        } else {
            process.executableURL = kioskd
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        environment.removeValue(forKey: "WATCHDOG_USEC")
        environment.removeValue(forKey: "JOURNAL_STREAM")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }

    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit; returns its status, or nil if it is still running after `timeout`.
    public func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            usleep(10_000)
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    public var standardOutput: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }
}
