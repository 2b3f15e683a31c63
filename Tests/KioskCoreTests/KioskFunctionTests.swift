import Foundation
import KioskCore
import Testing

/// The menu offers only what the kiosk's devices and hours can deliver right now.
@Suite struct KioskFunctionTests {
    static func profile(hours: OpeningHours = .always, services: Bool = true, procedures: Bool = true) -> KioskProfile {
        KioskProfile(
            identity: KioskIdentity(id: "t-01", name: LocalizedText([.vietnamese: "Ki-ốt", .english: "Kiosk"]),
                                    location: LocalizedText([.vietnamese: "Hà Nội", .english: "Hanoi"])),
            timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!,
            languages: LanguageSettings(defaultLanguage: .vietnamese, offered: [.vietnamese, .english], vietnameseVoice: .northern),
            hours: hours,
            devices: DeviceSettings(scanner: nil, receiptPrinter: nil, ticketPrinter: nil,
                                    audio: AudioSettings(output: .wavDirectory("/tmp"), defaultVolume: 70,
                                                         defaultRateWordsPerMinute: 150, privateListening: false),
                                    keypad: KeypadSettings(input: .terminal, keyMap: .terminalDefault)),
            queue: QueueSettings(services: services ? [QueueService(prefix: "A", name: LocalizedText([.vietnamese: "Hộ tịch"]),
                                                                    priorityClasses: [])] : [],
                                 dayStartsAt: ClockTime(hour: 0, minute: 0)!),
            procedures: procedures ? [Procedure(code: "1.001193", name: LocalizedText([.vietnamese: "Khai sinh"]),
                                                requiredDocuments: [], fields: [.phone], processingDays: 1, feeDong: nil)] : [],
            portal: PortalSettings(baseURL: URL(string: "https://adapter.example")!, caFile: nil, clientCertificate: nil,
                                   clientKey: nil, connectTimeoutSeconds: 5, requestTimeoutSeconds: 10),
            privacy: PrivacySettings(inactivityTimeoutSeconds: 60, retentionDeliveredDays: 30, encryptionKeySource: nil))
    }

    static func device(_ kind: DeviceKind, _ state: DeviceState, paper: PaperState? = nil) -> DeviceStatus {
        DeviceStatus(kind: kind, state: state, paper: paper, identity: "x", detail: "")
    }

    static let allWorking = [device(.scanner, .online), device(.receiptPrinter, .online, paper: .full),
                             device(.ticketPrinter, .online, paper: .full), device(.speech, .online)]

    @Test func everythingIsOfferedWhenEverythingWorks() {
        #expect(KioskFunction.available(profile: Self.profile(), devices: Self.allWorking, at: Date())
            == [.takeTicket, .submitApplication, .lookUpApplication, .help])
    }

    @Test func noTicketsWithoutATicketPrinter() {
        let devices = Self.allWorking.filter { $0.kind != .ticketPrinter }
        #expect(!KioskFunction.available(profile: Self.profile(), devices: devices, at: Date()).contains(.takeTicket))
    }

    @Test func noTicketsWhenTicketPaperIsOut() {
        let devices = Self.allWorking.map { $0.kind == .ticketPrinter ? Self.device(.ticketPrinter, .online, paper: .out) : $0 }
        #expect(!KioskFunction.available(profile: Self.profile(), devices: devices, at: Date()).contains(.takeTicket))
    }

    @Test func noApplicationsWhenTheReceiptPrinterIsJammed() {
        let devices = Self.allWorking.map { $0.kind == .receiptPrinter ? Self.device(.receiptPrinter, .online, paper: .jammed) : $0 }
        #expect(KioskFunction.available(profile: Self.profile(), devices: devices, at: Date())
            == [.takeTicket, .lookUpApplication, .help])
    }

    @Test func outsideOpeningHoursApplicationsStillWorkButTicketsDoNot() {
        let closedAllWeek = OpeningHours(periods: [:])
        #expect(KioskFunction.available(profile: Self.profile(hours: closedAllWeek), devices: Self.allWorking, at: Date())
            == [.submitApplication, .lookUpApplication, .help])
    }

    @Test func helpIsAlwaysOffered() {
        #expect(KioskFunction.available(profile: Self.profile(services: false, procedures: false), devices: [], at: Date())
            == [.lookUpApplication, .help])
    }
}
