import Foundation
import KioskCore
import KioskHarness
import Logging
import Portal
import PortalAPI
import Testing

/// The forwarder over HTTPS with mutual TLS, as a kiosk reaches the real adapter: the profile's
/// `ca_file` decides whom the kiosk trusts, its client certificate tells the portal which kiosk it
/// is. The certificates are made by the test (`TestCertificateAuthority`), portal-sim serves them.
@Suite struct ForwarderTLSTests {
    /// portal-sim over HTTPS with a certificate for 127.0.0.1 signed by `authority`, requiring a
    /// client certificate signed by it too; `kiosk` is such a certificate.
    struct SecuredPortal {
        let simulator: PortalSimulator
        let authority: TestCertificateAuthority
        let kiosk: TestCertificateAuthority.Issued

        /// A profile's portal settings with the kiosk's certificate and `caFile` as the trusted CA.
        func settings(trusting caFile: URL) -> PortalSettings {
            PortalSettings(baseURL: simulator.baseURL, caFile: caFile.path, clientCertificate: kiosk.certificate.path,
                           clientKey: kiosk.key.path, connectTimeoutSeconds: 2, requestTimeoutSeconds: 5)
        }
    }

    static func securedPortal(in directory: URL) async throws -> SecuredPortal {
        let authority = try TestCertificateAuthority.create(in: directory, name: "portal-ca")
        let server = try authority.issue("portal-sim", for: .loopbackServer)
        let kiosk = try authority.issue("kiosk", for: .client(commonName: "kiosk-test-01"))
        let tls = PortalSimulator.TLSFiles(certificate: server.certificate, key: server.key, clientCA: authority.certificate)
        let simulator = try await PortalSimulator.start(in: try ForwarderTests.portalFolder(directory), options: .init(tls: tls))
        return SecuredPortal(simulator: simulator, authority: authority, kiosk: kiosk)
    }

    /// Runs a forwarder with `settings` over `outbox` until `condition` holds, then stops it and
    /// shuts its client down, also when the wait failed (an HTTP client must be shut down before
    /// it is released).
    static func forward(_ outbox: Outbox, settings: PortalSettings, until what: String,
                        _ condition: () async throws -> Bool) async throws {
        let client = try PortalClient(settings: settings)
        let forwarder = ForwarderTests.forwarder(outbox, client, label: "forwarder-tls-test")
        let running = Task { await forwarder.run() }
        var failure: (any Error)?
        do {
            try await eventually(what, condition)
        } catch {
            failure = error
        }
        running.cancel()
        await running.value
        await client.shutdown()
        if let failure { throw failure }
    }

