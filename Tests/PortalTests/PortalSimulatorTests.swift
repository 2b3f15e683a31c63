import AsyncHTTPClient
import Foundation
import KioskHarness
import NIOCore
import NIOSSL
import PortalAPI
import Testing

/// portal-sim as a kiosk sees it: the real executable, over loopback, with AsyncHTTPClient (the
/// client kioskd's forwarder uses). Every check is something a client notices: status codes,
/// headers, bodies, what the admin API says was stored. No timing assertions: where time matters
/// (statuses moving on, a request still in flight) the tests poll with generous deadlines.
@Suite("portal-sim")
struct PortalSimulatorTests {
    // MARK: Filing and idempotency

    @Test func newApplicationGets201AndADigitsOnlyPortalCode() async throws {
        try await withSimulator("new") { simulator, client in
            let submission = Fixture.submission()
            let answer = try await client.file(Fixture.encode(submission), key: "key-1", to: simulator)
            #expect(answer.status == 201)
            #expect(answer.header(PortalWire.replayedHeader) == nil)
            let report = try answer.decode(ApplicationStatusReport.self)
            #expect(report.kioskCode == submission.kioskCode)
            #expect(report.status == .received)
            #expect(!report.portalCode.isEmpty && report.portalCode.allSatisfy { $0.isASCII && $0.isNumber })

            let stored = try await simulator.applications()
            #expect(stored.count == 1)
            #expect(stored.first?.portalCode == report.portalCode)
            #expect(stored.first?.idempotencyKey == "key-1")
            #expect(stored.first?.attachmentCount == 1)
            #expect(stored.first?.postRequests == 1)
        }
    }

    @Test func sameKeyAndSameBodyReplaysTheIdenticalAnswer() async throws {
        try await withSimulator("replay") { simulator, client in
            let body = try Fixture.encode(Fixture.submission())
            let first = try await client.file(body, key: "key-replay", to: simulator)
            let second = try await client.file(body, key: "key-replay", to: simulator)
            #expect(first.status == 201)
            #expect(second.status == 201)
            #expect(second.header(PortalWire.replayedHeader) == "true")
            #expect(second.body == first.body)

            let stored = try await simulator.applications()
            #expect(stored.count == 1)
            #expect(stored.first?.postRequests == 2)
            #expect(try await simulator.stats().replayed == 1)
        }
    }

    @Test func sameKeyWithAnotherBodyIsRefused422() async throws {
        try await withSimulator("mismatch") { simulator, client in
            let submission = Fixture.submission()
            #expect(try await client.file(Fixture.encode(submission), key: "key-m", to: simulator).status == 201)
            var changed = submission
            changed.procedureCode = "2.000001"
            let answer = try await client.file(Fixture.encode(changed), key: "key-m", to: simulator)
            #expect(answer.status == 422)
            #expect(answer.header("Content-Type") == PortalWire.problemMediaType)
            #expect(try answer.decode(PortalProblem.self).status == 422)
            #expect(try await simulator.applications().count == 1)
        }
    }

    @Test func anotherKeyForAFiledKioskCodeIsRefused422() async throws {
        try await withSimulator("kiosk-code") { simulator, client in
            let body = try Fixture.encode(Fixture.submission())
            #expect(try await client.file(body, key: "key-a", to: simulator).status == 201)
            let answer = try await client.file(body, key: "key-b", to: simulator)
            #expect(answer.status == 422)
            #expect(try answer.decode(PortalProblem.self).status == 422)
            let stored = try await simulator.applications()
            #expect(stored.map(\.idempotencyKey) == ["key-a"])
        }
    }

    @Test func repeatWhileTheFirstIsStillInFlightGets409() async throws {
        try await withSimulator("in-flight") { simulator, client in
            // Held in flight until released, so the repeat meets it however loaded the machine.
            try await simulator.changeFaults(PortalSimFaultsChange(holdFiling: true))
            let body = try Fixture.encode(Fixture.submission())
            let first = Task { try await client.file(body, key: "key-slow", to: simulator) }
            try await eventually("the first request is in flight") { try await simulator.stats().inFlight == 1 }

            let repeated = try await client.file(body, key: "key-slow", to: simulator)
            #expect(repeated.status == 409)
            #expect(try repeated.decode(PortalProblem.self).status == 409)
            #expect(try await simulator.applications().isEmpty, "nothing is stored while the first is held")

            try await simulator.changeFaults(PortalSimFaultsChange(holdFiling: false))
            let firstAnswer = try await first.value
            #expect(firstAnswer.status == 201)
            let afterwards = try await client.file(body, key: "key-slow", to: simulator)
            #expect(afterwards.status == 201)
            #expect(afterwards.header(PortalWire.replayedHeader) == "true")
            #expect(afterwards.body == firstAnswer.body)
            #expect(try await simulator.applications().count == 1)
        }
    }

