import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import PortalAPI
import Synchronization

/// A `portal-sim` started by a test: the built executable beside the test bundle, a database of its
/// own in the test's folder, a free port, and its admin API at hand (faults, stored applications,
/// statistics). It can be stopped, killed (`kill -9`) and restarted on the same port and database,
/// as an outage of the national portal would look to a kiosk.
///
/// The admin API is always reached over a plain-HTTP listener of its own (`--admin-port`), so it
/// works the same when the contract is served over mutual TLS.
public final class PortalSimulator: Sendable {
    /// How to start the simulator.
    public struct Options: Sendable {
        /// Seconds per status step (`--status-step-seconds`); 0 keeps applications `received`.
        public var statusStepSeconds: Int
        /// Faults in force from the start.
        public var faults: PortalSimFaults
        /// Seed of the fault dice: the same seed, the same faults on the same requests.
        public var seed: UInt64
        /// Serve the contract over HTTPS with these files.
        public var tls: TLSFiles?
        /// Anything else to pass to `portal-sim`.
        public var extraArguments: [String]

        public init(statusStepSeconds: Int = 0, faults: PortalSimFaults = .none, seed: UInt64 = 1, tls: TLSFiles? = nil,
                    extraArguments: [String] = []) {
            self.statusStepSeconds = statusStepSeconds
            self.faults = faults
            self.seed = seed
            self.tls = tls
            self.extraArguments = extraArguments
        }
    }

    /// PEM files for HTTPS; with `clientCA`, a client certificate signed by it is required.
    public struct TLSFiles: Sendable {
        public var certificate: URL
        public var key: URL
        public var clientCA: URL?

