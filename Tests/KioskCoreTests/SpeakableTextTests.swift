import KioskCore
import Testing

/// What eSpeak NG is given to say: words, never raw digit strings, in short groups.
@Suite struct SpeakableTextTests {
    static let vi = SpeakableText(language: .vietnamese, dialect: .northern)
    static let viSouth = SpeakableText(language: .vietnamese, dialect: .southern)
    static let en = SpeakableText(language: .english)

    struct Example: CustomTestStringConvertible, Sendable {
        let input: String
        let speaker: SpeakableText
        let render: @Sendable (SpeakableText) -> String
        let expected: String
        var testDescription: String { "\(input) [\(speaker.language.rawValue)]" }
    }

    static func number(_ value: Int, _ speaker: SpeakableText, _ expected: String) -> Example {
        Example(input: "\(value)", speaker: speaker, render: { $0.number(value) }, expected: expected)
    }

    static let numbers: [Example] = [
        number(0, vi, "không"),
        number(5, vi, "năm"),
        number(10, vi, "mười"),
        number(11, vi, "mười một"),
        number(14, vi, "mười bốn"),
        number(15, vi, "mười lăm"),
        number(20, vi, "hai mươi"),
        number(21, vi, "hai mươi mốt"),
        number(24, vi, "hai mươi tư"),
        number(25, vi, "hai mươi lăm"),
        number(55, vi, "năm mươi lăm"),
        number(99, vi, "chín mươi chín"),
        number(100, vi, "một trăm"),
        number(101, vi, "một trăm linh một"),
        number(105, vi, "một trăm linh năm"),
        number(105, viSouth, "một trăm lẻ năm"),
        number(110, vi, "một trăm mười"),
        number(115, vi, "một trăm mười lăm"),
        number(121, vi, "một trăm hai mươi mốt"),
        number(1000, vi, "một nghìn"),
        number(1000, viSouth, "một ngàn"),
        number(1005, vi, "một nghìn không trăm linh năm"),
        number(2026, vi, "hai nghìn không trăm hai mươi sáu"),
        number(10_000, vi, "mười nghìn"),
        number(50_000, vi, "năm mươi nghìn"),
        number(1_000_000, vi, "một triệu"),
        number(1_500_000, vi, "một triệu năm trăm nghìn"),
        number(1_000_005, vi, "một triệu không trăm linh năm"),
        number(2_000_000_000, vi, "hai tỷ"),
        number(0, en, "zero"),
        number(13, en, "thirteen"),
        number(21, en, "twenty-one"),
        number(105, en, "one hundred and five"),
        number(1005, en, "one thousand and five"),
        number(2026, en, "two thousand and twenty-six"),
        number(50_000, en, "fifty thousand"),
        number(1_500_000, en, "one million five hundred thousand"),
    ]

    static let codes: [Example] = [
        Example(input: "A012", speaker: vi, render: { $0.ticketNumber("A012") }, expected: "a, không một hai"),
        Example(input: "A012", speaker: en, render: { $0.ticketNumber("A012") }, expected: "ay, zero one two"),
        Example(input: "B105", speaker: vi, render: { $0.ticketNumber("B105") }, expected: "bê, một không năm"),
        Example(input: "CS007", speaker: vi, render: { $0.ticketNumber("CS007") }, expected: "xê ét xì, không không bảy"),
        Example(input: "D999", speaker: en, render: { $0.ticketNumber("D999") }, expected: "dee, nine nine nine"),
        Example(input: "HN-2611-0042", speaker: vi, render: { $0.applicationCode("HN-2611-0042") },
                expected: "hát en nờ, hai sáu một một, không không bốn hai"),
        Example(input: "HN-2611-0042", speaker: en, render: { $0.applicationCode("HN-2611-0042") },
                expected: "aitch en, two six one one, zero zero four two"),
        Example(input: "K7Q4M2X9", speaker: en, render: { $0.applicationCode("K7Q4M2X9") },
                expected: "kay seven cue, four em two, ex nine"),
        Example(input: "000.00.11.H29-261122-0042", speaker: vi,
                render: { $0.applicationCode("000.00.11.H29-261122-0042") },
                expected: "không không không, không không một, một hát hai, chín, hai sáu một, một hai hai, không không bốn hai"),
        Example(input: "0912345678", speaker: vi, render: { $0.phoneNumber("0912345678") },
                expected: "không chín một hai, ba bốn năm, sáu bảy tám"),
        Example(input: "0912 345 678", speaker: en, render: { $0.phoneNumber("0912 345 678") },
                expected: "zero nine one two, three four five, six seven eight"),
        Example(input: "02438251234", speaker: vi, render: { $0.phoneNumber("02438251234") },
                expected: "không hai bốn, ba tám hai năm, một hai ba bốn"),
        Example(input: "+84912345678", speaker: vi, render: { $0.phoneNumber("+84912345678") },
                expected: "tám bốn chín, một hai ba, bốn năm sáu, bảy tám"),
        Example(input: "1900 1234", speaker: en, render: { $0.phoneNumber("1900 1234") },
                expected: "one nine zero, zero one two, three four"),
        Example(input: "5 digits", speaker: vi, render: { $0.digitCount(5) }, expected: "đã nhập năm chữ số"),
        Example(input: "12 digits", speaker: vi, render: { $0.digitCount(12) }, expected: "đã nhập mười hai chữ số"),
        Example(input: "1 digit", speaker: en, render: { $0.digitCount(1) }, expected: "one digit entered"),
        Example(input: "12 digits", speaker: en, render: { $0.digitCount(12) }, expected: "twelve digits entered"),
    ]

