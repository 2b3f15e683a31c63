import Foundation

/// A kioskd about to run on a private copy of the demo profile, in its own folder, with its own
/// NOTIFY_SOCKET standing in for systemd. Speech goes to the stand-ins' WAV folder.
public final class DemoKiosk: @unchecked Sendable {
    // @unchecked: driven by the one test or benchmark run that created it.
    public let directory: URL
    public let profile: URL
    public let notify: NotifySocket

    /// Writes the demo profile, changed by `edit` (a test's deliberate fault), into a fresh folder.
    public init(purpose: String, standIns: StandIns, edit: (String) -> String = { $0 }) throws {
        directory = try PackagePaths.temporaryDirectory(purpose)
        profile = directory.appendingPathComponent("profile.yaml")
        notify = try NotifySocket(directory: directory)
        try rewriteProfile(standIns: standIns, edit)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Replaces the profile file, as a technician editing it in place would.
    public func rewriteProfile(standIns: StandIns, _ edit: (String) -> String) throws {
        let demo = try String(contentsOf: PackagePaths.profile("demo"), encoding: .utf8)
            .replacingOccurrences(of: "/tmp/kioskd-demo/audio", with: standIns.audioDirectory)
        try edit(demo).write(to: profile, atomically: true, encoding: .utf8)
    }

    /// Starts `kioskd --profile` on the copy, telling it about the notify socket.
    public func start(environment: [String: String] = [:]) throws -> DaemonProcess {
        try DaemonProcess(arguments: ["--profile", profile.path],
                          environment: environment.merging(["NOTIFY_SOCKET": notify.path]) { mine, _ in mine },
                          directory: directory)
    }

    /// Waits for `READY=1`; returns that datagram, or nil after `timeout`.
    public func waitUntilReady(timeout: Duration = .seconds(20)) -> NotifySocket.Message? {
        notify.receive(until: { $0.contains("READY=1") }, timeout: timeout).match
    }
}
