import ControlProtocol
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The kiosk as a city's Prometheus sees it: `GET /metrics` on loopback, in the Prometheus text
/// format (checked by promtool, Prometheus's own checker), counting what citizens did and showing
/// what the devices and the outbox are doing now. Nothing personal is in it.
@Suite struct MetricsEndpointTests {
    /// One scrape: the body, its content type, and its samples keyed `name{label="value",…}`
    /// with labels sorted by name.
    struct Scrape {
        let body: String
        let contentType: String?
        let samples: [String: Double]

        subscript(_ key: String) -> Double? { samples[key] }

        /// Every sample of `name` (all label sets).
        func family(_ name: String) -> [String: Double] {
            samples.filter { $0.key == name || $0.key.hasPrefix(name + "{") }
        }
    }

    static func scrape(_ url: String) async throws -> Scrape {
        let (data, response) = try await URLSession(configuration: .ephemeral).data(from: try #require(URL(string: url)))
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        let body = String(decoding: data, as: UTF8.self)
        return Scrape(body: body, contentType: http.value(forHTTPHeaderField: "Content-Type"), samples: try parse(body))
    }

    /// The sample lines of a text exposition. Labels are re-sorted so a key does not depend on the
    /// order the exporter wrote them in.
    static func parse(_ body: String) throws -> [String: Double] {
        let sample = try NSRegularExpression(pattern: #"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$"#)
        let label = try NSRegularExpression(pattern: #"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)
        var samples: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            let text = String(line)
            let range = NSRange(text.startIndex..., in: text)
            let match = try #require(sample.firstMatch(in: text, range: range), "not a sample line: \(text)")
            let name = String(text[Range(match.range(at: 1), in: text)!])
            let value = try #require(Double(String(text[Range(match.range(at: 4), in: text)!])), "no value: \(text)")
            var labels: [String] = []
            if let labelRange = Range(match.range(at: 3), in: text) {
                let inner = String(text[labelRange])
                labels = label.matches(in: inner, range: NSRange(inner.startIndex..., in: inner)).map {
                    String(inner[Range($0.range, in: inner)!])
                }.sorted()
            }
            samples[labels.isEmpty ? name : "\(name){\(labels.joined(separator: ","))}"] = value
        }
        return samples
    }

    /// `promtool check metrics` on the body: its exit status and what it said.
    static func promtool(_ body: String) throws -> (status: Int32, output: String) {
        let file = try PackagePaths.temporaryDirectory("metrics-promtool").appendingPathComponent("scrape.txt")
        try body.write(to: file, atomically: true, encoding: .utf8)
        return try ChildProcess.run("/bin/sh", ["-c", "promtool check metrics < '\(file.path)'"], capture: true)
    }

    static func metricsURL(_ socket: String) async throws -> String {
        let status = try #require(await offThePool { controlExchange(socket, "status") }?.status)
        return try #require(status.metricsURL, "no metrics endpoint: \(status.metricsUnavailable ?? "not configured")")
    }

    static func waitForScrape(_ url: String, until predicate: (Scrape) -> Bool) async throws -> Scrape {
        let deadline = ContinuousClock.now + .seconds(15)
        var last = try await scrape(url)
        while !predicate(last) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            last = try await scrape(url)
        }
        return last
    }

    @Test func whatCitizensDidAndWhatTheDevicesDoIsScrapedAsPrometheusText() async throws {
        let setup = try await ApplicationFilingTests.FilingKiosk.start("metrics")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let (kiosk, daemon, socket) = (setup.kiosk, setup.daemon, setup.socket)
        let url = try await Self.metricsURL(socket)
        #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/metrics"), "\(url)")

        // A queue number, an application (delivered to the portal) and a technician's phrase.
        let ticket = await offThePool { controlExchange(socket, "queue-issue", ["service": "A"]) }
        #expect(ticket?.queue?.tickets.first?.state == "printed", "\(String(describing: ticket?.error))")
        let citizenID = "001199012345", phone = "0912345678"
        let filed = try #require(await offThePool { controlExchange(socket, "application-file",
                                                                     applicationArguments(citizenID: citizenID, phone: phone)) }?.application)
        #expect(try await ApplicationFilingTests.waitForPortal(setup.simulator, toHold: filed.code) != nil)
        _ = await offThePool { controlExchange(socket, "say", ["text": "Kiểm tra loa"]) }

        let scrape = try await Self.waitForScrape(url) {
            $0["kiosk_applications_forwarded_total"] == 1 && ($0["kiosk_speech_latency_seconds_count"] ?? 0) >= 2
        }
        #expect(scrape.contentType?.hasPrefix("text/plain; version=0.0.4") == true, "\(scrape.contentType ?? "no content type")")
        let (checked, said) = try Self.promtool(scrape.body)
        #expect(checked == 0, "promtool check metrics: \(said)\n\(scrape.body)")

        #expect(scrape[#"kiosk_info{kiosk="demo-01",version="0.1.0"}"#] == 1)
        #expect(scrape[#"kiosk_tickets_issued_total{outcome="printed",service="A"}"#] == 1, "\(scrape.family("kiosk_tickets_issued_total"))")
        #expect(scrape["kiosk_tickets_issued_today"] == 1)
        #expect(scrape[#"kiosk_applications_accepted_total{procedure="1.001193"}"#] == 1)
        #expect(scrape["kiosk_applications_forwarded_total"] == 1)
        #expect(scrape.family("kiosk_applications_failed_total").values.allSatisfy { $0 == 0 })
        #expect(scrape["kiosk_outbox_pending"] == 0 && scrape["kiosk_outbox_available"] == 1)
        #expect(scrape[#"kiosk_device_state{device="ticket-printer",state="online"}"#] == 1)
        // Exactly one state per device is 1.
        for device in ["scanner", "receipt-printer", "ticket-printer", "speech", "keypad"] {
            let states = scrape.family("kiosk_device_state").filter { $0.key.contains(#"device="\#(device)""#) }
            #expect(states.count == 6 && states.values.reduce(0, +) == 1, "\(device): \(states)")
        }
        // The welcome prompt and the phrase were both timed; the histogram's buckets add up.
        let latencyCount = try #require(scrape["kiosk_speech_latency_seconds_count"])
        #expect(scrape[#"kiosk_speech_latency_seconds_bucket{le="+Inf"}"#] == latencyCount)
        #expect((scrape["kiosk_speech_latency_seconds_sum"] ?? 0) > 0)
        #expect(scrape[#"kiosk_function_offered{function="take-ticket"}"#] == 1)
        // No citizen's data, whatever the label or value.
        #expect(!scrape.body.contains(citizenID) && !scrape.body.contains(phone) && !scrape.body.contains(filed.code))

        // The ticket printer is pulled out: the next scrape says so, and tickets are no longer offered.
        try kiosk.ticketPrinter.setState("unplugged")
        let unplugged = try await Self.waitForScrape(url) { $0[#"kiosk_device_state{device="ticket-printer",state="noDevice"}"#] == 1 }
        #expect(unplugged[#"kiosk_device_state{device="ticket-printer",state="noDevice"}"#] == 1)
        #expect(unplugged[#"kiosk_device_state{device="ticket-printer",state="online"}"#] == 0)
        #expect(unplugged[#"kiosk_function_offered{function="take-ticket"}"#] == 0)
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(5)) } == 0)
    }

    @Test func aTakenPortIsReportedAndTheKioskServesAllTheSame() async throws {
        // Something else already listens where the profile puts the endpoint.
        let squatter = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(squatter) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(squatter, $0, length) == 0 && listen(squatter, 1) == 0
                && getsockname(squatter, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let kiosk = try DemoKiosk(purpose: "metrics-taken") {
            $0.replacingOccurrences(of: "metrics_listen: 127.0.0.1:0", with: "metrics_listen: 127.0.0.1:\(port)")
        }
        let daemon = try kiosk.start()
        #expect(await offThePool { kiosk.waitUntilReady() } != nil, "\(daemon.standardError)")
        let socketPath = kiosk.controlSocket.path
        var status = await offThePool { controlExchange(socketPath, "status") }?.status
        let deadline = ContinuousClock.now + .seconds(10)
        while status?.metricsUnavailable == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            status = await offThePool { controlExchange(socketPath, "status") }?.status
        }
        #expect(status?.metricsURL == nil)
        #expect(status?.metricsUnavailable?.hasPrefix("cannot serve metrics on 127.0.0.1:\(port)") == true,
                "\(String(describing: status?.metricsUnavailable))")
        let (_, table) = try await offThePool {
            Result { try ChildProcess.run(KioskctlTests.kioskctl, ["status", "--socket", socketPath], capture: true) }
        }.get()
        #expect(table.contains("metrics   NOT served: cannot serve metrics on 127.0.0.1:\(port)"), "\(table)")
        #expect(daemon.standardError.contains("metrics endpoint unavailable"))
        // Citizens are served all the same.
        let ticket = await offThePool { controlExchange(socketPath, "queue-issue", ["service": "A"]) }
        #expect(ticket?.queue?.tickets.first?.state == "printed")
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(5)) } == 0)
    }
}