    // MARK: Status look-ups

    @Test func statusIsFoundByPortalCodeAndByKioskCode() async throws {
        try await withSimulator("lookup") { simulator, client in
            let submission = Fixture.submission()
            let filed = try await client.file(Fixture.encode(submission), key: "key-l", to: simulator)
                .decode(ApplicationStatusReport.self)
            for code in [filed.portalCode, submission.kioskCode] {
                let answer = try await client.get(simulator.baseURL, "applications/\(code)")
                #expect(answer.status == 200)
                let report = try answer.decode(ApplicationStatusReport.self)
                #expect(report.portalCode == filed.portalCode)
                #expect(report.kioskCode == submission.kioskCode)
                #expect(report.status == .received)
            }
        }
    }

    @Test func unknownCodeIs404() async throws {
        try await withSimulator("unknown") { simulator, client in
            let answer = try await client.get(simulator.baseURL, "applications/123456789012")
            #expect(answer.status == 404)
            #expect(try answer.decode(PortalProblem.self).status == 404)
            #expect(try await client.get(simulator.baseURL, "health").decode([String: String].self) == ["status": "ok"])
        }
    }

    @Test func statusMovesOnWithTheClock() async throws {
        try await withSimulator("clock", options: .init(statusStepSeconds: 1)) { simulator, client in
            let filed = try await client.file(Fixture.encode(Fixture.submission()), key: "key-c", to: simulator)
                .decode(ApplicationStatusReport.self)
            #expect(filed.status == .received)
            let order: [PortalStatus] = [.received, .inProcess, .resultReady, .delivered]
            var seen: [PortalStatus] = [filed.status]
            try await eventually("the application is delivered") {
                let report = try await client.get(simulator.baseURL, "applications/\(filed.portalCode)")
                    .decode(ApplicationStatusReport.self)
                if report.status != seen.last { seen.append(report.status) }
                return report.status == .delivered
            }
            // Forward only, in the office's order (polling may miss a step, never reverse one).
            let positions = seen.compactMap { order.firstIndex(of: $0) }
            #expect(positions.count == seen.count)
            #expect(positions == positions.sorted())
        }
    }

    @Test func statusOverrideIsWhatTheClientSees() async throws {
        try await withSimulator("override") { simulator, client in
            let submission = Fixture.submission()
            let filed = try await client.file(Fixture.encode(submission), key: "key-o", to: simulator)
                .decode(ApplicationStatusReport.self)
            try await simulator.setStatus(.needsMoreDocuments, note: "Bring the original birth certificate", forCode: filed.portalCode)
            let report = try await client.get(simulator.baseURL, "applications/\(submission.kioskCode)")
                .decode(ApplicationStatusReport.self)
            #expect(report.status == .needsMoreDocuments)
            #expect(report.note == "Bring the original birth certificate")
            #expect(try await simulator.applications().first?.status == .needsMoreDocuments)
        }
    }

    // MARK: Faults

    @Test func injected500StoresNothingAndTheRetryFiles() async throws {
        try await withSimulator("error", options: .init(faults: .init(errorRate: 1))) { simulator, client in
            let body = try Fixture.encode(Fixture.submission())
            let failed = try await client.file(body, key: "key-e", to: simulator)
            #expect(failed.status == 500)
            #expect(try await simulator.applications().isEmpty)

            try await simulator.setFaults(.none)
            let retried = try await client.file(body, key: "key-e", to: simulator)
            #expect(retried.status == 201)
            #expect(retried.header(PortalWire.replayedHeader) == nil)
            #expect(try await simulator.applications().first?.postRequests == 2)
        }
    }

    @Test func answerLostAfterCommitIsReplayedOnRetry() async throws {
        try await withSimulator("after-commit", options: .init(faults: .init(errorAfterCommitRate: 1))) { simulator, client in
            let body = try Fixture.encode(Fixture.submission())
            let lost = try await client.file(body, key: "key-ac", to: simulator)
            #expect(lost.status == 500)
            let stored = try await simulator.applications()
            #expect(stored.count == 1)

            try await simulator.setFaults(.none)
            let retried = try await client.file(body, key: "key-ac", to: simulator)
            #expect(retried.status == 201)
            #expect(retried.header(PortalWire.replayedHeader) == "true")
            #expect(try retried.decode(ApplicationStatusReport.self).portalCode == stored.first?.portalCode)
            #expect(try await simulator.applications().count == 1)
        }
    }

