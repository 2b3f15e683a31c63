import Foundation
import KioskCore
import Testing

/// The text of the QR code on a chip-based citizen identity card: seven `|`-separated fields,
/// further ones tolerated, names kept in NFC, and each reason a code is refused, said without its data.
@Suite struct CitizenCardQRTests {
    static let today = LocalDate(year: 2026, month: 3, day: 15)
    static let name = "Bùi Thị Thu Hường"
    static let address = "Thôn Lại Thế, Xã Phú Thượng, Huyện Phú Vang, Thừa Thiên Huế"

    /// A card's code with some fields replaced.
    static func code(id: String = "046195001234", old: String = "191234567", name: String = name, born: String = "12071995",
                     gender: String = "Nữ", address: String = address, issued: String = "25062021") -> String {
        [id, old, name, born, gender, address, issued].joined(separator: "|")
    }

    @Test func everyFieldOfACardsCodeIsRead() throws {
        let card = try CitizenCardQR(parsing: Self.code(), today: Self.today)
        #expect(card.idNumber.digits == "046195001234")
        #expect(card.oldIDNumber == "191234567")
        #expect(card.fullName == Self.name)
        #expect(card.dateOfBirth == LocalDate(year: 1995, month: 7, day: 12))
        #expect(card.gender == .female)
        #expect(card.address == Self.address)
        #expect(card.issueDate == LocalDate(year: 2021, month: 6, day: 25))
    }

    @Test func aManWithNoOldNumberIsReadWithNone() throws {
        let card = try CitizenCardQR(parsing: Self.code(id: "079099012345", old: "", name: "Trần Văn Đức", born: "01011999", gender: "Nam",
                                                       address: "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh", issued: "10082022"),
                                     today: Self.today)
        #expect(card.oldIDNumber == nil)
        #expect(card.gender == .male && card.idNumber.gender == .male)
        #expect(card.fullName == "Trần Văn Đức")
    }

    @Test func aTwelveDigitOldNumberIsKept() throws {
        #expect(try CitizenCardQR(parsing: Self.code(old: "001012345678"), today: Self.today).oldIDNumber == "001012345678")
    }

    @Test func aNameAndAddressInDecomposedFormComeBackPrecomposed() throws {
        let decomposedName = Self.name.decomposedStringWithCanonicalMapping
        let decomposedAddress = Self.address.decomposedStringWithCanonicalMapping
        // Swift compares canonically equivalent strings as equal: the bytes tell the forms apart.
        #expect(Array(decomposedName.utf8) != Array(Self.name.utf8))
        let card = try CitizenCardQR(parsing: Self.code(name: decomposedName, gender: "Nữ".decomposedStringWithCanonicalMapping,
                                                         address: decomposedAddress),
                                     today: Self.today)
        #expect(Array(card.fullName.utf8) == Array(Self.name.precomposedStringWithCanonicalMapping.utf8))
        #expect(Array(card.address.utf8) == Array(Self.address.precomposedStringWithCanonicalMapping.utf8))
        #expect(card.fullName.unicodeScalars.count == 17)
        #expect(card.gender == .female)
    }

    @Test(arguments: ["|", "|2024|CCCD", "||", "|extra field with Vietnamese: Đã cấp lại"])
    func extraTrailingFieldsAreTolerated(suffix: String) throws {
        let card = try CitizenCardQR(parsing: Self.code() + suffix, today: Self.today)
        #expect(card.fullName == Self.name && card.issueDate == LocalDate(year: 2021, month: 6, day: 25))
    }

    @Test func aByteOrderMarkAndATrailingNewlineAroundTheTextAreIgnored() throws {
        let card = try CitizenCardQR(parsing: "\u{FEFF}" + Self.code() + "\r\n", today: Self.today)
        #expect(card.issueDate == LocalDate(year: 2021, month: 6, day: 25))
    }