    @Test func applicationsAreDeliveredOverMutualTLSToAPortalSignedByTheProfilesCA() async throws {
        let directory = try PackagePaths.temporaryDirectory("forwarder-tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let portal = try await Self.securedPortal(in: directory)
        #expect(portal.simulator.baseURL.scheme == "https")

        let (filed, entries) = try await ForwarderTests.forward(count: 3, to: portal.simulator, directory: directory,
                                                                settings: portal.settings(trusting: portal.authority.certificate))
        _ = try await portal.simulator.stop()
        #expect(entries.allSatisfy { $0.state == .delivered }, "\(entries.map(\.lastError))")
        #expect(filed.count == 3)
        #expect(Set(filed.map(\.idempotencyKey)) == Set(entries.map(\.idempotencyKey)))
        let portalCodes = Dictionary(uniqueKeysWithValues: filed.map { ($0.kioskCode, $0.portalCode) })
        for entry in entries { #expect(entry.portalCode == portalCodes[entry.kioskCode]) }
    }

    @Test func aPortalCertificateNotSignedByTheProfilesCAGetsNothingAndIsNamedUntilTheSettingsAreCorrected() async throws {
        let directory = try PackagePaths.temporaryDirectory("forwarder-tls-wrong-ca")
        defer { try? FileManager.default.removeItem(at: directory) }
        let portal = try await Self.securedPortal(in: directory)
        // Another CA, as a profile shipped with the wrong ca_file (or the portal's CA was renewed).
        let otherAuthority = try TestCertificateAuthority.create(in: directory, name: "other-ca")
        let outbox = try OutboxTests.openOutbox(directory.appendingPathComponent("outbox"))
        var codes: Set<String> = []
        for _ in 0..<2 {
            codes.insert(try await outbox.accept(OutboxTests.intake(pageBytes: 5_000), at: Date()).code.digits)
        }

        // Two attempts each: the failure is the forwarder's steady answer, not a one-off.
        try await Self.forward(outbox, settings: portal.settings(trusting: otherAuthority.certificate),
                               until: "every application was tried twice") {
            try await outbox.recent(limit: 10).allSatisfy { $0.attempts >= 2 }
        }

        let waiting = try await outbox.recent(limit: 10)
        #expect(waiting.count == 2)
        for entry in waiting {
            #expect(entry.state == .pending)
            #expect(entry.nextAttemptAt != nil)
            let lastError = try #require(entry.lastError)
            #expect(lastError.contains("portal's certificate was not trusted"), "\(lastError)")
            for personal in [OutboxTests.citizenID, OutboxTests.phone, OutboxTests.fullName, OutboxTests.address] {
                #expect(!lastError.contains(personal), "lastError quotes personal data")
            }
        }
        // The handshake failed before any request: the portal saw none and filed nothing.
        #expect(try await portal.simulator.requests().isEmpty)
        #expect(try await portal.simulator.applications().isEmpty)

        // The technician corrects ca_file: a new client, the same outbox, nothing accepted again.
        try await Self.forward(outbox, settings: portal.settings(trusting: portal.authority.certificate),
                               until: "both applications were delivered") {
            try await outbox.summary().pending == 0
        }

        let delivered = try await outbox.recent(limit: 10)
        #expect(delivered.allSatisfy { $0.state == .delivered && $0.lastError == nil }, "\(delivered.map(\.lastError))")
        let filed = try await portal.simulator.applications()
        #expect(Set(filed.map(\.kioskCode)) == codes)
        #expect(filed.allSatisfy { $0.postRequests == 1 }, "each application reached the portal once, after the correction")
        _ = try await portal.simulator.stop()
    }

    @Test func aKioskCertificateThePortalDoesNotAcceptIsNamedAndNothingIsFiled() async throws {
        let directory = try PackagePaths.temporaryDirectory("forwarder-tls-foreign-kiosk")
        defer { try? FileManager.default.removeItem(at: directory) }
        let portal = try await Self.securedPortal(in: directory)
        // The kiosk trusts the right CA but holds a certificate from another one (a kiosk moved
        // between regions, or given a certificate for the test portal).
        let foreign = try TestCertificateAuthority.create(in: directory, name: "foreign-ca")
            .issue("kiosk", for: .client(commonName: "kiosk-test-01"))
        var settings = portal.settings(trusting: portal.authority.certificate)
        settings.clientCertificate = foreign.certificate.path
        settings.clientKey = foreign.key.path
        let outbox = try OutboxTests.openOutbox(directory.appendingPathComponent("outbox"))
        _ = try await outbox.accept(OutboxTests.intake(pageBytes: 5_000), at: Date())

        try await Self.forward(outbox, settings: settings, until: "the application was tried twice") {
            try await outbox.recent(limit: 1).first.map { $0.attempts >= 2 } ?? false
        }

        let entry = try #require(try await outbox.recent(limit: 1).first)
        #expect(entry.state == .pending)
        let lastError = try #require(entry.lastError)
        #expect(lastError.contains("did not accept this kiosk's client certificate"), "\(lastError)")
        #expect(try await portal.simulator.applications().isEmpty)
        _ = try await portal.simulator.stop()
    }
}