    @Test func unavailableAnswers503WithRetryAfter() async throws {
        let faults = PortalSimFaults(unavailableRate: 1, retryAfterSeconds: 7)
        try await withSimulator("unavailable", options: .init(faults: faults)) { simulator, client in
            let answer = try await client.file(Fixture.encode(Fixture.submission()), key: "key-u", to: simulator)
            #expect(answer.status == 503)
            #expect(answer.header("Retry-After") == "7")
            #expect(try await simulator.applications().isEmpty)
        }
    }

    @Test func resetClosesTheConnectionWithoutAnswerAndStoresNothing() async throws {
        try await withSimulator("reset", options: .init(faults: .init(resetRate: 1))) { simulator, client in
            let body = try Fixture.encode(Fixture.submission())
            await #expect(throws: (any Error).self) {
                _ = try await client.file(body, key: "key-r", to: simulator)
            }
            #expect(try await simulator.applications().isEmpty)
            #expect(try await simulator.stats().resets >= 1)

            try await simulator.setFaults(.none)
            #expect(try await client.file(body, key: "key-r", to: simulator).status == 201)
        }
    }

    @Test func downAnswersEveryRequest503WithoutRetryAfter() async throws {
        try await withSimulator("down") { simulator, client in
            try await simulator.changeFaults(PortalSimFaultsChange(down: true))
            let filing = try await client.file(Fixture.encode(Fixture.submission()), key: "key-d", to: simulator)
            #expect(filing.status == 503)
            #expect(filing.header("Retry-After") == nil)
            let health = try await client.get(simulator.baseURL, "health")
            #expect(health.status == 503)
            #expect(health.header("Retry-After") == nil)
            #expect(try await simulator.applications().isEmpty)

            try await simulator.changeFaults(PortalSimFaultsChange(down: false))
            #expect(try await client.get(simulator.baseURL, "health").status == 200)
        }
    }

    @Test func sameSeedGivesTheSameFaultSequence() async throws {
        func statuses(_ purpose: String) async throws -> [Int] {
            let options = PortalSimulator.Options(faults: .init(errorRate: 0.5), seed: 2024)
            return try await withSimulator(purpose, options: options) { simulator, client in
                var statuses: [Int] = []
                for index in 0..<12 {
                    let answer = try await client.file(Fixture.encode(Fixture.submission()), key: "key-\(index)", to: simulator)
                    statuses.append(answer.status)
                }
                return statuses
            }
        }
        let first = try await statuses("seed-a")
        let second = try await statuses("seed-b")
        #expect(first == second)
        // With a rate of one half over twelve requests, this seed gives both outcomes.
        #expect(first.contains(500) && first.contains(201))
    }

    // MARK: Request journal

    @Test func requestJournalListsContractRequestsByArrivalWithOutcomeAndNothingPersonal() async throws {
        // The first request is held in flight; the second, sent meanwhile, is answered first.
        try await withSimulator("journal", options: .init(faults: .init(holdFiling: true))) { simulator, client in
            let body = try Fixture.encode(Fixture.submission())
            let first = Task { try await client.file(body, key: "key-j", to: simulator) }
            try await eventually("the first request is in flight") { try await simulator.stats().inFlight == 1 }
            #expect(try await client.file(body, key: "key-j", to: simulator).status == 409)
            try await simulator.changeFaults(PortalSimFaultsChange(holdFiling: false))
            #expect(try await first.value.status == 201)
            #expect(try await client.get(simulator.baseURL, "health").status == 200)

            let journal = try await simulator.requests()
            #expect(journal.map(\.outcome) == ["created", "conflict409", nil])
            #expect(journal.map(\.status) == [201, 409, 200])
            #expect(journal.map(\.method) == ["POST", "POST", "GET"])
            #expect(journal.prefix(2).allSatisfy { $0.idempotencyKey == "key-j" })
            for request in journal {
                let received = try #require(request.receivedDate)
                let answered = try #require(request.answeredDate)
                #expect(received <= answered)
            }
            // The first arrived first, and was answered after the second.
            #expect(try #require(journal[0].answeredDate) > #require(journal[1].answeredDate))
            let raw = String(decoding: try JSONEncoder().encode(journal), as: UTF8.self)
            for personal in Fixture.personalData { #expect(!raw.contains(personal), "the journal quotes personal data") }
        }
    }

    // MARK: Durability and life cycle

    @Test func applicationsSurviveKillAndRestart() async throws {
        try await withSimulator("kill") { simulator, client in
            let body = try Fixture.encode(Fixture.submission())
            let filed = try await client.file(body, key: "key-k", to: simulator)
            let report = try filed.decode(ApplicationStatusReport.self)
            let portBefore = simulator.port

            simulator.kill()
            try await simulator.restart()
            #expect(simulator.port == portBefore)

            let lookedUp = try await client.get(simulator.baseURL, "applications/\(report.portalCode)")
            #expect(lookedUp.status == 200)
            #expect(try lookedUp.decode(ApplicationStatusReport.self).kioskCode == report.kioskCode)
            let replayed = try await client.file(body, key: "key-k", to: simulator)
            #expect(replayed.status == 201)
            #expect(replayed.header(PortalWire.replayedHeader) == "true")
            #expect(replayed.body == filed.body)

            let next = try await client.file(Fixture.encode(Fixture.submission()), key: "key-k2", to: simulator)
                .decode(ApplicationStatusReport.self)
            #expect(next.portalCode != report.portalCode)
            let stored = try await simulator.applications()
            #expect(stored.count == 2)
            #expect(stored.first { $0.idempotencyKey == "key-k" }?.postRequests == 2)
            #expect(try await simulator.stop() == 0)
        }
    }

    // MARK: TLS

    @Test func mutualTLSServesAClientWithACertificateAndRefusesOneWithout() async throws {
        let folder = try PackagePaths.temporaryDirectory("portal-sim-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let authority = try TestCertificateAuthority.create(in: folder)
        let server = try authority.issue("server", for: .loopbackServer)
        let kiosk = try authority.issue("client", for: .client(commonName: "kiosk-test-01"))
        let options = PortalSimulator.Options(tls: .init(certificate: server.certificate, key: server.key, clientCA: authority.certificate))
        let simulator = try await PortalSimulator.start(in: folder, options: options)
        defer { simulator.kill() }
        #expect(simulator.baseURL.scheme == "https")

        var withCertificate = TLSConfiguration.makeClientConfiguration()
        withCertificate.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(authority.certificate.path))
        withCertificate.certificateChain = try NIOSSLCertificate.fromPEMFile(kiosk.certificate.path).map { .certificate($0) }
        withCertificate.privateKey = .privateKey(try NIOSSLPrivateKey(file: kiosk.key.path, format: .pem))
        try await HTTPClient.withHTTPClient(configuration: .init(tlsConfiguration: withCertificate)) { client in
            let filed = try await client.file(Fixture.encode(Fixture.submission()), key: "key-tls", to: simulator)
            #expect(filed.status == 201)
            let code = try filed.decode(ApplicationStatusReport.self).portalCode
            #expect(try await client.get(simulator.baseURL, "applications/\(code)").status == 200)
        }

        var withoutCertificate = TLSConfiguration.makeClientConfiguration()
        withoutCertificate.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(authority.certificate.path))
        try await HTTPClient.withHTTPClient(configuration: .init(tlsConfiguration: withoutCertificate)) { client in
            await #expect(throws: (any Error).self) {
                _ = try await client.get(simulator.baseURL, "health")
            }
            await #expect(throws: (any Error).self) {
                _ = try await client.file(Fixture.encode(Fixture.submission()), key: "key-anonymous", to: simulator)
            }
        }
        #expect(try await simulator.applications().map(\.idempotencyKey) == ["key-tls"])
    }

    // MARK: Bad input and privacy

    @Test func badInputGets400WithoutEchoingPersonalData() async throws {
        try await withSimulator("invalid") { simulator, client in
            let good = Fixture.submission()
            var shortCitizenID = good
            shortCitizenID.applicant.citizenID = String(Fixture.citizenID.dropLast())
            var shortKioskCode = good
            shortKioskCode.kioskCode = String(good.kioskCode.dropLast())
            var wrongDigest = good
            wrongDigest.attachments[0].sha256 = String(repeating: "0", count: 64)
            var unknownDelivery = good
            unknownDelivery.delivery.method = "drone"
            var badPhone = good
            badPhone.applicant.phone = "12345"
            let notASubmission = Data(#"{"applicant":{"citizenID":"\#(Fixture.citizenID)","fullName":"\#(Fixture.fullName)"}}"#.utf8)
            let notJSON = Data("citizenID=\(Fixture.citizenID)".utf8)

            var bodies = try [shortCitizenID, shortKioskCode, wrongDigest, unknownDelivery, badPhone].map(Fixture.encode)
            bodies += [notASubmission, notJSON]
            for (index, body) in bodies.enumerated() {
                let answer = try await client.file(body, key: "key-bad-\(index)", to: simulator)
                #expect(answer.status == 400, "body \(index)")
                #expect(answer.header("Content-Type") == PortalWire.problemMediaType)
                let text = String(decoding: answer.body, as: UTF8.self)
                for secret in Fixture.personalData {
                    #expect(!text.contains(secret), "body \(index) echoed personal data: \(text)")
                }
                #expect(try answer.decode(PortalProblem.self).detail?.isEmpty == false)
            }
            let noKey = try await client.file(Fixture.encode(good), key: nil, to: simulator)
            #expect(noKey.status == 400)
            // A good filing, to have personal data pass through the whole path before the log is read.
            #expect(try await client.file(Fixture.encode(good), key: "key-good", to: simulator).status == 201)
            #expect(try await simulator.applications().map(\.idempotencyKey) == ["key-good"])
            #expect(try await simulator.stats().invalid400 == bodies.count + 1)

            try await simulator.stop()
            let log = simulator.standardError
            #expect(log.contains("key-good"))
            for secret in Fixture.personalData {
                #expect(!log.contains(secret), "the log holds personal data")
            }
        }
    }
}

