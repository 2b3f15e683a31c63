/// How Vietnamese numbers are said where the kiosk stands: the North (and the Centre) say "nghìn"
/// and "linh" (105: một trăm linh năm), the South "ngàn" and "lẻ" (một trăm lẻ năm).
public enum VietnameseDialect: Sendable, Hashable {
    case northern, southern

    public init(voice: VietnameseVoice) {
        self = voice == .southern ? .southern : .northern
    }
}

/// Turns numbers, codes, phone numbers, dates, times and money into words that eSpeak NG reads
/// correctly. eSpeak mangles long digit strings and several Vietnamese numbers ("mươi"/"mười",
/// "năm" as five or year), so the kiosk never hands it digits: it writes the words itself, and
/// spells codes in short groups separated by commas (each comma is a pause a listener can follow).
public struct SpeakableText: Sendable, Hashable {
    public let language: Language
    public let dialect: VietnameseDialect

    public init(language: Language, dialect: VietnameseDialect = .northern) {
        self.language = language
        self.dialect = dialect
    }

    // MARK: - Digits, letters and codes

    /// One digit as a word (`7` → "bảy" / "seven").
    public func digit(_ value: Int) -> String {
        switch language {
        case .vietnamese: ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"][value]
        case .english: ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][value]
        }
    }

    /// A letter by its name in the alphabet, so eSpeak never takes "A" for an article.
    public func letter(_ character: Character) -> String {
        let upper = Character(character.uppercased())
        switch language {
        case .vietnamese:
            let names: [Character: String] = [
                "A": "a", "Ă": "á", "Â": "ớ", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "Ê": "ê",
                "F": "ép", "G": "giê", "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ",
                "N": "en nờ", "O": "o", "Ô": "ô", "Ơ": "ơ", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì",
                "T": "tê", "U": "u", "Ư": "ư", "V": "vê", "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
            ]
            return names[upper] ?? String(character)
        case .english:
            let names: [Character: String] = [
                "A": "ay", "B": "bee", "C": "see", "D": "dee", "E": "ee", "F": "ef", "G": "gee", "H": "aitch",
                "I": "eye", "J": "jay", "K": "kay", "L": "el", "M": "em", "N": "en", "O": "oh", "P": "pee",
                "Q": "cue", "R": "ar", "S": "ess", "T": "tee", "U": "you", "V": "vee", "W": "double you",
                "X": "ex", "Y": "why", "Z": "zed",
            ]
            return names[upper] ?? String(character)
        }
    }

    /// Letters and digits one by one: `4M2` → "bốn em mờ hai". Anything else is left out.
    public func spelled<Text: StringProtocol>(_ text: Text) -> String {
        text.compactMap { character -> String? in
            if let value = character.wholeNumberValue, character.isASCII { return digit(value) }
            if character.isLetter { return letter(character) }
            return nil
        }.joined(separator: " ")
    }

    /// Spells `text` in groups of the given sizes (the last size repeats), groups separated by commas.
    public func grouped(_ text: String, sizes: [Int]) -> String {
        let characters = Array(text.filter { $0.isLetter || $0.isNumber })
        var groups: [String] = []
        var index = 0
        var sizeIndex = 0
        while index < characters.count {
            let size = max(1, sizes.isEmpty ? 3 : sizes[min(sizeIndex, sizes.count - 1)])
            groups.append(spelled(String(characters[index..<min(index + size, characters.count)])))
            index += size
            sizeIndex += 1
        }
        return groups.joined(separator: ", ")
    }

    /// A queue ticket number: its letters, a pause, then its digits one by one (`A012` → "a, không một hai").
    /// Digits one by one because that is how a counter calls them and how they are printed.
    public func ticketNumber(_ ticket: String) -> String {
        let prefix = ticket.prefix { $0.isLetter }
        let digits = ticket.dropFirst(prefix.count)
        let parts = [spelled(prefix), spelled(digits)].filter { !$0.isEmpty }
        return parts.joined(separator: ", ")
    }

    /// A queue number as the citizen hears it: the service letters, "ưu tiên" on the priority line,
    /// then the digits one by one (`AU007` → "a, ưu tiên, không không bảy").
    public func ticket(_ number: TicketNumber) -> String {
        let priority = switch language {
        case .vietnamese: "ưu tiên"
        case .english: "priority"
        }
        var parts = [spelled(number.prefix)]
        if number.lane == .priority { parts.append(priority) }
        parts.append(spelled(number.code.drop { !$0.isNumber }))
        return parts.joined(separator: ", ")
    }

    /// An application code such as `HN-2611-0042`: each dash-separated part spelled, parts separated by
    /// commas, and parts longer than four characters split again so no group is too long to follow.
    public func applicationCode(_ code: String) -> String {
        code.split(separator: "-").map { part in
            part.count > 4 ? grouped(String(part), sizes: [3]) : spelled(part)
        }.joined(separator: ", ")
    }

    /// A phone number grouped as Vietnamese numbers are written: mobiles 4-3-3 (0912 345 678),
    /// landlines with a 02x area code 3-4-4 (024 3825 1234), anything else in threes.
    public func phoneNumber(_ phone: String) -> String {
        let digits = phone.filter { $0.isASCII && $0.isNumber }
        switch digits.count {
        case 10: return grouped(digits, sizes: [4, 3, 3])
        case 11 where digits.hasPrefix("02"): return grouped(digits, sizes: [3, 4, 4])
        default: return grouped(digits, sizes: [3])
        }
    }

    /// How many digits have been typed, for personal data that must not be read out on a speaker.
    public func digitCount(_ count: Int) -> String {
        switch language {
        case .vietnamese: "đã nhập \(number(count)) chữ số"
        case .english: count == 1 ? "one digit entered" : "\(number(count)) digits entered"
        }
    }

    // MARK: - Numbers

    /// A whole number in words, from 0 to 999 999 999 999.
    public func number(_ value: Int) -> String {
        precondition(value >= 0 && value < 1_000_000_000_000, "number out of the range spoken by the kiosk")
        switch language {
        case .vietnamese: return vietnameseNumber(value)
        case .english: return englishNumber(value)
        }
    }

    /// `value` in groups of three digits, least significant first (1 500 000 → [0, 500, 1]).
    private static func thousandsGroups(_ value: Int) -> [Int] {
        var groups: [Int] = []
        var rest = value
        while rest > 0 {
            groups.append(rest % 1000)
            rest /= 1000
        }
        return groups
    }

    private func vietnameseNumber(_ value: Int) -> String {
        if value == 0 { return "không" }
        let scales = ["", dialect == .southern ? "ngàn" : "nghìn", "triệu", "tỷ"]
        let groups = Self.thousandsGroups(value)
        var words: [String] = []
        for index in stride(from: groups.count - 1, through: 0, by: -1) where groups[index] != 0 {
            // A group after a larger one is read in full: 1 005 is "một nghìn không trăm linh năm".
            let isLeading = index == groups.count - 1
            words.append(vietnameseHundreds(groups[index], full: !isLeading))
            if !scales[index].isEmpty { words.append(scales[index]) }
        }
        return words.joined(separator: " ")
    }

    private func vietnameseHundreds(_ value: Int, full: Bool) -> String {
        let hundreds = value / 100, tens = value / 10 % 10, units = value % 10
        var words: [String] = []
        if hundreds > 0 || full {
            words += [digit(hundreds), "trăm"]
        }
        switch tens {
        case 0:
            if units > 0 {
                if !words.isEmpty { words.append(dialect == .southern ? "lẻ" : "linh") }
                words.append(digit(units))
            }
        case 1:
            words.append("mười")
            if units == 5 { words.append("lăm") } else if units > 0 { words.append(digit(units)) }
        default:
            words += [digit(tens), "mươi"]
            switch units {
            case 0: break
            case 1: words.append("mốt")
            case 4: words.append("tư")
            case 5: words.append("lăm")
            default: words.append(digit(units))
            }
        }
        return words.joined(separator: " ")
    }

    private func englishNumber(_ value: Int) -> String {
        if value == 0 { return "zero" }
        let scales = ["", "thousand", "million", "billion"]
        let groups = Self.thousandsGroups(value)
        var parts: [String] = []
        for index in stride(from: groups.count - 1, through: 0, by: -1) where groups[index] != 0 {
            var part = englishHundreds(groups[index])
            // "one thousand and five": British usage, as taught in Vietnam.
            if index == 0, groups.count > 1, groups[0] < 100 { part = "and " + part }
            parts.append(scales[index].isEmpty ? part : "\(part) \(scales[index])")
        }
        return parts.joined(separator: " ")
    }

    private func englishHundreds(_ value: Int) -> String {
        let ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        let hundreds = value / 100, rest = value % 100
        var words: [String] = []
        if hundreds > 0 { words.append("\(ones[hundreds]) hundred") }
        if rest > 0 {
            let below = rest < 20 ? ones[rest] : tens[rest / 10] + (rest % 10 > 0 ? "-" + ones[rest % 10] : "")
            words.append(hundreds > 0 ? "and \(below)" : below)
        }
        return words.joined(separator: " ")
    }

    // MARK: - Dates, times, money

    /// A calendar date: "ngày hai mươi hai tháng mười một năm hai nghìn không trăm hai mươi sáu" /
    /// "November twenty-second, twenty twenty-six".
    public func date(_ date: LocalDate) -> String {
        switch language {
        case .vietnamese:
            // April is "tháng tư", never "tháng bốn".
            let month = date.month == 4 ? "tư" : number(date.month)
            return "ngày \(number(date.day)) tháng \(month) năm \(number(date.year))"
        case .english:
            let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                          "September", "October", "November", "December"]
            return "\(months[date.month - 1]) \(englishOrdinal(date.day)), \(englishYear(date.year))"
        }
    }

    /// A year on its own, as a year of birth is said: "một nghìn chín trăm chín mươi" /
    /// "nineteen ninety".
    public func year(_ year: Int) -> String {
        switch language {
        case .vietnamese: number(year)
        case .english: englishYear(year)
        }
    }

    /// A time of day: "tám giờ ba mươi phút" / "eight thirty A M".
    public func time(_ time: ClockTime) -> String {
        let hour = time.hour % 24, minute = time.minute
        switch language {
        case .vietnamese:
            return minute == 0 ? "\(number(hour)) giờ" : "\(number(hour)) giờ \(number(minute)) phút"
        case .english:
            if minute == 0 && hour == 12 { return "twelve noon" }
            if minute == 0 && hour == 0 { return "twelve midnight" }
            let twelveHour = hour % 12 == 0 ? 12 : hour % 12
            let period = hour < 12 ? "A M" : "P M"
            switch minute {
            case 0: return "\(number(twelveHour)) \(period)"
            case 1..<10: return "\(number(twelveHour)) oh \(number(minute)) \(period)"
            default: return "\(number(twelveHour)) \(number(minute)) \(period)"
            }
        }
    }

    /// An amount in Vietnamese đồng: "năm mươi nghìn đồng" / "fifty thousand dong".
    public func money(dong: Int) -> String {
        switch language {
        case .vietnamese: "\(number(dong)) đồng"
        case .english: "\(number(dong)) dong"
        }
    }

    private func englishOrdinal(_ value: Int) -> String {
        let irregular = [1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth", 12: "twelfth"]
        if let word = irregular[value] { return word }
        if value > 20, value % 10 != 0 {
            let tensWord = englishNumber(value - value % 10)
            return "\(tensWord)-\(englishOrdinal(value % 10))"
        }
        let cardinal = englishNumber(value)
        return cardinal.hasSuffix("y") ? String(cardinal.dropLast()) + "ieth" : cardinal + "th"
    }

    /// Years as they are said: "nineteen ninety-nine", "two thousand and five", "twenty twenty-six".
    private func englishYear(_ year: Int) -> String {
        if year >= 2000 && year < 2010 { return englishNumber(year) }
        let century = year / 100, rest = year % 100
        guard century > 0 else { return englishNumber(year) }
        if rest == 0 { return "\(englishNumber(century)) hundred" }
        return rest < 10 ? "\(englishNumber(century)) oh \(englishNumber(rest))" : "\(englishNumber(century)) \(englishNumber(rest))"
    }
}
