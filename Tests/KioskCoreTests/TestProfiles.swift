import Foundation
import KioskCore

/// Profiles built in code for the core's tests: every device, service and procedure a menu path needs.
enum TestProfiles {
    static func kiosk(hours: OpeningHours = .always, services: Bool = true, procedures: Bool = true,
                      privateListening: Bool = false, inactivitySeconds: Int = 60) -> KioskProfile {
        KioskProfile(
            identity: KioskIdentity(id: "t-01", name: LocalizedText([.vietnamese: "Ki-ốt thử", .english: "Test kiosk"]),
                                    location: LocalizedText([.vietnamese: "Hà Nội", .english: "Hanoi"])),
            timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!,
            languages: LanguageSettings(defaultLanguage: .vietnamese, offered: [.vietnamese, .english], vietnameseVoice: .northern),
            hours: hours,
            devices: DeviceSettings(scanner: nil, receiptPrinter: nil, ticketPrinter: nil,
                                    audio: AudioSettings(output: .wavDirectory("/tmp"), defaultVolume: 70,
                                                         defaultRateWordsPerMinute: 150, privateListening: privateListening),
                                    keypad: KeypadSettings(input: .terminal, keyMap: .terminalDefault)),
            queue: QueueSettings(services: services ? [
                QueueService(prefix: "A", name: LocalizedText([.vietnamese: "Hộ tịch", .english: "Civil status"]),
                             priorityClasses: [.elderly, .disabled]),
                QueueService(prefix: "C", name: LocalizedText([.vietnamese: "Đăng ký kinh doanh", .english: "Business registration"]),
                             priorityClasses: []),
            ] : [], dayStartsAt: ClockTime(hour: 0, minute: 0)!),
            procedures: procedures ? [Procedure(code: "1.001193", name: LocalizedText([.vietnamese: "Đăng ký khai sinh", .english: "Birth registration"]),
                                                requiredDocuments: [], fields: [.citizenID, .phone], processingDays: 1, feeDong: nil)] : [],
            portal: PortalSettings(baseURL: URL(string: "https://adapter.example")!, caFile: nil, clientCertificate: nil,
                                   clientKey: nil, connectTimeoutSeconds: 5, requestTimeoutSeconds: 10),
            privacy: PrivacySettings(inactivityTimeoutSeconds: inactivitySeconds, retentionDeliveredDays: 30, encryptionKeySource: nil))
    }

    static func device(_ kind: DeviceKind, _ state: DeviceState, paper: PaperState? = nil) -> DeviceStatus {
        DeviceStatus(kind: kind, state: state, paper: paper, identity: "x", detail: "")
    }

    static let allWorking = [device(.scanner, .online), device(.receiptPrinter, .online, paper: .full),
                             device(.ticketPrinter, .online, paper: .full), device(.speech, .online)]
}
