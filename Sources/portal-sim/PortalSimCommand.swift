import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import PortalAPI

/// `portal-sim`: a local stand-in for the national portal adapter, for tests and `make demo`.
/// Serves the contract of docs/portal-adapter.openapi.yaml under `--path-prefix`, keeps everything
/// in SQLite, moves statuses on with the clock, injects faults, and has an admin API under `/_sim`.
@main
struct PortalSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal-sim",
        abstract: "A local stand-in for the national portal adapter (kiosk intake API).",
        discussion: """
            The contract is served under --path-prefix (base URL http[s]://HOST:PORT/api/v1), the admin API \
            under /_sim (faults, applications, status overrides, stats) on the same listener and, with \
            --admin-port, on a plain-HTTP listener of its own (for a client without a TLS client certificate).
            """)

    // MARK: Listening

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (see --port-file).")
    var port = 8089

    @Option(help: "Write the bound port number to this file (atomically) once listening.")
    var portFile: String?

    @Option(help: "Path the contract is served under.")
    var pathPrefix = "/api/v1"

    @Option(help: "Also serve the admin API, over plain HTTP, on this port of --host (0 picks a free one).")
    var adminPort: Int?

    @Option(help: "Write the admin listener's port number to this file once listening.")
    var adminPortFile: String?

    // MARK: TLS

    @Option(help: "Server certificate (PEM, may hold the chain): serve HTTPS.")
    var tlsCertificate: String?

    @Option(help: "Private key of --tls-certificate (PEM).")
    var tlsKey: String?

    @Option(help: "CA certificate (PEM): require a client certificate signed by it (mutual TLS).")
    var tlsClientCa: String?

    // MARK: Behaviour

    @Option(help: "SQLite database file, created if missing; a restart on the same file keeps everything.")
    var database = "portal-sim.sqlite"

    @Option(help: "Seconds per status step: received, in_process after N, result_ready after 2N, delivered after 3N. 0 stays received.")
    var statusStepSeconds = 0

    @Option(help: "Largest request body accepted, in bytes.")
    var maxBodyBytes = 64 << 20

    // MARK: Faults

    @Option(help: "Fraction of POSTs answered 500 without storing.")
    var errorRate = 0.0

    @Option(help: "Milliseconds added before answering each POST.")
    var latencyMs = 0

    @Option(help: "Fraction of POSTs whose connection is reset without an answer, nothing stored.")
    var resetRate = 0.0

    @Option(help: "Fraction of POSTs that store the application, then answer 500.")
    var errorAfterCommitRate = 0.0

    @Option(help: "Fraction of POSTs answered 503 with Retry-After.")
    var unavailableRate = 0.0

    @Option(help: "Retry-After seconds of the --unavailable-rate 503s.")
    var retryAfterSeconds = 1

    @Flag(help: "Start down: every contract request is answered 503 without Retry-After.")
    var down = false

    @Flag(help: "Start with new applications held in flight before they are stored, until released with PUT /_sim/faults {\"holdFiling\": false}.")
    var holdFiling = false

    @Option(help: "Seed of the fault dice, for a reproducible fault sequence (default: random, logged).")
    var seed: UInt64?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    var faults: PortalSimFaults {
        PortalSimFaults(errorRate: errorRate, latencyMilliseconds: latencyMs, resetRate: resetRate,
                        errorAfterCommitRate: errorAfterCommitRate, unavailableRate: unavailableRate,
                        retryAfterSeconds: retryAfterSeconds, down: down, holdFiling: holdFiling)
    }

    func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
        if tlsClientCa != nil && tlsCertificate == nil {
            throw ValidationError("--tls-client-ca needs --tls-certificate and --tls-key")
        }
        if let problem = faults.problem { throw ValidationError(problem) }
        if statusStepSeconds < 0 { throw ValidationError("--status-step-seconds must not be negative") }
        if adminPortFile != nil && adminPort == nil { throw ValidationError("--admin-port-file needs --admin-port") }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "portal-sim")

        let store = try ApplicationStore(path: database)
        let seed = seed ?? UInt64.random(in: .min ... .max)
        let faultInjection = FaultInjection(settings: faults, seed: seed)
        let statistics = SimStatistics()
        let gate = IdempotencyGate(store: store)
        let timeline = StatusTimeline(stepSeconds: statusStepSeconds)
        let journal = RequestJournal()
        logger.notice("starting", metadata: ["database": "\(database)", "seed": "\(seed)", "faults": "\(faults)",
                                             "status_step_seconds": "\(statusStepSeconds)"])

        let contract = PortalRoutes(store: store, gate: gate, faults: faultInjection, statistics: statistics,
                                    timeline: timeline, journal: journal, maxBodyBytes: maxBodyBytes)
        let admin = SimAdminRoutes(store: store, gate: gate, faults: faultInjection, statistics: statistics, timeline: timeline,
                                   journal: journal)

        let router = Router(context: PortalRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        contract.add(to: router.group(RouterPath(pathPrefix)))
        admin.add(to: router.group(RouterPath(PortalSimAdmin.rootPath)))

        let server: HTTPServerBuilder
        if let tlsCertificate, let tlsKey {
            server = try .tls(.http1(), tlsConfiguration: try ServerTLS.configuration(certificate: tlsCertificate, key: tlsKey,
                                                                                       clientCA: tlsClientCa))
        } else {
            server = .http1()
        }
        let scheme = tlsCertificate == nil ? "http" : "https"
        var application = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "portal-sim"),
            onServerRunning: { [portFile, host, pathPrefix] channel in
                Self.announce(channel.localAddress?.port, portFile: portFile, logger: logger,
                              what: "\(scheme)://\(host):PORT\(pathPrefix)")
            },
            logger: logger)

        if let adminPort {
            let adminRouter = Router(context: PortalRequestContext.self)
            adminRouter.add(middleware: RequestLogMiddleware(logger: logger))
            admin.add(to: adminRouter.group(RouterPath(PortalSimAdmin.rootPath)))
            application.addServices(Application(
                router: adminRouter,
                configuration: ApplicationConfiguration(address: .hostname(host, port: adminPort), serverName: "portal-sim"),
                onServerRunning: { [adminPortFile, host] channel in
                    Self.announce(channel.localAddress?.port, portFile: adminPortFile, logger: logger,
                                  what: "http://\(host):PORT/\(PortalSimAdmin.rootPath)")
                },
                logger: logger))
        }
        // runService: SIGTERM and SIGINT shut down gracefully (answers in progress are finished).
        try await application.runService()
        logger.notice("stopped")
    }

    /// Logs where a listener is and writes its port file, once it is bound.
    private static func announce(_ port: Int?, portFile: String?, logger: Logger, what: String) {
        guard let port else {
            logger.error("listener has no port")
            return
        }
        logger.notice("listening", metadata: ["url": "\(what.replacingOccurrences(of: "PORT", with: String(port)))"])
        guard let portFile else { return }
        do {
            try PortFile.write(port, to: portFile)
        } catch {
            logger.error("cannot write port file", metadata: ["path": "\(portFile)", "error": "\(error)"])
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
