import Foundation

/// A Vietnamese mobile phone number in its national form, `0` and nine digits, as numbered since the
/// 2018 renumbering: mobile numbers start 03, 05, 07, 08 or 09 (the old 11-digit 01x numbers are gone).
///
/// The international form a citizen may copy from a contact (`+84 912 345 678`, `84912345678`,
/// `+84 (0) 912…`) is accepted and turned into the national one; spaces, dots, dashes and brackets
/// between digit groups are ignored. The number is personal data: `description` and `dump` never
/// show it, and no `Invalid` text holds it.
public struct VietnamesePhoneNumber: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Digits of a mobile number in national form.
    public static let length = 10
    /// The second digit of a mobile number (after the trunk `0`).
    public static let mobilePrefixes: Set<Character> = ["3", "5", "7", "8", "9"]

    /// The national form: ten ASCII digits starting with `0`.
    public let digits: String

    /// Why a text is not a Vietnamese mobile number: the prompt the citizen hears and the detail
    /// technicians read. Neither holds the number.
    public enum Invalid: CitizenInputProblem, Hashable {
        /// Not ten digits in national form; `count` is how many there were (after `+84` became `0`).
        case length(count: Int)
        /// Ten digits, but not the start of a mobile number (03, 05, 07, 08, 09).
        case prefix
        /// Something other than digits, a leading `+` and the usual separators.
        case notDigits

        public var prompt: PromptKey {
            switch self {
            case .length: .phoneLength
            case .prefix: .phonePrefix
            case .notDigits: .phoneNotDigits
            }
        }

        public var promptValues: [String: String] {
            if case let .length(count) = self { return ["count": String(count)] }
            return [:]
        }

        /// The technical detail for logs and `kioskctl`.
        public var description: String {
            switch self {
            case let .length(count): "phone number has \(count) digit(s) in national form, expected \(VietnamesePhoneNumber.length)"
            case .prefix: "phone number does not start with a mobile prefix (03, 05, 07, 08, 09)"
            case .notDigits: "phone number holds characters other than digits, a leading + and separators"
            }
        }
    }

    /// Checks `text` (typed on the keypad, or copied in either form) and keeps its national form.
    public init(validating text: String) throws(Invalid) {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        let plus = rest.hasPrefix("+")
        if plus { rest = rest.dropFirst() }
        var typed = ""
        for character in rest {
            if character.isASCII, character.isWholeNumber {
                typed.append(character)
            } else if !Self.separators.contains(character) {
                throw .notDigits
            }
        }
        // National numbers start with the trunk 0, so a leading 84 can only be the country code;
        // a `+` must be followed by it (another country's number is not a Vietnamese mobile).
        var national = typed
        if typed.hasPrefix("84") {
            national = String(typed.dropFirst(2))
            // "+84 (0) 91…": the trunk 0 some people keep after the country code.
            if national.hasPrefix("0") { national.removeFirst() }
            national = "0" + national
        } else if plus {
            throw .prefix
        }
        guard national.count == Self.length else { throw .length(count: national.count) }
        guard national.hasPrefix("0"), let second = national.dropFirst().first, Self.mobilePrefixes.contains(second) else {
            throw .prefix
        }
        digits = national
    }

    /// The E.164 form (`+84912345678`), for SMS gateways.
    public var international: String { "+84" + digits.dropFirst() }

    public var description: String { "VietnamesePhoneNumber(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["digits": "redacted"]) }

    private static let separators: Set<Character> = [" ", ".", "-", "(", ")"]
}

