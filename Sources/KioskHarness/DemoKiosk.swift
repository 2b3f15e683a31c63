import Foundation

/// A kioskd about to run on a private copy of the demo profile, in its own folder, with its own
/// NOTIFY_SOCKET standing in for systemd, and its own folder of speech WAV files.
public final class DemoKiosk: @unchecked Sendable {
    // @unchecked: driven by the one test or benchmark run that created it.
    public let directory: URL
    public let profile: URL
    public let notify: NotifySocket
    /// The control socket kioskctl reaches this kiosk on.
    public var controlSocket: URL { directory.appendingPathComponent("control.sock") }
    /// Where this kiosk keeps its durable state (the ticket ledger).
    public var stateDirectory: URL { directory.appendingPathComponent("state") }
    /// Where this kiosk's speech is recorded (one WAV per utterance, speech-log.jsonl).
    public let audioDirectory: URL

    /// This kiosk's own emulated USB ticket printer: a test can run it out of paper or unplug it
    /// without touching any other test's kiosk.
    public let ticketPrinter: TicketPrinterEmulator

    /// The portal adapter this kiosk files applications with, when it takes them; nil leaves the
    /// demo profile without an encryption key, so applications are refused as not available.
    public let portalBaseURL: URL?
    /// The key sealing this kiosk's outbox (0600), when it takes applications.
    public var outboxKeyFile: URL { directory.appendingPathComponent("outbox.key") }
    /// The kiosk's outbox database, when it takes applications.
    public var outboxDatabase: URL { stateDirectory.appendingPathComponent("outbox/outbox.sqlite") }

    /// Writes the demo profile, changed by `edit` (a test's deliberate fault), into a fresh folder,
    /// and starts the kiosk's own ticket printer emulator. With `portalBaseURL`, the kiosk takes
    /// applications: a fresh key of its own seals its outbox and it files with that portal.
    /// Throws when the stand-ins the demo profile names are not running.
    public init(purpose: String, portalBaseURL: URL? = nil, edit: (String) -> String = { $0 }) throws {
        _ = try StandIns.fromEnvironment()
        self.portalBaseURL = portalBaseURL
        directory = try PackagePaths.temporaryDirectory(purpose)
        if portalBaseURL != nil {
            var key = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for index in key.indices { key[index] = generator.next() }
            FileManager.default.createFile(atPath: directory.appendingPathComponent("outbox.key").path, contents: Data(key),
                                           attributes: [.posixPermissions: 0o600])
        }
        ticketPrinter = try TicketPrinterEmulator(directory: directory.appendingPathComponent("usb"))
        profile = directory.appendingPathComponent("profile.yaml")
        notify = try NotifySocket(directory: directory)
        audioDirectory = directory.appendingPathComponent("audio")
        try rewriteProfile(edit)
    }

    deinit {
        ticketPrinter.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Replaces the profile file, as a technician editing it in place would.
    public func rewriteProfile(_ edit: (String) -> String) throws {
        var demo = try String(contentsOf: PackagePaths.profile("demo"), encoding: .utf8)
            .replacingOccurrences(of: "/tmp/kioskd-demo/audio", with: audioDirectory.path)
        if let portalBaseURL {
            demo = demo.replacingOccurrences(of: "http://127.0.0.1:8089/api/v1", with: portalBaseURL.absoluteString)
                .replacingOccurrences(of: "/tmp/kioskd-demo/outbox.key", with: outboxKeyFile.path)
        } else {
            // A key file that does not exist (whatever `make demo` left in /tmp): the outbox stays
            // shut and applications are answered as not available here.
            demo = demo.replacingOccurrences(of: "/tmp/kioskd-demo/outbox.key", with: outboxKeyFile.path)
        }
        try edit(demo).write(to: profile, atomically: true, encoding: .utf8)
    }

    /// Starts `kioskd --profile` on the copy, telling it about the notify socket; `launcher` runs it
    /// as the child of an emulator.
    public func start(environment: [String: String] = [:], launcher: [String] = []) throws -> DaemonProcess {
        try DaemonProcess(arguments: ["--profile", profile.path, "--control-socket", controlSocket.path,
                                      "--state-directory", stateDirectory.path], launcher: launcher,
                          environment: environment.merging(["NOTIFY_SOCKET": notify.path]) { mine, _ in mine }
                              .merging(ticketPrinter.clientEnvironment) { mine, _ in mine },
                          directory: directory)
    }

    /// Starts kioskd in a real terminal (a tmux pane): the terminal is the citizen's screen and keys.
    /// Its log goes to `kioskd.stderr` in the kiosk's folder.
    public func startInTerminal(columns: Int = 100, rows: Int = 30) throws -> TmuxTerminal {
        let kioskd = PackagePaths.products.appendingPathComponent("kioskd").path
        let log = directory.appendingPathComponent("kioskd.stderr").path
        let usb = ticketPrinter.clientEnvironment.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        return try TmuxTerminal(command: "exec env NOTIFY_SOCKET='\(notify.path)' \(usb) '\(kioskd)' --profile '\(profile.path)' "
                                    + "--control-socket '\(controlSocket.path)' --state-directory '\(stateDirectory.path)' 2>'\(log)'",
                                columns: columns, rows: rows)
    }

    /// The log of a kioskd started with `startInTerminal`.
    public var terminalLog: String {
        (try? String(contentsOf: directory.appendingPathComponent("kioskd.stderr"), encoding: .utf8)) ?? ""
    }

    /// What the speech log says was spoken, oldest first.
    public func spokenUtterances() -> [SpokenUtterance] {
        let log = audioDirectory.appendingPathComponent("speech-log.jsonl")
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = object["file"] as? String, let spoken = object["text"] as? String,
                  let seconds = object["seconds"] as? Double, let interrupted = object["interrupted"] as? Bool,
                  let language = object["language"] as? String else { return nil }
            return SpokenUtterance(file: audioDirectory.appendingPathComponent(file), text: spoken, language: language,
                                   seconds: seconds, interrupted: interrupted)
        }
    }

    /// Waits until the speech log holds an utterance matching `predicate` (it is logged once played).
    public func waitForSpoken(timeout: Duration = .seconds(15), where predicate: (SpokenUtterance) -> Bool) -> SpokenUtterance? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = spokenUtterances().first(where: predicate) { return match }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    /// Waits for `READY=1`; returns that datagram, or nil after `timeout`.
    public func waitUntilReady(timeout: Duration = .seconds(20)) -> NotifySocket.Message? {
        notify.receive(until: { $0.contains("READY=1") }, timeout: timeout).match
    }
}

/// One line of the speech log: an utterance as it was played.
public struct SpokenUtterance: Sendable {
    public let file: URL
    public let text: String
    public let language: String
    public let seconds: Double
    public let interrupted: Bool
}