        public init(certificate: URL, key: URL, clientCA: URL? = nil) {
            self.certificate = certificate
            self.key = key
            self.clientCA = clientCA
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The test's folder: database, port files, captured standard error.
    public let directory: URL
    public let options: Options
    public let databasePath: String
    /// Everything portal-sim wrote to standard error (its request log), across restarts.
    public let standardErrorFile: URL

    private struct Running {
        var pid: pid_t?
        var port = 0
        var adminPort = 0
    }

    private let running = Mutex(Running())

    private init(directory: URL, options: Options) {
        self.directory = directory
        self.options = options
        databasePath = directory.appendingPathComponent("portal-sim.sqlite").path
        standardErrorFile = directory.appendingPathComponent("portal-sim.stderr")
    }

    /// Starts `portal-sim` with a fresh database in `directory` and waits until it listens.
    public static func start(in directory: URL, options: Options = Options()) async throws -> PortalSimulator {
        let simulator = PortalSimulator(directory: directory, options: options)
        try await simulator.launch(port: 0, adminPort: 0)
        return simulator
    }

    deinit {
        if let pid = running.withLock({ $0.pid }) {
            Glibc.kill(pid, SIGKILL)
            Self.reap(pid)
        }
    }

    // MARK: Where it is

    /// The port the contract listens on (kept across restarts).
    public var port: Int { running.withLock { $0.port } }

    /// The contract's base URL, as a kiosk profile's `base_url`: `http(s)://127.0.0.1:PORT/api/v1`.
    public var baseURL: URL {
        URL(string: "\(options.tls == nil ? "http" : "https")://127.0.0.1:\(port)/api/v1")!
    }

    /// The admin API's root: `http://127.0.0.1:ADMINPORT/_sim`.
    public var adminURL: URL {
        URL(string: "http://127.0.0.1:\(running.withLock { $0.adminPort })/\(PortalSimAdmin.rootPath)")!
    }

    public var isRunning: Bool { running.withLock { $0.pid != nil } }

    public var standardError: String { (try? String(contentsOf: standardErrorFile, encoding: .utf8)) ?? "" }

    // MARK: Life cycle

    /// SIGTERM, then waits for a clean exit (SIGKILL after `timeout`); returns the exit status.
    @discardableResult
    public func stop(timeout: Duration = .seconds(30)) async throws -> Int32 {
        guard let pid = running.withLock({ $0.pid }) else { throw Failure(description: "portal-sim is not running") }
        Glibc.kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = Self.exitStatus(pid) {
                running.withLock { $0.pid = nil }
                return status
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill()
        throw Failure(description: "portal-sim did not stop within \(timeout) of SIGTERM; killed")
    }

    /// `kill -9`: no chance to finish anything, as in a power cut.
    public func kill() {
        guard let pid = running.withLock({ $0.pid }) else { return }
        Glibc.kill(pid, SIGKILL)
        Self.reap(pid)
        running.withLock { $0.pid = nil }
    }

    /// Starts it again on the same ports and database (stopping it first if it runs).
    public func restart() async throws {
        if isRunning { try await stop() }
        let (port, adminPort) = running.withLock { ($0.port, $0.adminPort) }
        try await launch(port: port, adminPort: adminPort)
    }

    // MARK: Admin API

    /// Replaces every fault setting with `faults`.
    public func setFaults(_ faults: PortalSimFaults) async throws {
        _ = try await changeFaults(PortalSimFaultsChange(faults))
    }

    /// Changes some fault settings; returns the settings now in force.
    @discardableResult
    public func changeFaults(_ change: PortalSimFaultsChange) async throws -> PortalSimFaults {
        try await admin("PUT", "faults", body: change)
    }

    public func faults() async throws -> PortalSimFaults {
        try await admin("GET", "faults")
    }

    /// Every stored application (identifiers and counts only).
    public func applications() async throws -> [PortalSimApplication] {
        try await admin("GET", "applications")
    }

    /// Every contract request answered since the simulator last started, oldest first, with
    /// sub-second arrival and answer times (for checking how a client spaced its requests).
    public func requests() async throws -> [PortalSimRequest] {
        try await admin("GET", "requests")
    }

    public func stats() async throws -> PortalSimStats {
        try await admin("GET", "stats")
    }

    /// Sets an application's status by hand, as a clerk at the office would.
    @discardableResult
    public func setStatus(_ status: PortalStatus, note: String? = nil, forCode code: String) async throws
        -> ApplicationStatusReport {
        try await admin("PUT", "applications/\(code)/status", body: PortalSimStatusOverride(status: status, note: note))
    }

    private func admin<Answer: Decodable>(_ method: String, _ path: String) async throws -> Answer {
        try await admin(method, path, body: Optional<PortalSimFaultsChange>.none)
    }

    private func admin<Answer: Decodable, Body: Encodable>(_ method: String, _ path: String, body: Body?) async throws
        -> Answer {
        var request = URLRequest(url: adminURL.appendingPathComponent(path))
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONEncoder().encode(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        // A session per call: no kept-alive connection outlives a restart of the simulator.
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw Failure(description: "\(method) \(path): HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONDecoder().decode(Answer.self, from: data)
    }

    // MARK: Launching

    private func launch(port: Int, adminPort: Int) async throws {
        let portFile = directory.appendingPathComponent("portal-sim.port")
        let adminPortFile = directory.appendingPathComponent("portal-sim.admin-port")
        try? FileManager.default.removeItem(at: portFile)
        try? FileManager.default.removeItem(at: adminPortFile)
        var arguments = ["--host", "127.0.0.1", "--port", String(port), "--port-file", portFile.path,
                         "--admin-port", String(adminPort), "--admin-port-file", adminPortFile.path,
                         "--database", databasePath, "--seed", String(options.seed),
                         "--status-step-seconds", String(options.statusStepSeconds),
                         "--error-rate", String(options.faults.errorRate),
                         "--latency-ms", String(options.faults.latencyMilliseconds),
                         "--reset-rate", String(options.faults.resetRate),
                         "--error-after-commit-rate", String(options.faults.errorAfterCommitRate),
                         "--unavailable-rate", String(options.faults.unavailableRate),
                         "--retry-after-seconds", String(options.faults.retryAfterSeconds)]
        if options.faults.down { arguments.append("--down") }
        if options.faults.holdFiling { arguments.append("--hold-filing") }
        if let tls = options.tls {
            arguments += ["--tls-certificate", tls.certificate.path, "--tls-key", tls.key.path]
            if let clientCA = tls.clientCA { arguments += ["--tls-client-ca", clientCA.path] }
        }
        arguments += options.extraArguments

        let pid = try spawn(arguments)
        running.withLock { $0.pid = pid }
        // A debug build on a busy machine takes a while to open its database and bind.
        let deadline = ContinuousClock.now + .seconds(60)
        // The files are looked at once more after the deadline: when other tests keep the
        // cooperative pool busy, this task may wake only after the deadline although the
        // simulator bound long before.
        while true {
            if let status = Self.exitStatus(pid) {
                running.withLock { $0.pid = nil }
                throw Failure(description: "portal-sim exited with status \(status) before listening:\n\(standardError)")
            }
            if let bound = Self.readPort(portFile), let boundAdmin = Self.readPort(adminPortFile) {
                running.withLock {
                    $0.port = bound
                    $0.adminPort = boundAdmin
                }
                return
            }
            if ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill()
        throw Failure(description: "portal-sim did not listen within 60 s:\n\(standardError)")
    }

    /// posix_spawn rather than Foundation's Process, whose waiting was seen to hang in parallel tests
    /// (see ChildProcess); standard error appended to `standardErrorFile`, so restarts add to it.
    private func spawn(_ arguments: [String]) throws -> pid_t {
        let path = PackagePaths.products.appendingPathComponent("portal-sim").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "\(path) is missing: build it with `swift build --build-tests` (or --product portal-sim)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, standardErrorFile.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)

        // The test runner's threads may block signals; the child must start with none blocked, or
        // the SIGTERM of stop() would never arrive.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(path): errno \(spawned)") }
        return pid
    }

    /// The exit status if `pid` has exited (reaping it), nil while it runs.
    private static func exitStatus(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 || (result < 0 && errno == EINTR) { return nil }
        if result < 0 { return -1 }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func reap(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    private static func readPort(_ file: URL) -> Int? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
