import ControlProtocol
import Foundation
import KioskCore
import KioskHarness
import PortalAPI
import Testing

/// An application taken by a running kioskd travels the whole way: recorded sealed in the outbox,
/// a receipt out of the CUPS receipt printer with its code, filed with portal-sim over loopback,
/// and its status answered by code.
@Suite struct ApplicationFilingTests {
    static func waitForPortal(_ simulator: PortalSimulator, toHold code: String, timeout: Duration = .seconds(60)) async throws -> PortalSimApplication? {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if let filed = try await simulator.applications().first(where: { $0.kioskCode == code }) { return filed }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        return try await simulator.applications().first { $0.kioskCode == code }
    }

    /// A portal-sim and a running kioskd that files with it, each in a folder of its own.
    struct FilingKiosk {
        let folder: URL
        let simulator: PortalSimulator
        let kiosk: DemoKiosk
        let daemon: DaemonProcess
        var socket: String { kiosk.controlSocket.path }

        /// `edit`: changes to the demo profile's text before kioskd reads it.
        static func start(_ purpose: String, edit: (String) -> String = { $0 }) async throws -> FilingKiosk {
            let folder = try PackagePaths.temporaryDirectory("\(purpose)-portal")
            let simulator = try await PortalSimulator.start(in: folder)
            let kiosk = try DemoKiosk(purpose: purpose, portalBaseURL: simulator.baseURL, edit: edit)
            let daemon = try kiosk.start()
            #expect(await offThePool { kiosk.waitUntilReady() } != nil, "kioskd did not become ready:\n\(daemon.standardError)")
            return FilingKiosk(folder: folder, simulator: simulator, kiosk: kiosk, daemon: daemon)
        }
    }

    @Test func applicationReachesThePortalOnceWithItsReceiptAndIsFoundByCode() async throws {
        let standIns = try StandIns.fromEnvironment()
        let setup = try await FilingKiosk.start("filing")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let (simulator, kiosk, daemon, socket) = (setup.simulator, setup.kiosk, setup.daemon, setup.socket)

        let answer = try #require((await offThePool { controlExchange(socket, "application-file", applicationArguments()) }))
        let filed = try #require(answer.application, "no application answer: \(String(describing: answer.error))")
        #expect(filed.receipt == "printed")
        let code = try ApplicationCode.parse(filed.code).get()
        #expect(code.kioskNumber == "00001", "the demo kiosk's number begins the code")

        // The receipt in the citizen's hand carries that code, printed and in its QR code.
        let receipt = try #require(try capturedReceiptFiles(standIns: standIns).first { $0.printed == filed.code },
                                   "no captured receipt shows \(filed.code)")
        let qrCode = try receiptQRCode(receipt.path)
        #expect(qrCode == filed.code, "the receipt's QR code reads \(qrCode ?? "nothing")")

        // The portal holds it once, with the applicant as filed.
        let atPortal = try #require(try await Self.waitForPortal(simulator, toHold: filed.code), "the portal never got \(filed.code)")
        #expect(atPortal.attachmentCount == 1)
        #expect(try await simulator.applications().filter { $0.kioskCode == filed.code }.count == 1)

        // Found by the kiosk's code and by the portal's own code, through kioskctl's command.
        for asked in [filed.code, atPortal.portalCode] {
            let lookUp = try #require((await offThePool { controlExchange(socket, "lookup", ["code": asked]) })?.lookUp)
            #expect(lookUp.answer == "status" && lookUp.status == "received" && lookUp.current == true, "\(asked): \(lookUp)")
        }
        // The technician sees it delivered, without personal data.
        let outbox = try #require((await offThePool { controlExchange(socket, "outbox") })?.outbox)
        #expect(outbox.delivered == 1 && outbox.pending == 0, "\(outbox)")
        #expect(outbox.applications.first?.portalCode == atPortal.portalCode)
        // kioskctl status: nothing waiting, and the portal's last answer is known.
        let status = try #require((await offThePool { controlExchange(socket, "status") })?.status)
        let line = try #require(status.outbox, "status has no outbox line")
        #expect(line.unavailable == nil && line.pending == 0 && line.refused == 0 && line.oldestPendingAgeSeconds == nil, "\(line)")
        #expect(line.lastPortalAnswerAt != nil)

