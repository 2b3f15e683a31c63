import Foundation
import KioskCore
import KioskHarness
import Testing

/// A citizen gives their identity by laying the identity card on the scanner: kioskd in a real
/// terminal, its scanner SANE's pnm backend serving an image file that holds the card's QR code,
/// read through real libsane and libzbar inside the daemon; the application then goes through the
/// outbox to portal-sim, which must receive the card's identity.
@Suite struct IdentityCardThroughTerminalTests {
    /// A made-up holder whose number (Hà Nội, female, born 1999) agrees with the card's date and gender.
    static let cardText = "001199012345||Trần Thị Thử|15031999|Nữ|Số 1 Phố Thử, Hoàn Kiếm, Hà Nội|01062021"

    /// Writes a gray PGM of the QR code of `text` (qrencode, 8-bit mode), six pixels a module on a
    /// white margin: what the glass shows under a card's code.
    static func writeQRImage(_ text: String, to file: URL) throws {
        let (status, ascii) = try ChildProcess.run("/usr/bin/qrencode", ["-8", "-t", "ASCII", "-m", "0", text], capture: true)
        guard status == 0 else { throw CardImageFailure(detail: "qrencode exited \(status)") }
        // ASCII output: two characters a module, "##" dark, "  " light.
        let rows = ascii.split(separator: "\n").map { row in stride(from: 0, to: row.count, by: 2).map { row.dropFirst($0).first == "#" } }
        let modules = rows.count, scale = 6, margin = 40
        let side = modules * scale + 2 * margin
        var pixels = [UInt8](repeating: 255, count: side * side)
        for (y, row) in rows.enumerated() {
            for (x, dark) in row.enumerated() where dark {
                for dy in 0..<scale {
                    let start = (margin + y * scale + dy) * side + margin + x * scale
                    for dx in 0..<scale { pixels[start + dx] = 0 }
                }
            }
        }
        try (Data("P5\n\(side) \(side)\n255\n".utf8) + Data(pixels)).write(to: file)
    }

    struct CardImageFailure: Error {
        let detail: String
    }

