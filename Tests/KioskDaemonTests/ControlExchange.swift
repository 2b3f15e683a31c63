import ControlProtocol
import Foundation
import KioskHarness
import Scanning

/// One request on a kiosk's control socket, as kioskctl sends it; nil when the daemon died or
/// never answered (the crash tests count on that instead of throwing).
func controlExchange(_ socket: String, _ command: String, _ arguments: [String: String] = [:],
                     timeout: Duration = .seconds(30)) -> ControlResponse? {
    guard let connection = try? ControlSocket.connect(path: socket),
          let request = try? JSONEncoder().encode(ControlRequest(command: command, arguments: arguments)),
          (try? connection.writeLine(request)) != nil,
          let line = try? connection.readLine(maximumBytes: 1 << 22, timeout: timeout) else { return nil }
    return try? JSONDecoder().decode(ControlResponse.self, from: line)
}

/// A filled-in paper form as the kiosk's encoder makes it: an A5 gray page at 100 dpi with ruled
/// lines, small enough to travel in one control request.
let sampleFormPage: String = {
    let width = 583, height = 827
    var pixels = [UInt8](repeating: 235, count: width * height)
    for row in stride(from: 60, to: height - 60, by: 40) {
        for column in 50..<(width - 50) { pixels[row * width + column] = 30 }
    }
    let page = ScannedPage(width: width, height: height, format: .gray, dotsPerInch: 100, pixels: pixels)
    return Data((try? PageEncoder.jpeg(page))?.jpeg ?? []).base64EncodedString()
}()

/// The arguments of `application-file` for one applicant; personal data made up, well formed.
func applicationArguments(citizenID: String = "001199012345", phone: String = "0912345678",
                          procedure: String = "1.001193") -> [String: String] {
    ["procedure": procedure, "citizen_id": citizenID, "phone": phone, "delivery": "counter", "language": "vi",
     "page_jpeg": sampleFormPage, "dpi": "100"]
}

/// The receipts the private cupsd captured so far, one entry per receipt: its file and the code as
/// printed (read back with pdftotext, as a citizen reads the large grouped code).
func capturedReceiptFiles(standIns: StandIns) throws -> [(path: String, printed: String)] {
    let folder = URL(fileURLWithPath: standIns.directory).appendingPathComponent("cups/out")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let grouped = try NSRegularExpression(pattern: #"\b(\d{5}) (\d{6}) (\d{4}) (\d)\b"#)
    var receipts: [(path: String, printed: String)] = []
    for file in files.sorted() where file.hasPrefix("job-") {
        let path = folder.appendingPathComponent(file).path
        let (status, text) = try ChildProcess.run("/usr/bin/pdftotext", [path, "-"], capture: true)
        guard status == 0 else { continue }   // a ticket preview or a job still being written
        let range = NSRange(text.startIndex..., in: text)
        guard let match = grouped.firstMatch(in: text, range: range) else { continue }
        receipts.append((path, (1...4).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }.joined()))
    }
    return receipts
}

/// The application codes printed on the receipts captured so far.
func capturedReceiptCodes(standIns: StandIns) throws -> [String] {
    try capturedReceiptFiles(standIns: standIns).map(\.printed)
}

/// What the QR code on a captured receipt holds: the page rendered at the receipt printer's 203 dpi
/// and read with zbarimg, as the counter's scanner reads it.
func receiptQRCode(_ path: String) throws -> String? {
    let picture = NSTemporaryDirectory() + "receipt-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: picture + ".png") }
    _ = try ChildProcess.run("/usr/bin/pdftoppm", ["-r", "203", "-png", "-singlefile", path, picture], capture: true)
    return try Zbar.decode(picture + ".png").first
}

/// Runs blocking work (a socket exchange, a wait for READY=1) on a thread of its own and awaits it:
/// the cooperative pool has two threads on this machine, and a test blocking one of them for
/// seconds delays every other suite's timers (the speech barge-in tests among them).
func offThePool<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
