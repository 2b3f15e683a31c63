import Foundation

/// The code printed on an application's receipt and typed back to look it up: 16 digits, so the
/// keypad's digits are enough and a citizen can read it over the phone.
///
///     00417 261204 0007 3
///     kiosk  date  seq  check
///
/// The kiosk's number keeps codes from different kiosks apart; the date (yyMMdd, the kiosk's local
/// date) and the day's sequence make it unique at that kiosk. The last digit is a Luhn check digit,
/// so a mistyped digit or two swapped neighbours is caught on the keypad before the portal is asked.
public struct ApplicationCode: Sendable, Hashable, CustomStringConvertible {
    public static let length = 16
    public static let sequenceDigits = 4
    /// The most applications one kiosk can take in one local day.
    public static let maximumSequence = 9_999

    public let digits: String

    /// Builds the code of the `sequence`th application of `day` at kiosk `kioskNumber` (five digits).
    public init?(kioskNumber: String, day: LocalDate, sequence: Int) {
        guard kioskNumber.count == KioskIdentity.numberLength, kioskNumber.allSatisfy(Self.isDigit),
              (1...Self.maximumSequence).contains(sequence), (2000...2099).contains(day.year) else { return nil }
        let date = String(format: "%02d%02d%02d", day.year % 100, day.month, day.day)
        let body = kioskNumber + date + String(format: "%04d", sequence)
        digits = body + String(Self.luhnCheckDigit(body))
    }

    /// Reads a typed or scanned code; nil with the reason when it cannot be one.
    public static func parse(_ text: String) -> Result<ApplicationCode, ApplicationCodeProblem> {
        let typed = text.filter { !$0.isWhitespace && $0 != "-" }
        guard typed.allSatisfy(isDigit) else { return .failure(.notDigits) }
        guard typed.count == length else { return .failure(.wrongLength(typed.count)) }
        let body = String(typed.dropLast())
        guard String(luhnCheckDigit(body)) == String(typed.last!) else { return .failure(.checkDigitMismatch) }
        return .success(ApplicationCode(verified: typed))
    }

    private init(verified: String) {
        digits = verified
    }

    public var kioskNumber: Substring { digits.prefix(KioskIdentity.numberLength) }

    /// The code in groups, as printed and shown: `00417 261204 0007 3`.
    public var grouped: String {
        let characters = Array(digits)
        return [String(characters[0..<5]), String(characters[5..<11]), String(characters[11..<15]), String(characters[15])]
            .joined(separator: " ")
    }

    public var description: String { digits }

    static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }

    /// The Luhn (ISO/IEC 7812) digit that makes `body` + digit pass the check.
    static func luhnCheckDigit(_ body: String) -> Int {
        var sum = 0
        for (offset, character) in body.reversed().enumerated() {
            var value = Int(String(character)) ?? 0
            if offset % 2 == 0 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return (10 - sum % 10) % 10
    }
}

/// Why typed digits are not an application code.
public enum ApplicationCodeProblem: Error, Sendable, Equatable {
    case notDigits
    case wrongLength(Int)
    /// Every digit is there but one is wrong or two are swapped.
    case checkDigitMismatch
}
