/// A Vietnamese citizen's personal identification number (số định danh cá nhân), the 12 digits on
/// the chip-based citizen identity card (Căn cước công dân, and since 2024 Căn cước), checked against
/// the structure Circular 07/2016/TT-BCA gives it:
///
/// - digits 1-3: the code of the province or city where the birth was registered;
/// - digit 4: century and gender (0 male / 1 female born 1900-1999, 2 / 3 born 2000-2099, 4 / 5 in
///   the 22nd century, 6 / 7 in the 23rd, 8 / 9 in the 24th);
/// - digits 5-6: the last two digits of the year of birth;
/// - digits 7-12: a random number.
///
/// Only the structure can be checked offline; whether the number was ever issued is the portal's
/// to say. The number is personal data: `description` and `dump` never show its digits, and no
/// `Invalid` text or detail contains them, so neither can leak into a log or onto a screen by accident.
public struct CitizenIDNumber: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How many digits the number has.
    public static let length = 12

    /// The twelve digits, ASCII `0`-`9`.
    public let digits: String
    /// The gender the fourth digit encodes.
    public let gender: CitizenGender
    /// The year of birth the fourth to sixth digits encode.
    public let birthYear: Int

    /// Why a text is not a citizen identity number: the prompt the citizen hears and the detail
    /// technicians read. Neither holds the typed digits.
    public enum Invalid: CitizenInputProblem, Hashable {
        /// Not 12 digits; `count` is how many there were.
        case length(count: Int)
        /// Something other than the digits 0-9.
        case notDigits
        /// The first three digits are no province or city code of the 63-province list.
        case unknownProvince
        /// The century code and year digits give a year of birth after today.
        case birthYearInFuture
        /// The year of birth the number encodes is not the one on the card.
        case birthYearMismatch
        /// The gender the number encodes is not the one on the card.
        case genderMismatch

        public var prompt: PromptKey {
            switch self {
            case .length: .citizenIDLength
            case .notDigits: .citizenIDNotDigits
            case .unknownProvince: .citizenIDUnknownProvince
            case .birthYearInFuture: .citizenIDFutureBirthYear
            case .birthYearMismatch: .citizenIDBirthYearMismatch
            case .genderMismatch: .citizenIDGenderMismatch
            }
        }

        public var promptValues: [String: String] {
            if case let .length(count) = self { return ["count": String(count)] }
            return [:]
        }

        /// The technical detail for logs and `kioskctl`.
        public var description: String {
            switch self {
            case let .length(count): "citizen ID has \(count) digit(s), expected \(CitizenIDNumber.length)"
            case .notDigits: "citizen ID holds characters other than 0-9"
            case .unknownProvince: "citizen ID's first three digits are no code of the 63-province list"
            case .birthYearInFuture: "citizen ID's century code and year digits give a birth year after today"
            case .birthYearMismatch: "citizen ID's birth year differs from the date of birth given with it"
            case .genderMismatch: "citizen ID's gender digit differs from the gender given with it"
            }
        }
    }

    /// Checks `text` and keeps it when it is a well-formed number.
    /// - Parameters:
    ///   - today: the kiosk's local date; a number encoding a later year of birth is refused.
    ///   - dateOfBirth: when known (from the card's QR code), the year the number encodes must be its year.
    ///   - gender: when known (from the card), the gender the number encodes must be it.
    public init(validating text: String, today: LocalDate, dateOfBirth: LocalDate? = nil,
                gender: CitizenGender? = nil) throws(Invalid) {
        // Digits first: "abc" is better answered with "digits only" than with "you typed 3".
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { throw .notDigits }
        guard bytes.count == Self.length else { throw .length(count: bytes.count) }
        let values = bytes.map { Int($0 - 0x30) }
        let province = values[0] * 100 + values[1] * 10 + values[2]
        guard Self.provinceNames[province] != nil else { throw .unknownProvince }
        let centuryCode = values[3]
        let encodedGender: CitizenGender = centuryCode.isMultiple(of: 2) ? .male : .female
        let year = 1900 + centuryCode / 2 * 100 + values[4] * 10 + values[5]
        guard year <= today.year else { throw .birthYearInFuture }
        if let dateOfBirth, dateOfBirth.year != year { throw .birthYearMismatch }
        if let gender, gender != encodedGender { throw .genderMismatch }
        digits = text
        self.gender = encodedGender
        birthYear = year
    }

    /// The code of the province or city where the birth was registered (1 Hà Nội … 96 Cà Mau).
    public var provinceCode: Int {
        digits.utf8.prefix(3).reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// That province's or city's name as the 63-province list gives it.
    public var provinceName: String {
        Self.provinceNames[provinceCode] ?? ""
    }

    public var description: String { "CitizenIDNumber(\(Self.length) digits, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["digits": "redacted"]) }

    /// Province and city codes of the place of birth registration (Circular 07/2016/TT-BCA,
    /// appendix 1: the 63 provinces and cities before the 2025 merger). Numbers already issued keep
    /// their code after the merger. Unchecked here: whether the 2025 successor list gives the 34
    /// merged provinces any code outside this list; if it does, such numbers are refused until
    /// those codes are added.
    public static let provinceNames: [Int: String] = [
        1: "Hà Nội", 2: "Hà Giang", 4: "Cao Bằng", 6: "Bắc Kạn", 8: "Tuyên Quang", 10: "Lào Cai",
        11: "Điện Biên", 12: "Lai Châu", 14: "Sơn La", 15: "Yên Bái", 17: "Hòa Bình", 19: "Thái Nguyên",
        20: "Lạng Sơn", 22: "Quảng Ninh", 24: "Bắc Giang", 25: "Phú Thọ", 26: "Vĩnh Phúc", 27: "Bắc Ninh",
        30: "Hải Dương", 31: "Hải Phòng", 33: "Hưng Yên", 34: "Thái Bình", 35: "Hà Nam", 36: "Nam Định",
        37: "Ninh Bình", 38: "Thanh Hóa", 40: "Nghệ An", 42: "Hà Tĩnh", 44: "Quảng Bình", 45: "Quảng Trị",
        46: "Thừa Thiên Huế", 48: "Đà Nẵng", 49: "Quảng Nam", 51: "Quảng Ngãi", 52: "Bình Định", 54: "Phú Yên",
        56: "Khánh Hòa", 58: "Ninh Thuận", 60: "Bình Thuận", 62: "Kon Tum", 64: "Gia Lai", 66: "Đắk Lắk",
        67: "Đắk Nông", 68: "Lâm Đồng", 70: "Bình Phước", 72: "Tây Ninh", 74: "Bình Dương", 75: "Đồng Nai",
        77: "Bà Rịa - Vũng Tàu", 79: "Hồ Chí Minh", 80: "Long An", 82: "Tiền Giang", 83: "Bến Tre", 84: "Trà Vinh",
        86: "Vĩnh Long", 87: "Đồng Tháp", 89: "An Giang", 91: "Kiên Giang", 92: "Cần Thơ", 93: "Hậu Giang",
        94: "Sóc Trăng", 95: "Bạc Liêu", 96: "Cà Mau",
    ]
}
