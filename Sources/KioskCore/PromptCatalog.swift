/// A user-facing text of the kiosk: shown on screen and spoken.
public enum PromptKey: String, Sendable, CaseIterable, Hashable {
    case idleWelcome = "idle.welcome"
    case idlePressAnyKey = "idle.press_any_key"
    case idleOtherLanguage = "idle.other_language"
    case idleClosed = "idle.closed"
    case idleServicesOffered = "idle.services_offered"
    case serviceTakeTicket = "service.take_ticket"
    case serviceSubmitApplication = "service.submit_application"
    case serviceLookUp = "service.look_up"
    case serviceHelp = "service.help"
    case idleNothingAvailable = "idle.nothing_available"
}

/// Every text the citizen sees or hears, in Vietnamese and English. Keeping them in one table lets a
/// test prove no screen falls back to a missing language.
public enum PromptCatalog {
    public static let texts: [PromptKey: [Language: String]] = [
        .idleWelcome: [
            .vietnamese: "Xin chào quý khách",
            .english: "Welcome",
        ],
        .idlePressAnyKey: [
            .vietnamese: "Nhấn phím bất kỳ để bắt đầu.",
            .english: "Press any key to start.",
        ],
        .idleOtherLanguage: [
            .vietnamese: "Nhấn phím ngôn ngữ để dùng tiếng Anh.",
            .english: "Press the language key for Vietnamese.",
        ],
        .idleClosed: [
            .vietnamese: "Ngoài giờ làm việc. Các dịch vụ dưới đây vẫn dùng được.",
            .english: "Outside opening hours. The services below still work.",
        ],
        .idleServicesOffered: [
            .vietnamese: "Dịch vụ:",
            .english: "Services:",
        ],
        .serviceTakeTicket: [
            .vietnamese: "Lấy số thứ tự",
            .english: "Take a queue number",
        ],
        .serviceSubmitApplication: [
            .vietnamese: "Nộp hồ sơ",
            .english: "Submit an application",
        ],
        .serviceLookUp: [
            .vietnamese: "Tra cứu hồ sơ",
            .english: "Look up an application",
        ],
        .serviceHelp: [
            .vietnamese: "Trợ giúp",
            .english: "Help",
        ],
        .idleNothingAvailable: [
            .vietnamese: "Ki-ốt tạm thời không phục vụ được. Xin lỗi quý khách.",
            .english: "The kiosk cannot serve right now. We are sorry.",
        ],
    ]

    /// The text of `key` in `language`; every key has every language (a test checks it).
    public static func text(_ key: PromptKey, in language: Language) -> String {
        texts[key]?[language] ?? texts[key]?[.vietnamese] ?? key.rawValue
    }
}
