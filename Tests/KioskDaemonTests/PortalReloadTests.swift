import Foundation
import KioskHarness
import Testing

/// A technician corrects the portal section of a running kiosk's profile and reloads: the kiosk
/// files with the new address at once, without a restart, and what cannot change on a running
/// outbox is said to wait for the next start.
@Suite struct PortalReloadTests {
    /// Nothing listens there: every attempt fails at once with a refused connection.
    static let wrongAddress = "http://127.0.0.1:1/api/v1"

    @Test func aCorrectedPortalAddressTakesEffectOnReloadAndPendingApplicationsGoAtOnce() async throws {
        let folder = try PackagePaths.temporaryDirectory("reload-portal-sim")
        defer { try? FileManager.default.removeItem(at: folder) }
        let simulator = try await PortalSimulator.start(in: folder)
        let rightAddress = simulator.baseURL.absoluteString
        let kiosk = try DemoKiosk(purpose: "reload-portal", portalBaseURL: simulator.baseURL) {
            $0.replacingOccurrences(of: rightAddress, with: Self.wrongAddress)
        }
        let daemon = try kiosk.start()
        #expect(await offThePool { kiosk.waitUntilReady() } != nil, "kioskd did not become ready:\n\(daemon.standardError)")
        let socket = kiosk.controlSocket.path

        let filed = try #require((await offThePool { controlExchange(socket, "application-file", applicationArguments()) })?.application)
        // Tried against the wrong address until the backoff puts the next attempt well ahead.
        var waiting: (attempts: Int, nextAttemptAt: String?)?
        for _ in 0..<300 {
            if let entry = (await offThePool { controlExchange(socket, "outbox") })?.outbox?.applications.first(where: { $0.code == filed.code }),
               entry.state == "pending", entry.attempts >= 3 {
                waiting = (entry.attempts, entry.nextAttemptAt)
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let before = try #require(waiting, "the application was not tried three times against the wrong address")
        #expect(try await simulator.applications().isEmpty)

        // The address corrected, the profile reloaded: no restart.
        try kiosk.rewriteProfile { $0 }
        let reloaded = await offThePool { controlExchange(socket, "profile-reload") }
        #expect(reloaded?.error == nil, "\(String(describing: reloaded?.error))")
        let atPortal = try await ApplicationFilingTests.waitForPortal(simulator, toHold: filed.code, timeout: .seconds(60))
        #expect(atPortal != nil, "the application never reached the corrected address")
        let log = daemon.standardError
        // Made due by the reload, not left to its backoff (which a loaded machine may also let run
        // out meanwhile, so the attempts are not counted exactly).
        #expect(log.contains("portal connection renewed") && log.contains("pending_due_now=1"), "\(log)")
        let entry = try #require((await offThePool { controlExchange(socket, "outbox") })?.outbox?.applications.first { $0.code == filed.code })
        #expect(entry.state == "delivered" && entry.attempts > before.attempts,
                "\(entry.state) after \(entry.attempts) attempts; \(before.attempts) before the reload (next was due \(before.nextAttemptAt ?? "?"))")

        // A new key path cannot apply to an outbox already sealed with the old key: said, and
        // applications go on with the outbox as it is.
        try kiosk.rewriteProfile { $0.replacingOccurrences(of: kiosk.outboxKeyFile.path, with: kiosk.outboxKeyFile.path + ".new") }
        _ = await offThePool { controlExchange(socket, "profile-reload") }
        #expect(daemon.standardError.contains("outbox settings changed; they take effect at the next start"))
        let second = try #require((await offThePool { controlExchange(socket, "application-file", applicationArguments()) })?.application)
        #expect(try await ApplicationFilingTests.waitForPortal(simulator, toHold: second.code) != nil)
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(5)) } == 0)
    }
}