        // Nothing personal lies on disk in the clear, nor in the daemon's log.
        for file in try FileManager.default.subpathsOfDirectory(atPath: kiosk.stateDirectory.path) {
            let bytes = (try? Data(contentsOf: kiosk.stateDirectory.appendingPathComponent(file))) ?? Data()
            for secret in ["001199012345", "0912345678"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds personal digits in the clear")
            }
        }
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(10)) } == 0)
        #expect(!daemon.standardError.contains("001199012345") && !daemon.standardError.contains("0912345678"))
        #expect(daemon.standardError.contains("application accepted") && daemon.standardError.contains("application delivered"))
        _ = try await simulator.stop()
    }

    /// The office moves an application on while no citizen asks; the kiosk hears it in the
    /// background, and a citizen who asks once the link is down is told the new status.
    @Test func aStatusTheOfficeSetsIsAnsweredFromTheKioskWhileTheLinkIsDown() async throws {
        let setup = try await FilingKiosk.start("filing-refresh") {
            $0.replacingOccurrences(of: "  status_refresh_seconds: 60 ", with: "  status_refresh_seconds: 5 ")
        }
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let (simulator, daemon, socket) = (setup.simulator, setup.daemon, setup.socket)
        let filed = try #require((await offThePool { controlExchange(socket, "application-file", applicationArguments()) })?.application)
        let atPortal = try #require(try await Self.waitForPortal(simulator, toHold: filed.code), "the portal never got \(filed.code)")
        let note = "Mang bản chính giấy chứng sinh"
        try await simulator.setStatus(.needsMoreDocuments, note: note, forCode: atPortal.portalCode)

        // No look-up asks: the technician's outbox list shows the new status once the kiosk heard it.
        var heard: String?
        for _ in 0..<900 where heard != PortalStatus.needsMoreDocuments.rawValue {
            let outbox = await offThePool { controlExchange(socket, "outbox") }?.outbox
            heard = outbox?.applications.first { $0.code == filed.code }?.portalStatus
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(heard == PortalStatus.needsMoreDocuments.rawValue, "the kiosk never heard the office's status")

        simulator.kill()
        let lookUp = try #require((await offThePool { controlExchange(socket, "lookup", ["code": filed.code]) })?.lookUp)
        #expect(lookUp.answer == "status" && lookUp.status == PortalStatus.needsMoreDocuments.rawValue && lookUp.note == note
            && lookUp.current == false && lookUp.asOf != nil, "\(lookUp)")
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(10)) } == 0)
        #expect(daemon.standardError.contains("application status changed"), "\(daemon.standardError)")
        #expect(!daemon.standardError.contains(note), "the office's note to the citizen is not the log's business")
    }

    @Test func kioskctlFilesAPaperApplicationWithTheNumbersReadFromStandardInput() async throws {
        let setup = try await FilingKiosk.start("filing-ctl")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let (simulator, daemon, socket) = (setup.simulator, setup.daemon, setup.socket)
        let page = setup.folder.appendingPathComponent("form.jpg")
        try Data(base64Encoded: sampleFormPage)!.write(to: page)
        func fileWithKioskctl(_ standardInput: String) async throws -> (status: Int32, output: String) {
            let input = setup.folder.appendingPathComponent("stdin-\(UUID().uuidString)")
            try Data(standardInput.utf8).write(to: input)
            return try await offThePool {
                Result { try ChildProcess.run(KioskctlTests.kioskctl, ["application-file", "--procedure", "1.001193", "--page", page.path,
                                                                      "--dpi", "100", "--socket", socket],
                                              capture: true, standardInput: input.path) }
            }.get()
        }

        // The number as it is printed on the card, in groups: taken.
        let (status, output) = try await fileWithKioskctl("0011 9901 2345\n0912345678\n")
        #expect(status == 0, "\(output)")
        let code = try #require(output.firstMatch(of: /application (\d{16}): recorded, receipt printed/)?.1, "\(output)")
        #expect(try await Self.waitForPortal(simulator, toHold: String(code)) != nil, "the portal never got \(code)")

        // A number with no province: refused with the reason, exit 76, nothing recorded, the number not echoed.
        let (refusedStatus, refused) = try await fileWithKioskctl("999199012345\n0912345678\n")
        #expect(refusedStatus == 76, "\(refused)")
        #expect(refused.contains("citizen_id: citizen ID's first three digits are no code of the 63-province list"), "\(refused)")
        #expect(!refused.contains("999199012345") && !refused.contains("0912345678"))
        // No number at all on standard input: refused before anything is sent.
        let (emptyStatus, empty) = try await fileWithKioskctl("")
        #expect(emptyStatus != 0 && empty.contains("no citizen ID number on standard input"), "\(empty)")
        let outbox = try #require((await offThePool { controlExchange(socket, "outbox") })?.outbox)
        #expect(outbox.pending + outbox.delivered + outbox.refused == 1, "\(outbox)")
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(10)) } == 0)
        _ = try await simulator.stop()
    }

    @Test func badFieldsAreRefusedPreciselyAndNothingIsRecorded() async throws {
        let setup = try await FilingKiosk.start("filing-refused")
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let (simulator, daemon, socket) = (setup.simulator, setup.daemon, setup.socket)
        let cases: [([String: String], String)] = [
            (applicationArguments(citizenID: "00119901234"), "citizen ID has 11 digit(s), expected 12"),
            (applicationArguments(citizenID: "999199012345"), "no code of the 63-province list"),
            (applicationArguments(phone: "0212345678"), "mobile prefix"),
            (applicationArguments(procedure: "9.999999"), "procedure must be one of: 1.001193, 1.000894"),
            (applicationArguments().merging(["page_jpeg": Data("not a picture".utf8).base64EncodedString()]) { $1 }, "not a readable JPEG"),
            (applicationArguments().merging(["delivery": "drone"]) { $1 }, "delivery is counter or post"),
        ]
        for (arguments, message) in cases {
            let error = try #require((await offThePool { controlExchange(socket, "application-file", arguments) })?.error)
            #expect(error.code == "malformed" && error.message.contains(message), "\(error.message)")
            // The refusal never echoes what was typed.
            #expect(!error.message.contains(arguments["citizen_id"] ?? "-") && !error.message.contains(arguments["phone"] ?? "-"))
        }
        let outbox = try #require((await offThePool { controlExchange(socket, "outbox") })?.outbox)
        #expect(outbox.pending + outbox.delivered + outbox.refused == 0, "\(outbox)")
        // The daemon kept serving.
        #expect((await offThePool { controlExchange(socket, "status") })?.status != nil)
        daemon.send(SIGTERM)
        #expect(await offThePool { daemon.waitForExit(timeout: .seconds(10)) } == 0)
        _ = try await simulator.stop()
    }
}