    @Test(arguments: ["https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html", "",
                      "00020101021238570010A00000072701270006970436011300112233445566",
                      "Nguyễn Văn An|001099012345|15031990", "046195001234", "|046195001234|191234567"])
    func aCodeThatIsNoCitizenCardsIsSaidToBeNone(text: String) {
        #expect(throws: CitizenCardQR.Invalid.notCitizenCard) {
            try CitizenCardQR(parsing: text, today: Self.today)
        }
    }

    @Test func tooFewFieldsAreCounted() {
        #expect(throws: CitizenCardQR.Invalid.fieldCount(4)) {
            try CitizenCardQR(parsing: "046195001234|191234567|\(Self.name)|12071995", today: Self.today)
        }
        #expect(throws: CitizenCardQR.Invalid.fieldCount(6)) {
            try CitizenCardQR(parsing: "046195001234|191234567|\(Self.name)|12071995|Nữ|\(Self.address)", today: Self.today)
        }
    }

    @Test(arguments: [
        // (date of birth, issue date, the field refused)
        ("31021995", "25062021", CitizenCardQR.Field.dateOfBirth),   // 31 February
        ("1207199", "25062021", .dateOfBirth),
        ("12/07/1995", "25062021", .dateOfBirth),
        ("19950712", "25062021", .dateOfBirth),                     // yyyyMMdd, not ddMMyyyy
        ("12071995", "16032026", .issueDate),                       // tomorrow
        ("12071995", "11071995", .issueDate),                       // before birth
        ("12071995", "", .issueDate),
    ])
    func aDateThatCannotBeIsRefusedNamingItsField(born: String, issued: String, field: CitizenCardQR.Field) {
        #expect(throws: CitizenCardQR.Invalid.badDate(field)) {
            try CitizenCardQR(parsing: Self.code(born: born, issued: issued), today: Self.today)
        }
    }

    @Test func aDateOfBirthAfterTodayIsRefused() {
        #expect(throws: CitizenCardQR.Invalid.badDate(.dateOfBirth)) {
            try CitizenCardQR(parsing: Self.code(id: "046226001234", born: "16032026"), today: Self.today)
        }
    }

    @Test func malformedFieldsAreNamed() {
        #expect(throws: CitizenCardQR.Invalid.badField(.oldIDNumber)) {
            try CitizenCardQR(parsing: Self.code(old: "19123"), today: Self.today)
        }
        #expect(throws: CitizenCardQR.Invalid.badField(.fullName)) {
            try CitizenCardQR(parsing: Self.code(name: " "), today: Self.today)
        }
        #expect(throws: CitizenCardQR.Invalid.badField(.gender)) {
            try CitizenCardQR(parsing: Self.code(gender: "Khác"), today: Self.today)
        }
        #expect(throws: CitizenCardQR.Invalid.badField(.address)) {
            try CitizenCardQR(parsing: Self.code(address: ""), today: Self.today)
        }
    }

    @Test func genderIsReadWhateverItsCase() throws {
        #expect(try CitizenCardQR(parsing: Self.code(gender: "NỮ"), today: Self.today).gender == .female)
        #expect(try CitizenCardQR(parsing: Self.code(id: "046095001234", gender: "nam"), today: Self.today).gender == .male)
    }

    @Test(arguments: [
        ("04619500123", CitizenIDNumber.Invalid.length(count: 11)),
        ("0461950012345", .length(count: 13)),
        ("003195001234", .unknownProvince),
        ("046595001234", .birthYearInFuture),
    ])
    func aMalformedIdentityNumberIsRefusedWithItsReason(id: String, reason: CitizenIDNumber.Invalid) {
        #expect(throws: CitizenCardQR.Invalid.idNumber(reason)) {
            try CitizenCardQR(parsing: Self.code(id: id), today: Self.today)
        }
    }

    @Test func anIdentityNumberNotMatchingTheBirthYearOrGenderIsRefused() {
        // The number says 1996; the card says 1995.
        #expect(throws: CitizenCardQR.Invalid.idNumberMismatch(.birthYearMismatch)) {
            try CitizenCardQR(parsing: Self.code(id: "046196001234"), today: Self.today)
        }
        // The number says a man born in the 1900s; the card says Nữ.
        #expect(throws: CitizenCardQR.Invalid.idNumberMismatch(.genderMismatch)) {
            try CitizenCardQR(parsing: Self.code(id: "046095001234"), today: Self.today)
        }
        // A woman born in 2095 is no woman born in 1995.
        #expect(throws: CitizenCardQR.Invalid.idNumberMismatch(.birthYearMismatch)) {
            try CitizenCardQR(parsing: Self.code(id: "046395001234"), today: LocalDate(year: 2099, month: 1, day: 1))
        }
    }

    @Test func noErrorTextOrDetailAndNoPrintedCardHoldsTheCardsData() throws {
        let reasons: [CitizenCardQR.Invalid] = [
            .notCitizenCard, .fieldCount(4), .badField(.gender), .badDate(.issueDate),
            .idNumber(.length(count: 11)), .idNumber(.unknownProvince), .idNumberMismatch(.genderMismatch),
        ]
        for reason in reasons {
            for language in Language.allCases {
                let text = reason.text(in: language)
                #expect(!text.isEmpty && !text.contains("{"), "\(reason)")
                #expect(text.range(of: "[0-9]{3,}", options: .regularExpression) == nil, "\(text)")
            }
            #expect(reason.description.range(of: "[0-9]{3,}", options: .regularExpression) == nil, "\(reason.description)")
        }
        let card = try CitizenCardQR(parsing: Self.code(), today: Self.today)
        var dumped = ""
        dump(card, to: &dumped)
        for shown in [String(describing: card), String(reflecting: card), dumped] {
            #expect(!shown.contains("195001") && !shown.contains("Hường") && !shown.contains("1995") && !shown.contains("Phú"), "\(shown)")
        }
    }

    @Test func everyReasonHasItsPromptInVietnameseAndEnglish() {
        let prompts: [PromptKey] = [.cardQRNotCitizenCard, .cardQRIncomplete, .cardQRBadDate, .cardQRIDInvalid, .cardQRIDMismatch]
        let reasons: [CitizenCardQR.Invalid] = [.notCitizenCard, .fieldCount(3), .badField(.address), .badDate(.dateOfBirth),
                                                .idNumber(.notDigits), .idNumberMismatch(.birthYearMismatch)]
        #expect(Set(reasons.map(\.prompt)) == Set(prompts))
        for key in prompts {
            let vietnamese = PromptCatalog.texts[key]?[.vietnamese] ?? ""
            let english = PromptCatalog.texts[key]?[.english] ?? ""
            #expect(!vietnamese.isEmpty && !english.isEmpty && vietnamese != english, "\(key.rawValue)")
        }
    }
}
