import ControlProtocol
import Foundation
import KioskCore
import KioskHarness
import PortalAPI
import Testing

/// kill -9 at random moments while 500 applications are taken and forwarded, at least 200 times:
/// the portal holds every application a client was given a code for, each exactly once, and no
/// receipt came out of the printer for an application the portal does not hold.
@Suite struct ApplicationCrashTests {
    /// At least 200 kills (the issue's bar); `KIOSK_CRASH_ROUNDS` may ask for more, never fewer.
    static let rounds = max(200, Int(ProcessInfo.processInfo.environment["KIOSK_CRASH_ROUNDS"] ?? "") ?? 200)
    static let applications = 500

    @Test func killNineWhileTakingAndForwardingNeverLosesOrDuplicatesAnApplication() async throws {
        let standIns = try StandIns.fromEnvironment()
        let receiptsBefore = Set(try capturedReceiptCodes(standIns: standIns))
        let folder = try PackagePaths.temporaryDirectory("application-crash-portal")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A portal that also loses some answers after committing: the resend after a kill must
        // not file twice either.
        let simulator = try await PortalSimulator.start(in: folder, options: .init(
            faults: PortalSimFaults(errorRate: 0.05, resetRate: 0, errorAfterCommitRate: 0.05, unavailableRate: 0, retryAfterSeconds: 1),
            seed: 11))
        let kiosk = try DemoKiosk(purpose: "application-crash", portalBaseURL: simulator.baseURL)
        var random = SystemRandomNumberGenerator()
        let answered = AnsweredCodes()
        var killedWhileFiling = 0
        for round in 0..<Self.rounds {
            let daemon = try kiosk.start()
            guard await offThePool({ kiosk.waitUntilReady() }) != nil else {
                Issue.record("round \(round): kioskd did not become ready:\n\(daemon.standardError)")
                return
            }
            let socket = kiosk.controlSocket.path
            let before = answered.count
            // What the outbox holds counts, answered or not: a kill between the commit and the
            // answer (the receipt is printed in between) leaves an application taken but unanswered.
            let stored = await offThePool { controlExchange(socket, "outbox") }.flatMap(\.outbox).map { $0.pending + $0.delivered + $0.refused } ?? 0
            // Two clerks file applications as fast as the kiosk takes them, until it dies or the
            // 500 are in; after that the kills land while the backlog is being forwarded.
            let clients = (0..<2).map { _ in
                Thread {
                    while stored + answered.count - before < Self.applications,
                          let filed = controlExchange(socket, "application-file", applicationArguments())?.application {
                        answered.append(filed.code)
                    }
                    answered.finish()
                }
            }
            clients.forEach { $0.start() }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...900, using: &random)))
            daemon.send(SIGKILL)
            #expect(await offThePool { daemon.waitForExit(timeout: .seconds(5)) } != nil, "round \(round): kioskd did not die")
            try await answered.waitForFinished(count: 2 * (round + 1))
            if answered.count > before && stored + answered.count - before < Self.applications { killedWhileFiling += 1 }
        }
        #expect(killedWhileFiling > 20, "too few kills landed while applications were being taken")

        // One last start: the forwarder drains what is left.
        let daemon = try kiosk.start()
        #expect(await offThePool { kiosk.waitUntilReady() } != nil)
        let deadline = ContinuousClock.now + .seconds(300)
        let socket = kiosk.controlSocket.path
        var outbox = await offThePool { controlExchange(socket, "outbox") }?.outbox
        while ContinuousClock.now < deadline, (outbox?.pending ?? 1) > 0 {
            try await Task.sleep(for: .seconds(1))
            outbox = await offThePool { controlExchange(socket, "outbox") }?.outbox
        }
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(10)) } == 0)
        let filed = try await simulator.applications()
        _ = try await simulator.stop()
        let receipts = try capturedReceiptCodes(standIns: standIns).filter { !receiptsBefore.contains($0) }
        let atPortal = Dictionary(grouping: filed, by: \.kioskCode)
        let codes = answered.codes
        print("application crash test: \(Self.rounds) kill -9 rounds, \(killedWhileFiling) while taking applications; "
              + "\(codes.count) codes answered, \(filed.count) filed at the portal, \(receipts.count) receipts printed, "
              + "outbox \(outbox.map { "pending \($0.pending) delivered \($0.delivered) refused \($0.refused)" } ?? "unreadable"), "
              + "\(filed.filter { $0.postRequests > 1 }.count) filed after a repeat")

        #expect(filed.count >= Self.applications, "only \(filed.count) applications taken in \(Self.rounds) rounds")
        #expect(outbox?.pending == 0 && outbox?.refused == 0, "the outbox did not drain: \(String(describing: outbox))")
        #expect(Set(codes).count == codes.count, "a code was answered twice")
        #expect(atPortal.values.allSatisfy { $0.count == 1 }, "filed twice: \(atPortal.filter { $0.value.count > 1 }.keys.sorted())")
        let missing = Set(codes).subtracting(atPortal.keys)
        #expect(missing.isEmpty, "answered but never filed: \(missing.sorted())")
        let unstored = Set(receipts).subtracting(atPortal.keys)
        #expect(unstored.isEmpty, "a receipt was printed for an application the portal does not hold: \(unstored.sorted())")
        #expect(Set(receipts).count == receipts.count, "a receipt was printed twice")
    }
}

/// Codes the clerk threads were given, and how many clerks have stopped.
private final class AnsweredCodes: @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var answered: [String] = []
    private var finished = 0

    func append(_ code: String) { lock.withLock { answered.append(code) } }
    func finish() { lock.withLock { finished += 1 } }
    var count: Int { lock.withLock { answered.count } }
    var codes: [String] { lock.withLock { answered } }

    // Polls rather than blocking: a test must not hold one of the cooperative pool's two threads.
    func waitForFinished(count: Int) async throws {
        while lock.withLock({ finished }) < count { try await Task.sleep(for: .milliseconds(5)) }
    }
}
