import Foundation

/// What the QR code printed on a chip-based citizen identity card (CCCD, Căn cước) says about its
/// holder. The code holds UTF-8 text, fields separated by `|`:
///
///     idNumber|oldIDNumber|fullName|ddMMyyyy birth|Nam or Nữ|permanent address|ddMMyyyy issue
///
/// The old number (the 9-digit, or in some provinces 12-digit, identity card number it replaced) is
/// empty for citizens who never had one. Some cards carry further fields after the seventh; they
/// are read past, not refused. The identity number is checked against the date of birth and gender
/// beside it, so a misprinted or tampered code is caught before it fills in an application.
///
/// Name and address are kept in Unicode NFC: a code written with decomposed diacritics
/// (`e` + combining circumflex + combining acute) and one written precomposed give the same bytes
/// to the portal and to searches. All of it is personal data; `description` and `dump` show none.
public struct CitizenCardQR: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The personal identification number, checked against the date of birth and gender.
    public let idNumber: CitizenIDNumber
    /// The identity card number this card replaced, digits only; nil when the field is empty.
    public let oldIDNumber: String?
    /// The holder's full name with its diacritics, in NFC.
    public let fullName: String
    public let dateOfBirth: LocalDate
    /// `Nam` is male, `Nữ` female.
    public let gender: CitizenGender
    /// The permanent residence address as the code gives it, in NFC.
    public let address: String
    /// The day the card was issued.
    public let issueDate: LocalDate

    /// The code's fields, in their order.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case idNumber, oldIDNumber, fullName, dateOfBirth, gender, address, issueDate
    }

    /// Why a QR text is not a usable citizen identity card code: the prompt the citizen hears and
    /// the detail technicians read. Neither holds any of the code's data.
    public enum Invalid: CitizenInputProblem, Hashable {
        /// Not a citizen identity card's code at all (no `|` fields, or no number first): a payment
        /// code, a web address, a receipt.
        case notCitizenCard
        /// Fields separated by `|` with a number first, but fewer than seven; `count` is how many.
        case fieldCount(Int)
        /// A field that is present but cannot be what it should be: an old number that is not 9 or
        /// 12 digits, an empty name or address, a gender that is neither `Nam` nor `Nữ`.
        case badField(Field)
        /// A date that is not `ddMMyyyy`, does not exist, lies after today, or an issue date before
        /// the date of birth.
        case badDate(Field)
        /// The identity number itself is malformed.
        case idNumber(CitizenIDNumber.Invalid)
        /// The identity number is well formed but encodes another year of birth or gender than the
        /// card's (`.birthYearMismatch` or `.genderMismatch`).
        case idNumberMismatch(CitizenIDNumber.Invalid)

        public var prompt: PromptKey {
            switch self {
            case .notCitizenCard: .cardQRNotCitizenCard
            case .fieldCount, .badField: .cardQRIncomplete
            case .badDate: .cardQRBadDate
            case .idNumber: .cardQRIDInvalid
            case .idNumberMismatch: .cardQRIDMismatch
            }
        }

        /// The technical detail for logs and `kioskctl`.
        public var description: String {
            switch self {
            case .notCitizenCard: "QR text is not a citizen identity card code (no |-separated fields with a number first)"
            case let .fieldCount(count): "card QR has \(count) field(s), expected at least 7"
            case let .badField(field): "card QR field \(field.rawValue) is malformed"
            case let .badDate(field): "card QR field \(field.rawValue) is not a possible ddMMyyyy date"
            case let .idNumber(reason): "card QR ID number: \(reason)"
            case let .idNumberMismatch(reason): "card QR ID number does not match the card: \(reason)"
            }
        }
    }

    /// The number of fields every card's code has; more are tolerated.
    public static let fieldCount = 7

    /// Reads the text a QR code decoded to.
    /// - Parameter today: the kiosk's local date: no date on the card, and no year the number
    ///   encodes, may lie after it.
    public init(parsing text: String, today: LocalDate) throws(Invalid) {
        // A byte-order mark, a trailing newline or NUL: what encoders and decoders add around text.
        let trimmed = text.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines
            .union(CharacterSet(charactersIn: "\u{FEFF}\u{0}")))
        let fields = trimmed.split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces) }
        guard fields.count > 1, let first = fields.first, !first.isEmpty,
              first.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { throw .notCitizenCard }
        guard fields.count >= Self.fieldCount else { throw .fieldCount(fields.count) }

        let old = fields[1]
        guard old.isEmpty || (old.utf8.allSatisfy({ (0x30...0x39).contains($0) }) && [9, 12].contains(old.utf8.count)) else {
            throw .badField(.oldIDNumber)
        }
        guard !fields[2].isEmpty else { throw .badField(.fullName) }
        guard let birth = Self.date(fields[3]), birth <= today else { throw .badDate(.dateOfBirth) }
        let gender: CitizenGender
        switch fields[4].lowercased() {
        case "nam": gender = .male
        case "nữ": gender = .female
        default: throw .badField(.gender)
        }
        guard !fields[5].isEmpty else { throw .badField(.address) }
        guard let issued = Self.date(fields[6]), issued <= today, issued >= birth else { throw .badDate(.issueDate) }

        // Structure first, so a number with a wrong digit count is not reported as a mismatch.
        do {
            _ = try CitizenIDNumber(validating: first, today: today)
        } catch {
            throw .idNumber(error)
        }
        do {
            idNumber = try CitizenIDNumber(validating: first, today: today, dateOfBirth: birth, gender: gender)
        } catch {
            throw .idNumberMismatch(error)
        }
        oldIDNumber = old.isEmpty ? nil : old
        fullName = fields[2]
        dateOfBirth = birth
        self.gender = gender
        address = fields[5]
        issueDate = issued
    }

    /// `ddMMyyyy` as a date that exists.
    private static func date(_ text: String) -> LocalDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let digits = String(decoding: bytes, as: UTF8.self)
        let day = digits.prefix(2), month = digits.dropFirst(2).prefix(2), year = digits.suffix(4)
        return LocalDate(parsing: "\(year)-\(month)-\(day)")
    }

    public var description: String { "CitizenCardQR(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["fields": "redacted"]) }
}