    @Test func aCardReadThroughTheScannerFillsInTheApplicationAndNothingOfItIsLogged() async throws {
        let folder = try PackagePaths.temporaryDirectory("card-glass")
        defer { try? FileManager.default.removeItem(at: folder) }
        let glass = folder.appendingPathComponent("glass.pgm")
        // First something that is not a card's code, as a citizen might lay a payment QR.
        try Self.writeQRImage("https://dichvucong.gov.vn", to: glass)
        let portalFolder = folder.appendingPathComponent("portal")
        try FileManager.default.createDirectory(at: portalFolder, withIntermediateDirectories: true)
        let simulator = try await PortalSimulator.start(in: portalFolder)
        let kiosk = try DemoKiosk(purpose: "menu-card", portalBaseURL: simulator.baseURL) {
            $0.replacingOccurrences(of: "device: \"test:0\"", with: "device: \"pnm:0\"\n    options: { filename: \"\(glass.path)\" }")
        }
        // The terminal (and so kioskd) stays until the portal has the application.
        let terminal = try Self.walkThrough(kiosk, glass: glass)
        defer { withExtendedLifetime(terminal) {} }

        // The portal receives the card's identity with the application, the card's address as the postal one.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, try await simulator.applications().isEmpty {
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(try await simulator.applications().count == 1)
        let (status, stored) = try ChildProcess.run("/usr/bin/sqlite3", ["-readonly", simulator.databasePath,
                                                                         "SELECT CAST(submission AS TEXT) FROM application"], capture: true)
        #expect(status == 0)
        let submission = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])
        let applicant = try #require(submission["applicant"] as? [String: Any])
        let delivery = try #require(submission["delivery"] as? [String: Any])
        #expect(applicant["citizenID"] as? String == "001199012345")
        #expect(applicant["fullName"] as? String == "Trần Thị Thử")
        #expect(applicant["dateOfBirth"] as? String == "1999-03-15")
        #expect(applicant["gender"] as? String == "female")
        #expect(applicant["address"] as? String == "Số 1 Phố Thử, Hoàn Kiếm, Hà Nội")
        #expect(applicant["phone"] as? String == "0912345678")
        #expect(delivery["method"] as? String == "post" && delivery["address"] as? String == "Số 1 Phố Thử, Hoàn Kiếm, Hà Nội")
        // Nothing read from the card reached the kiosk's log, even after forwarding.
        for trace in ["001199012345", "Trần", "Thử", "Phố", "15031999", "1999-03-15", "0912345678"] {
            #expect(!kiosk.terminalLog.contains(trace), "the log holds something read from the card")
        }
    }

    /// The scanner jams while a citizen's card is on the glass: they are told the scanner has a
    /// fault and how to go on with the keypad, and the technician sees the card scan's fault in the
    /// scanner's status.
    @Test func aScannerFaultDuringACardReadIsToldAndShownToTheTechnician() async throws {
        let folder = try PackagePaths.temporaryDirectory("card-jam")
        defer { try? FileManager.default.removeItem(at: folder) }
        let simulator = try await PortalSimulator.start(in: folder)
        let kiosk = try DemoKiosk(purpose: "menu-card-jam", portalBaseURL: simulator.baseURL) {
            $0.replacingOccurrences(of: "device: \"test:0\"", with: "device: \"test:0\"\n    options: { read-return-value: SANE_STATUS_JAMMED }")
        }
        let (terminal, _) = try Self.startAtTheIdentityStep(kiosk)
        try terminal.type("1")
        try terminal.waitFor("The scanner has a fault, so the identity card cannot be read now.", timeout: .seconds(30))
        // The keypad still works for this citizen.
        try terminal.type("2")
        try terminal.waitFor("Type your twelve-digit personal identification number, then press hash.", timeout: .seconds(10))

        let report = try #require((await offThePool { controlExchange(kiosk.controlSocket.path, "status") })?.status)
        let scanner = try #require(report.devices.first { $0.kind == "scanner" }, "\(report.devices)")
        #expect(scanner.detail.contains("last scan: identity card jammed"), "\(scanner.detail)")
        #expect(!kiosk.terminalLog.contains("001199012345"))
        withExtendedLifetime(terminal) {}
    }

    /// Starts the kiosk in a terminal and walks, in English, to the first procedure's identity step;
    /// returns the terminal and that screen.
    static func startAtTheIdentityStep(_ kiosk: DemoKiosk) throws -> (TmuxTerminal, String) {
        let terminal = try kiosk.startInTerminal(columns: 120)
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type("l")
        try terminal.waitFor("What would you like to do?")
        try terminal.type("2")
        try terminal.waitFor("Choose the procedure to apply for")
        try terminal.type("1")
        return (terminal, try terminal.waitFor("Tell the kiosk your personal identification number"))
    }

    /// The citizen's keys, from the menu to the accepted application and back to the welcome screen.
    static func walkThrough(_ kiosk: DemoKiosk, glass: URL) throws -> TmuxTerminal {
        let (terminal, choice) = try startAtTheIdentityStep(kiosk)
        #expect(choice.contains("Scan your identity card") && choice.contains("Type your personal identification number on the keypad"))

        try terminal.type("1")
        try terminal.waitFor("This QR code is not the one on an identity card.", timeout: .seconds(30))
        #expect(kiosk.terminalLog.contains("identity card not read") && kiosk.terminalLog.contains("outcome=failed"))

        // The card itself, and hash to read it again as the prompt says.
        try Self.writeQRImage(Self.cardText, to: glass)
        try terminal.type("#")
        let details = try terminal.waitFor("Details read from your identity card", timeout: .seconds(30))
        #expect(details.contains("Full name: Trần Thị Thử"))
        #expect(details.contains("Year of birth: 1999"))
        #expect(details.contains("Personal identification number: •••• •••• 2345"))
        #expect(!details.contains("001199012345") && !details.contains("Phố Thử"))
        #expect(kiosk.waitForSpoken(timeout: .seconds(30)) { $0.text.contains("Full name: Trần Thị Thử.") } != nil)

        try terminal.type("#")
        try terminal.waitFor("Type your mobile phone number, then press hash.")
        try terminal.type("0912345678#")
        // The card gave an address, so the result may come by post.
        let delivery = try terminal.waitFor("Where would you like to receive the result?")
        #expect(delivery.contains("by public post"))
        try terminal.type("2")
        try terminal.waitFor("Place the first page face down on the scanner glass, then press hash.")
        try terminal.type("#")
        try terminal.waitFor("Pages scanned: 1", timeout: .seconds(30))
        try terminal.type("0")
        let confirm = try terminal.waitFor("Check before sending")
        #expect(confirm.contains("Full name: Trần Thị Thử"))
        #expect(confirm.contains("Result: by public post, sent to the permanent address on your identity card"))

        // Nothing read from the card reaches the log or is said aloud beyond the name and year.
        let log = kiosk.terminalLog
        #expect(log.contains("identity card read outcome=ok"), "\(log.split(separator: "\n").filter { $0.contains("identity") })")
        for trace in ["001199012345", "Trần", "Thử", "Phố", "15031999", "0912345678", "dichvucong"] {
            #expect(!log.contains(trace), "the log holds something read from the card")
        }
        for utterance in kiosk.spokenUtterances() {
            #expect(!utterance.text.contains("Phố Thử") && !utterance.text.contains("two three four five"),
                    "the address or the number's digits were said aloud")
        }
        // Sent, then the welcome screen: everything wiped with the session.
        try terminal.type("#")
        try terminal.waitFor("Your application has been received", timeout: .seconds(30))
        try terminal.type("#")
        try terminal.waitFor("Xin chào quý khách", timeout: .seconds(10))
        #expect(kiosk.terminalLog.contains("session ended, entered data wiped"))
        return terminal
    }
}
