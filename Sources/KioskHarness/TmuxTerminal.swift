import Foundation

/// A real terminal for a test: a program running in a tmux pane on a private tmux server, driven
/// with `send-keys` and read with `capture-pane`, as a person at the keyboard would.
public final class TmuxTerminal: @unchecked Sendable {
    // @unchecked: driven by the one test that created it.
    public let socketName: String
    public let sessionName = "kiosk"

    /// Starts `command` (run by sh) in a `columns` x `rows` pane.
    public init(command: String, columns: Int = 100, rows: Int = 30) throws {
        socketName = "kiosk-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        // The server tmux forks here would keep a captured pipe open forever: its output is not read.
        try tmux(["new-session", "-d", "-s", sessionName, "-x", "\(columns)", "-y", "\(rows)", command], capture: false)
    }

    deinit {
        // kill-server alone sends SIGHUP, which kioskd takes as "reload the profile": stop the program
        // in the pane with SIGTERM first, as systemd would, then end the server.
        if let text = try? tmux(["display-message", "-p", "-t", sessionName, "#{pane_pid}"]),
           let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(3)
            while kill(pid, 0) == 0 && ContinuousClock.now < deadline { usleep(20_000) }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
        _ = try? tmux(["kill-server"], capture: false)
    }

    /// Types keys: each string is sent literally, as typed.
    public func type(_ keys: String) throws {
        try tmux(["send-keys", "-t", sessionName, "-l", keys])
    }

    /// Presses a named key (`Enter`, `BSpace`, `C-c`).
    public func press(_ key: String) throws {
        try tmux(["send-keys", "-t", sessionName, key])
    }

    /// The visible screen as text.
    public func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", sessionName])
    }

    /// Waits until the screen contains `text`; returns the screen, or throws with what was there.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(10)) throws -> String {
        try waitUntil("the screen shows \"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until one of the screen's lines, without its padding, is exactly `line`.
    @discardableResult
    public func waitForLine(_ line: String, timeout: Duration = .seconds(10)) throws -> String {
        try waitUntil("a line reads \"\(line)\"", timeout: timeout) { screen in
            screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == line }
        }
    }

    /// Waits until `condition` holds for the screen; returns the screen, or throws with what was there.
    @discardableResult
    public func waitUntil(_ what: String, timeout: Duration, _ condition: (String) -> Bool) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TmuxError(description: "never true: \(what); the screen shows:\n\(last)")
    }

    public struct TmuxError: Error, CustomStringConvertible {
        public let description: String
    }

    @discardableResult
    private func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        let (status, output) = try ChildProcess.run("/usr/bin/tmux", ["-L", socketName] + arguments, capture: capture)
        guard status == 0 else {
            throw TmuxError(description: "tmux \(arguments.joined(separator: " ")) failed (\(status)): \(output)")
        }
        return output
    }
}
