import Foundation
import KioskCore
import Printing
import Scanning
import Speech

/// `kioskctl selftest [DEVICE]`: each device does its job once, for real, and says how it went:
/// the voice says a test phrase, the scanner scans a page, the receipt printer prints a sample
/// receipt, the ticket printer prints a sample ticket (number 0: no queue number is used up).
/// Nothing personal is involved; the scanned page is dropped at once.
struct SelfTest: Sendable {
    let state: KioskState
    let ticketPrinter: USBTicketPrinter?
    let scanner: SANEScanner?
    let receiptPrinter: CUPSReceiptPrinter
    let say: @Sendable (String, Language) -> Void

    struct Outcome: Sendable {
        let device: DeviceKind
        let passed: Bool
        let detail: String
    }

    static let testPhrase = "Kiểm tra loa của ki-ốt. Một, hai, ba."

    func run(only: DeviceKind?) async -> [Outcome] {
        let profile = await state.profile
        var outcomes: [Outcome] = []
        for device in [DeviceKind.speech, .scanner, .receiptPrinter, .ticketPrinter] where only == nil || only == device {
            switch device {
            case .speech: outcomes.append(await speech(profile))
            case .scanner: outcomes.append(await scan(profile))
            case .receiptPrinter: outcomes.append(await receipt(profile))
            case .ticketPrinter: outcomes.append(await ticket(profile))
            case .keypad: break
            }
        }
        return outcomes
    }

    private func speech(_ profile: KioskProfile) async -> Outcome {
        do {
            let audio = try await EspeakVoice.shared.synthesize(Self.testPhrase, voice: profile.languages.vietnameseVoice.rawValue)
            let peak = audio.samples.map { Int(abs(Int32($0))) }.max() ?? 0
            guard audio.durationSeconds > 0.5, peak > 1000 else {
                return Outcome(device: .speech, passed: false, detail: "synthesis gave \(audio.durationSeconds) s, peak \(peak): silent")
            }
            let output = await state.devices.first { $0.kind == .speech }
            guard let output, output.isUsable else {
                return Outcome(device: .speech, passed: false,
                               detail: "synthesised \(String(format: "%.1f", audio.durationSeconds)) s, but no output: \(output?.detail ?? "none")")
            }
            say(Self.testPhrase, .vietnamese)
            return Outcome(device: .speech, passed: true,
                           detail: "synthesised \(String(format: "%.1f", audio.durationSeconds)) s and played: \(output.detail)")
        } catch {
            return Outcome(device: .speech, passed: false, detail: "eSpeak NG: \(error.detail)")
        }
    }

    private func scan(_ profile: KioskProfile) async -> Outcome {
        guard let scanner, profile.devices.scanner != nil else {
            return Outcome(device: .scanner, passed: false, detail: "the profile names no scanner")
        }
        do {
            let page = try await scanner.scanPage()
            let size = page.millimetres
            let encoded = try PageEncoder.jpeg(page)
            return Outcome(device: .scanner, passed: true,
                           detail: "scanned \(page.width)x\(page.height) dots (\(Int(size.width))x\(Int(size.height)) mm, \(page.dotsPerInch) dpi), "
                               + "JPEG \(encoded.jpeg.count / 1000) KB at quality \(encoded.quality)")
        } catch {
            return Outcome(device: .scanner, passed: false, detail: "\(error.fault.rawValue): \(error.detail)")
        }
    }

    private func receipt(_ profile: KioskProfile) async -> Outcome {
        guard let settings = profile.devices.receiptPrinter else {
            return Outcome(device: .receiptPrinter, passed: false, detail: "the profile names no receipt printer")
        }
        do {
            let pdf = try SlipPreview.receiptPDF(profile: profile, language: profile.languages.defaultLanguage)
            let job = try await receiptPrinter.print(pdf: pdf, title: "kioskd self-test receipt", settings: settings)
            return Outcome(device: .receiptPrinter, passed: true, detail: "sample receipt printed on \(settings.cupsQueue), job \(job)")
        } catch let error as ReceiptPrintError {
            return Outcome(device: .receiptPrinter, passed: false, detail: "\(error.failure.rawValue): \(error.detail)")
        } catch {
            return Outcome(device: .receiptPrinter, passed: false, detail: "\(error)")
        }
    }

    private func ticket(_ profile: KioskProfile) async -> Outcome {
        guard let ticketPrinter, let settings = profile.devices.ticketPrinter, let service = profile.queue.services.first else {
            return Outcome(device: .ticketPrinter, passed: false, detail: "the profile names no ticket printer or no service")
        }
        let now = Date()
        let sample = IssuedTicket(recordID: 0, kioskID: profile.identity.id,
                                  day: profile.queueDay(containing: now),
                                  number: TicketNumber(prefix: service.prefix, lane: .ordinary, sequence: 0), priorityClass: nil,
                                  issuedAt: now, waitingAhead: 0)
        do {
            let bytes = try await ticketPrinter.printTicket(TicketLayout.layout(for: sample, profile: profile, language: .vietnamese,
                                                                                 dotsPerLine: settings.dotsPerLine))
            let status = await ticketPrinter.status
            return Outcome(device: .ticketPrinter, passed: true, detail: "sample ticket \(sample.number.code) printed, \(bytes) bytes; \(status.detail)")
        } catch {
            return Outcome(device: .ticketPrinter, passed: false, detail: "\(error.failure.rawValue): \(error.detail)")
        }
    }
}