    static func date(_ year: Int, _ month: Int, _ day: Int, _ speaker: SpeakableText, _ expected: String) -> Example {
        Example(input: "\(year)-\(month)-\(day)", speaker: speaker,
                render: { $0.date(LocalDate(year: year, month: month, day: day)) }, expected: expected)
    }

    static func time(_ hour: Int, _ minute: Int, _ speaker: SpeakableText, _ expected: String) -> Example {
        Example(input: "\(hour):\(minute)", speaker: speaker,
                render: { $0.time(ClockTime(hour: hour, minute: minute)!) }, expected: expected)
    }

    static func money(_ dong: Int, _ speaker: SpeakableText, _ expected: String) -> Example {
        Example(input: "\(dong) đ", speaker: speaker, render: { $0.money(dong: dong) }, expected: expected)
    }

    static let datesTimesMoney: [Example] = [
        date(2026, 11, 22, vi, "ngày hai mươi hai tháng mười một năm hai nghìn không trăm hai mươi sáu"),
        date(2026, 4, 30, vi, "ngày ba mươi tháng tư năm hai nghìn không trăm hai mươi sáu"),
        date(2027, 1, 1, viSouth, "ngày một tháng một năm hai ngàn không trăm hai mươi bảy"),
        date(2026, 9, 2, vi, "ngày hai tháng chín năm hai nghìn không trăm hai mươi sáu"),
        date(2026, 11, 22, en, "November twenty-second, twenty twenty-six"),
        date(2027, 1, 1, en, "January first, twenty twenty-seven"),
        date(2005, 3, 3, en, "March third, two thousand and five"),
        date(1999, 12, 31, en, "December thirty-first, nineteen ninety-nine"),
        date(2026, 6, 12, en, "June twelfth, twenty twenty-six"),
        date(2026, 5, 20, en, "May twentieth, twenty twenty-six"),
        time(8, 30, vi, "tám giờ ba mươi phút"),
        time(8, 0, vi, "tám giờ"),
        time(17, 5, vi, "mười bảy giờ năm phút"),
        time(0, 0, vi, "không giờ"),
        time(21, 45, vi, "hai mươi mốt giờ bốn mươi lăm phút"),
        time(8, 30, en, "eight thirty A M"),
        time(17, 5, en, "five oh five P M"),
        time(12, 0, en, "twelve noon"),
        time(0, 0, en, "twelve midnight"),
        time(13, 0, en, "one P M"),
        money(0, vi, "không đồng"),
        money(50_000, vi, "năm mươi nghìn đồng"),
        money(1_500_000, vi, "một triệu năm trăm nghìn đồng"),
        money(15_000, viSouth, "mười lăm ngàn đồng"),
        money(50_000, en, "fifty thousand dong"),
        money(105_000, en, "one hundred and five thousand dong"),
    ]

    @Test(arguments: numbers + codes + datesTimesMoney)
    func speakableTextIsExactlyWhatESpeakShouldRead(_ example: Example) {
        #expect(example.render(example.speaker) == example.expected)
    }

    @Test func thereAreAtLeastSixtyCases() {
        #expect((Self.numbers + Self.codes + Self.datesTimesMoney).count >= 60)
    }

    @Test func speakableTextNeverContainsDigits() {
        for example in Self.numbers + Self.codes + Self.datesTimesMoney {
            let text = example.render(example.speaker)
            #expect(!text.contains { $0.isASCII && $0.isNumber }, "\(example.input) → \(text)")
        }
    }
}
