import Foundation
import KioskCore
import Printing
import Scanning
import Speech

/// Finds each device the profile names, through its real library, and reports its status.
///
/// The device owners (the scanner and its SANE process, libusb, eSpeak NG, CUPS) are created once and
/// kept: eSpeak NG holds process-wide state that must be initialised only once, and the scanner one
/// helper process. A library that cannot even start is reported as that device's fault; the other
/// devices are still probed.
public actor DeviceProbe {
    /// The scanner, kept across probes: the citizens' scans use the same one (one SANE process, so
    /// a probe never opens the device under a scan).
    public private(set) var scanner: SANEScanner?
    /// The ticket printer's driver, kept across probes: it holds the claimed USB interface.
    public private(set) var ticketPrinter: USBTicketPrinter?
    private var usbStartFailure: String?
    private var voice: EspeakVoice?
    private var voiceStartFailure: String?
    private let cups = CUPSQueues()

    public init() {}

    /// Probes every device of `profile`, concurrently; the result is in `DeviceKind` order.
    public func probe(_ profile: KioskProfile) async -> [DeviceStatus] {
        let devices = profile.devices
        await startLibraries(for: devices)
        let (scanner, usb, voice, cups) = (scanner, ticketPrinter, voice, cups)
        let (usbFailure, voiceFailure) = (usbStartFailure, voiceStartFailure)

        async let scannerStatus = Self.scannerStatus(devices.scanner, scanner: scanner)
        async let receipt = Self.receiptPrinterStatus(devices.receiptPrinter, cups: cups)
        async let ticket = Self.ticketPrinterStatus(devices.ticketPrinter, usb: usb, startFailure: usbFailure)
        async let speech = Self.speechStatus(profile, voice: voice, startFailure: voiceFailure)
        let keypad = Self.keypadStatus(devices.keypad)
        return [await scannerStatus, await receipt, await ticket, await speech, keypad].compactMap { $0 }
    }

    /// Starts each library the profile's devices need, once; a failure is remembered and reported.
    private func startLibraries(for devices: DeviceSettings) async {
        if let settings = devices.scanner, scanner == nil {
            scanner = SANEScanner(settings: settings)
        }
        if let settings = devices.ticketPrinter, ticketPrinter == nil, usbStartFailure == nil {
            do { ticketPrinter = try USBTicketPrinter(settings: settings) } catch { usbStartFailure = error.detail }
        }
        if voice == nil, voiceStartFailure == nil {
            do {
                try await EspeakVoice.shared.start()
                voice = EspeakVoice.shared
            } catch {
                voiceStartFailure = error.detail
            }
        }
    }

    private static func scannerStatus(_ settings: ScannerSettings?, scanner: SANEScanner?) async -> DeviceStatus? {
        guard let settings, let scanner else { return nil }
        await scanner.reconfigure(settings)
        return await scanner.status()
    }

    private static func receiptPrinterStatus(_ settings: ReceiptPrinterSettings?, cups: CUPSQueues) async -> DeviceStatus? {
        guard let settings else { return nil }
        return await cups.status(for: settings)
    }

    /// Opens the ticket printer and asks it for its status (DLE EOT), not merely whether it is on the bus.
    private static func ticketPrinterStatus(_ settings: TicketPrinterSettings?, usb: USBTicketPrinter?,
                                            startFailure: String?) async -> DeviceStatus? {
        guard let settings else {
            await usb?.close()
            return nil
        }
        guard let usb else {
            return DeviceStatus(kind: .ticketPrinter, state: .hardwareError, paper: .unknown, identity: "usb:\(settings.usbID)",
                                detail: startFailure ?? "libusb did not start")
        }
        await usb.reconfigure(settings)
        return await usb.refreshStatus()
    }

    private static func speechStatus(_ profile: KioskProfile, voice: EspeakVoice?, startFailure: String?) async -> DeviceStatus {
        let voiceName = profile.languages.vietnameseVoice.rawValue
        let audio = profile.devices.audio
        guard let voice else {
            return DeviceStatus(kind: .speech, state: .hardwareError, identity: voiceName,
                                detail: startFailure ?? "eSpeak NG did not start")
        }
        let (version, _) = await voice.versionAndDataPath()
        let wanted = [voiceName] + (profile.languages.offered.contains(.english) ? ["en"] : [])
        var missing: [String] = []
        for name in wanted where !(await voice.canSelect(voice: name)) {
            missing.append(name)
        }
        if !missing.isEmpty {
            return DeviceStatus(kind: .speech, state: .hardwareError, identity: voiceName,
                                detail: "eSpeak NG \(version) lacks voice \(missing.joined(separator: ","))")
        }
        switch audioOutputProblem(audio.output) {
        case let problem?:
            return DeviceStatus(kind: .speech, state: .noDevice, identity: voiceName,
                                detail: "eSpeak NG \(version); audio output: \(problem)")
        case nil:
            return DeviceStatus(kind: .speech, state: .online, identity: voiceName,
                                detail: "eSpeak NG \(version), voices \(wanted.joined(separator: ",")), output \(describe(audio.output))")
        }
    }

    static func describe(_ output: AudioOutput) -> String {
        switch output {
        case let .alsa(device): "alsa:\(device)"
        case let .wavDirectory(path): "wav:\(path)"
        }
    }

    /// Why the audio output cannot be used, or nil when it can.
    static func audioOutputProblem(_ output: AudioOutput) -> String? {
        switch output {
        case let .wavDirectory(path):
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                return "cannot create WAV folder \(path)"
            }
            return FileManager.default.isWritableFile(atPath: path) ? nil : "WAV folder \(path) is not writable"
        case let .alsa(device):
            // /proc/asound/cards lists "--- no soundcards ---" when the kernel has none.
            let cards = (try? String(contentsOfFile: "/proc/asound/cards", encoding: .utf8)) ?? ""
            let hasCard = cards.split(separator: "\n").contains { $0.first == " " && $0.contains("[") }
            return hasCard ? nil : "no sound card for ALSA device \(device)"
        }
    }

    static func keypadStatus(_ settings: KeypadSettings) -> DeviceStatus {
        switch settings.input {
        case .terminal:
            let isTerminal = isatty(STDIN_FILENO) == 1
            return DeviceStatus(kind: .keypad, state: isTerminal ? .online : .noDevice, identity: "terminal",
                                detail: isTerminal ? "keys from the controlling terminal" : "standard input is not a terminal")
        case let .evdev(path):
            if !FileManager.default.fileExists(atPath: path) {
                return DeviceStatus(kind: .keypad, state: .noDevice, identity: path, detail: "no input device at \(path)")
            }
            let readable = FileManager.default.isReadableFile(atPath: path)
            return DeviceStatus(kind: .keypad, state: readable ? .online : .hardwareError, identity: path,
                                detail: readable ? "evdev input device" : "permission denied on \(path)")
        }
    }
}