// MARK: - Helpers

/// Starts a simulator in a fresh folder and a client for it, runs `body`, then cleans up.
private func withSimulator<Result: Sendable>(
    _ purpose: String, options: PortalSimulator.Options = .init(),
    _ body: (PortalSimulator, HTTPClient) async throws -> Result
) async throws -> Result {
    let folder = try PackagePaths.temporaryDirectory("portal-sim-\(purpose)")
    let simulator = try await PortalSimulator.start(in: folder, options: options)
    defer {
        simulator.kill()
        try? FileManager.default.removeItem(at: folder)
    }
    return try await HTTPClient.withHTTPClient { client in
        try await body(simulator, client)
    }
}


/// An HTTP answer, body collected.
private struct Answer: Sendable {
    let status: Int
    /// Header values by lowercased name.
    let headers: [String: [String]]
    let body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()]?.first }

    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: body)
    }
}

extension HTTPClient {
    /// POSTs an application body to `applications` with `key` as Idempotency-Key (none if nil).
    fileprivate func file(_ body: Data, key: String?, to simulator: PortalSimulator) async throws -> Answer {
        var request = HTTPClientRequest(url: simulator.baseURL.appendingPathComponent(PortalWire.applicationsPath).absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let key { request.headers.add(name: PortalWire.idempotencyKeyHeader, value: key) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request)
    }

    fileprivate func get(_ base: URL, _ path: String) async throws -> Answer {
        try await send(HTTPClientRequest(url: base.appendingPathComponent(path).absoluteString))
    }

    private func send(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        var headers: [String: [String]] = [:]
        for (name, value) in response.headers { headers[name.lowercased(), default: []].append(value) }
        return Answer(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
    }
}

/// Applications as a kiosk would file them, with personal data the simulator must never echo.
private enum Fixture {
    static let citizenID = "079188001234"
    static let fullName = "Nguyễn Thị Hồng Nhung"
    static let phone = "0912345678"
    static let address = "12 Hàng Bạc, Hoàn Kiếm, Hà Nội"
    static var personalData: [String] { [citizenID, fullName, phone, address] }

    /// The attachment's content and its SHA-256 (`printf 'scan page 1' | sha256sum`).
    static let attachmentContent = Data("scan page 1".utf8)
    static let attachmentDigest = "2bc92b915b5f974d0bdaaaa84a3c559f6447e65f4a4ec3d14c807d0e0e81c0b8"

    /// A valid submission with a kiosk code of its own.
    static func submission() -> ApplicationSubmission {
        let kioskCode = "12345" + (0..<11).map { _ in String(Int.random(in: 0...9)) }.joined()
        return ApplicationSubmission(
            kioskCode: kioskCode, kioskID: "hn-hoankiem-sm-01", procedureCode: "1.001193",
            submittedAt: "2025-06-01T10:15:00+07:00",
            applicant: .init(citizenID: citizenID, fullName: fullName, dateOfBirth: "1956-03-08", gender: "female",
                             phone: phone, address: address),
            delivery: .init(method: "post", address: address),
            attachments: [.init(fileName: "page-1.pdf", mediaType: "application/pdf", sha256: attachmentDigest,
                                contentBase64: attachmentContent.base64EncodedString())])
    }

    static func encode(_ submission: ApplicationSubmission) throws -> Data {
        try PortalWire.encoder().encode(submission)
    }
}
