import Foundation

/// One running kiosk-scan-helper, started by kioskd with a socket pair as its standard input and
/// output (its standard error is kioskd's: the journal).
///
/// `@unchecked Sendable`: `processID` and `socket` never change after `init`; `exitDescription`
/// is only touched with `lock` held.
final class ScanHelperProcess: @unchecked Sendable {
    static let executableName = "kiosk-scan-helper"

    let processID: pid_t
    let socket: FrameSocket
    private let lock = NSLock()
    private var exitDescription: String?

    /// Where the helper is looked for: beside the running executable (a build folder; `make install`
    /// with both in one bin), then the libexec folder of its prefix (`/usr/libexec/kiosk`).
    static func candidatePaths() -> [String] {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let folder = executable.deletingLastPathComponent()
        return [folder.appendingPathComponent(executableName).path,
                folder.deletingLastPathComponent().appendingPathComponent("libexec/kiosk/\(executableName)").path]
    }

    /// Starts a helper; the reason it cannot start is thrown.
    init() throws(ScanningError) {
        let candidates = Self.candidatePaths()
        guard let path = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw ScanningError("\(Self.executableName) is not installed (looked for \(candidates.joined(separator: " and ")))")
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw ScanningError("cannot make a socket pair for \(Self.executableName): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies, so only these reach the helper.
        posix_spawn_file_actions_adddup2(&actions, pair[1], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, pair[1], STDOUT_FILENO)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // kioskd ignores SIGPIPE and SIGHUP and may block signals for its own handling; the helper
        // starts with the defaults, so a plain signal stops it.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { arguments.forEach { free($0) } }
        var processID: pid_t = 0
        let result = posix_spawn(&processID, path, &actions, &attributes, arguments, environ)
        Glibc.close(pair[1])
        guard result == 0 else {
            Glibc.close(pair[0])
            throw ScanningError("cannot start \(path): \(String(cString: strerror(result)))")
        }
        self.processID = processID
        socket = FrameSocket(descriptor: pair[0])
    }

    /// Sends a request; false when the helper is gone.
    func send(_ request: ScanHelperWire.Request) -> Bool {
        guard let frame = try? ScanHelperWire.encode(request) else { return false }
        return socket.send(frame)
    }

    /// Kills the helper (it may be wedged where no request reaches it) and collects it.
    func stop() {
        lock.lock()
        // Once collected, the process ID may already belong to another process: never signalled again.
        if exitDescription == nil { kill(processID, SIGKILL) }
        lock.unlock()
        _ = collect()
        socket.close()
    }

    /// Waits for the helper to have exited and says how it ended.
    @discardableResult
    func collect() -> String {
        lock.lock()
        defer { lock.unlock() }
        if let exitDescription { return exitDescription }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(processID, &status, 0) } while result < 0 && errno == EINTR
        let description: String
        if result < 0 {
            description = "ended (its exit status was not collected: \(String(cString: strerror(errno))))"
        } else if status & 0x7f == 0 {
            description = "exited with status \((status >> 8) & 0xff)"
        } else {
            description = "was ended by signal \(status & 0x7f)"
        }
        exitDescription = description
        return description
    }
}
