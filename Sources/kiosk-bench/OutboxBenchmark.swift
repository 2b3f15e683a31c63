import AsyncHTTPClient
import Crypto
import Foundation
import KioskCore
import KioskHarness
import Logging
import NIOCore
import Portal
import PortalAPI
import Synchronization

/// The store-and-forward outbox as the kiosk uses it, against portal-sim over loopback:
/// - durable accept: an application with one 200 KB page recorded (pages fsynced and renamed, row
///   committed with `synchronous=FULL`), the moment after which a receipt may be printed;
/// - draining a backlog (a van back in coverage after days offline): the forwarder sends every
///   pending application and records each answer, against a plain AsyncHTTPClient loop that only
///   posts the same payloads with the same keys and the same number of connections to a fresh
///   portal-sim. Their throughput ratio is what durability and bookkeeping cost on the wire; two
///   rounds, forwarder first then plain first, each side's time summed over both;
/// - lost and duplicated: after the drain, every accepted code must be at the portal exactly once.
struct OutboxBenchmark {
    let accepts: Int
    let acceptPageBytes: Int
    let backlog: Int
    let backlogPageBytes: Int
    /// The forwarder's applications in flight, and the plain loop's parallel requests.
    let concurrency: Int

    struct Figures {
        var accept = Samples()
        var backlogFillSeconds = 0.0
        var drainSeconds = 0.0
        var plainSeconds = 0.0
        /// Each round's throughput, in the order measured within its round.
        var drainRoundsPerSecond: [Double] = []
        var plainRoundsPerSecond: [Double] = []
        var lost = 0
        var duplicated = 0
        /// Over all rounds: seconds are summed, each round drains `backlogCount`.
        var drainPerSecond: Double { Double(backlogCount * OutboxBenchmark.rounds) / drainSeconds }
        var plainPerSecond: Double { Double(backlogCount * OutboxBenchmark.rounds) / plainSeconds }
        var backlogCount = 0
    }

    func measure() async throws -> Figures {
        _ = try StandIns.fromEnvironment()
        let folder = try PackagePaths.temporaryDirectory("bench-outbox")
        defer { try? FileManager.default.removeItem(at: folder) }
        var figures = Figures()
        figures.backlogCount = backlog
        let sealer = PersonalDataSealer(key: SymmetricKey(size: .bits256))

        let acceptOutbox = try Self.openOutbox(folder.appendingPathComponent("accept"), sealer: sealer)
        let acceptIntake = Self.intake(pageBytes: acceptPageBytes)
        for _ in 0..<accepts {
            let started = ContinuousClock.now
            _ = try await acceptOutbox.accept(acceptIntake, at: Date())
            figures.accept.append(milliseconds(.now - started))
        }

        // Two rounds, each with a fresh backlog, in the order forwarder, plain, plain, forwarder:
        // whatever drifts during the run (write-back, the page cache, the other core's work) weighs on
        // both sides alike. On two cores portal-sim and the client share the CPU, and single runs
        // of either moved by ±10 % between runs.
        for round in 0..<Self.rounds {
            let (outbox, payloads, fillSeconds) = try await fillBacklog(in: try Self.subfolder(folder, "backlog-\(round)"), sealer: sealer)
            figures.backlogFillSeconds += fillSeconds / Double(Self.rounds)
            if round % 2 == 0 {
                try await drain(outbox, folder: folder, round: round, into: &figures)
                try await postPlainly(payloads, folder: folder, round: round, into: &figures)
            } else {
                try await postPlainly(payloads, folder: folder, round: round, into: &figures)
                try await drain(outbox, folder: folder, round: round, into: &figures)
            }
        }
        return figures
    }

    static let rounds = 2

    /// Accepts the backlog (a code's sequence is per kiosk and local day, at most 9,999: the backlog
    /// is spread over days, as a van offline for a week would have gathered it); returns the outbox,
    /// the request bodies the forwarder will send, and how long accepting took.
    func fillBacklog(in folder: URL, sealer: PersonalDataSealer) async throws -> (Outbox, [(body: Data, key: String)], Double) {
        let outbox = try Self.openOutbox(folder, sealer: sealer)
        let backlogIntake = Self.intake(pageBytes: backlogPageBytes)
        let firstDay = Date().addingTimeInterval(-30 * 86_400)
        let fillStarted = ContinuousClock.now
        for index in 0..<backlog {
            _ = try await outbox.accept(backlogIntake, at: firstDay.addingTimeInterval(Double(index / 5_000) * 86_400 + Double(index)))
        }
        let fillSeconds = milliseconds(.now - fillStarted) / 1000
        let entries = try await outbox.recent(limit: backlog + 1)
        guard entries.count == backlog else { throw BenchmarkFailure("the outbox holds \(entries.count) of \(backlog) applications") }
        // The plain loop's payloads, made before either run: exactly what the forwarder sends.
        let payloads = try entries.map { (body: try outbox.requestBody(for: $0), key: $0.idempotencyKey) }
        // The fill wrote hundreds of megabytes; flushed now, the kernel's write-back does not land on
        // whichever run comes first.
        sync()
        return (outbox, payloads, fillSeconds)
    }

