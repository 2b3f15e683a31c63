/// A language the kiosk can show and speak. Screen and speech always use the same one.
public enum Language: String, Sendable, CaseIterable, Hashable, Codable {
    case vietnamese = "vi"
    case english = "en"
}

/// A text given in each of the kiosk's languages (a service name, a procedure name…).
public struct LocalizedText: Sendable, Hashable, Codable {
    public var texts: [Language: String]

    public init(_ texts: [Language: String]) {
        self.texts = texts
    }

    /// The text in `language`, falling back to Vietnamese, the language every profile must fill in.
    public func text(in language: Language) -> String {
        texts[language] ?? texts[.vietnamese] ?? texts.values.first ?? ""
    }
}