    /// The forwarder drains `outbox` to a fresh portal-sim; adds its time, and what was lost or
    /// filed twice, to `figures`.
    func drain(_ outbox: Outbox, folder: URL, round: Int, into figures: inout Figures) async throws {
        let forwarded = try await PortalSimulator.start(in: try Self.subfolder(folder, "portal-forwarder-\(round)"))
        let client = try PortalClient(settings: Self.settings(forwarded), maximumConnections: concurrency)
        // kioskd logs one line per delivery at info; the bench drops them so 10,000 lines do not
        // flood its report (formatting a line costs microseconds, far below a request).
        let forwarder = Forwarder(outbox: outbox, client: client, concurrency: concurrency, retentionDays: 30,
                                  logger: Logger(label: "bench-forwarder") { _ in SwiftLogNoOpLogHandler() })
        let drainStarted = ContinuousClock.now
        let forwarding = Task { await forwarder.run() }
        // Looked at four times a second: each look is a query the plain loop does not pay, and a
        // quarter second is under 1% of a drain of thousands.
        while try await outbox.summary().pending > 0 {
            try await Task.sleep(for: .milliseconds(250))
        }
        let seconds = milliseconds(.now - drainStarted) / 1000
        figures.drainSeconds += seconds
        figures.drainRoundsPerSecond.append(Double(backlog) / seconds)
        forwarding.cancel()
        await forwarding.value
        await client.shutdown()

        let stored = try await forwarded.applications()
        let storedCodes = Dictionary(grouping: stored, by: \.kioskCode)
        let delivered = try await outbox.recent(limit: backlog + 1)
        figures.lost += delivered.filter { entry in entry.state != .delivered || storedCodes[entry.kioskCode] == nil }.count
        // A kiosk code filed more than once at the portal (repeats under one key are not: they file once).
        figures.duplicated += storedCodes.values.reduce(0) { $0 + $1.count - 1 }
        _ = try await forwarded.stop()
    }

    /// The plain loop posts `payloads` to a fresh portal-sim; adds its time to `figures`.
    func postPlainly(_ payloads: [(body: Data, key: String)], folder: URL, round: Int, into figures: inout Figures) async throws {
        let plain = try await PortalSimulator.start(in: try Self.subfolder(folder, "portal-plain-\(round)"))
        let seconds = try await Self.postPlainly(payloads, to: plain.baseURL, concurrency: concurrency)
        figures.plainSeconds += seconds
        figures.plainRoundsPerSecond.append(Double(backlog) / seconds)
        let plainStored = try await plain.applications().count
        guard plainStored == backlog else { throw BenchmarkFailure("the plain loop filed \(plainStored) of \(backlog)") }
        _ = try await plain.stop()
    }

    /// A plain client: one AsyncHTTPClient, `concurrency` requests at a time, each payload posted
    /// once with its key; no outbox, no retries (portal-sim runs without faults here). Returns seconds.
    static func postPlainly(_ payloads: [(body: Data, key: String)], to baseURL: URL, concurrency: Int) async throws -> Double {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        configuration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let url = baseURL.absoluteString + (baseURL.absoluteString.hasSuffix("/") ? "" : "/") + PortalWire.applicationsPath
        let next = NextIndex()
        let started = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            let index = next.take()
                            guard index < payloads.count else { return }
                            var request = HTTPClientRequest(url: url)
                            request.method = .POST
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.headers.add(name: PortalWire.idempotencyKeyHeader, value: payloads[index].key)
                            request.body = .bytes(ByteBuffer(bytes: payloads[index].body))
                            let response = try await client.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            guard response.status.code == 201 else {
                                throw BenchmarkFailure("plain loop: HTTP \(response.status.code) for payload \(index)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        let seconds = milliseconds(.now - started) / 1000
        try await client.shutdown()
        return seconds
    }

    static func openOutbox(_ directory: URL, sealer: PersonalDataSealer) throws -> Outbox {
        try Outbox(directory: directory.path, kioskID: "bench-01", kioskNumber: "00901",
                   timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, sealer: sealer)
    }

    static func settings(_ simulator: PortalSimulator) -> PortalSettings {
        PortalSettings(baseURL: simulator.baseURL, caFile: nil, clientCertificate: nil, clientKey: nil,
                       connectTimeoutSeconds: 5, requestTimeoutSeconds: 30)
    }

    static func subfolder(_ folder: URL, _ name: String) throws -> URL {
        let subfolder = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: true)
        return subfolder
    }

    /// A made-up applicant (no real person) with one page of random bytes, which compress as badly
    /// as a JPEG scan.
    static func intake(pageBytes: Int) -> ApplicationIntake {
        var generator = SystemRandomNumberGenerator()
        let page = Data((0..<pageBytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let address = "Thôn Đông, xã Minh Quang, huyện Ba Vì, Hà Nội"
        return ApplicationIntake(
            procedureCode: "1.001193",
            applicant: .init(citizenID: "001099000001", fullName: "Người Thử Nghiệm", dateOfBirth: "1960-01-01", gender: "Nam",
                             phone: "0900000001", address: address),
            delivery: .init(method: "post", address: address),
            attachments: [.init(fileName: "documents.pdf", mediaType: "application/pdf", content: page)])
    }
}

/// The next payload to post, shared by the plain loop's workers.
private final class NextIndex: Sendable {
    private let value = Mutex(0)

    func take() -> Int {
        value.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
