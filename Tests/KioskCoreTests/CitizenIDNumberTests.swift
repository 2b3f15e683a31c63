import Foundation
import KioskCore
import Testing

/// The personal identification number's structure (Circular 07/2016/TT-BCA): province code,
/// century-and-gender digit, year of birth, and each reason a number is refused, said without
/// ever repeating the number.
@Suite struct CitizenIDNumberTests {
    static let today = LocalDate(year: 2026, month: 3, day: 15)

    @Test func aWellFormedNumberTellsItsProvinceGenderAndBirthYear() throws {
        let man = try CitizenIDNumber(validating: "001099012345", today: Self.today)
        #expect(man.digits == "001099012345")
        #expect(man.provinceCode == 1 && man.provinceName == "Hà Nội")
        #expect(man.gender == .male && man.birthYear == 1999)

        let woman = try CitizenIDNumber(validating: "079301004567", today: Self.today)
        #expect(woman.provinceCode == 79 && woman.provinceName == "Hồ Chí Minh")
        #expect(woman.gender == .female && woman.birthYear == 2001)
    }

    @Test(arguments: [
        (0, CitizenGender.male, 1900), (1, .female, 1900), (2, .male, 2000), (3, .female, 2000),
        (4, .male, 2100), (5, .female, 2100), (6, .male, 2200), (7, .female, 2200), (8, .male, 2300), (9, .female, 2300),
    ])
    func theFourthDigitGivesCenturyAndGender(code: Int, gender: CitizenGender, century: Int) throws {
        // A far-off "today", so that every century is already possible.
        let number = try CitizenIDNumber(validating: "046\(code)07123456", today: LocalDate(year: 2399, month: 12, day: 31))
        #expect(number.gender == gender)
        #expect(number.birthYear == century + 7)
    }

    @Test(arguments: [("", 0), ("0010990", 7), ("00109901234", 11), ("0010990123456", 13), ("001099012345001099012345", 24)])
    func aNumberOfTheWrongLengthIsRefusedWithTheCountTyped(text: String, count: Int) {
        #expect(throws: CitizenIDNumber.Invalid.length(count: count)) {
            try CitizenIDNumber(validating: text, today: Self.today)
        }
        let invalid = CitizenIDNumber.Invalid.length(count: count)
        #expect(invalid.prompt == .citizenIDLength)
        #expect(invalid.text(in: .vietnamese).contains("đã nhập \(count)"), "\(invalid.text(in: .vietnamese))")
        #expect(invalid.text(in: .english).contains("you typed \(count)"), "\(invalid.text(in: .english))")
    }

    @Test(arguments: ["00109901234a", "001 099 012 345", "001-099-012-345", "+01099012345", "００１０９９０１２３４５", "٠٠١٠٩٩٠١٢٣٤٥", "abc"])
    func anythingButTheDigitsZeroToNineIsRefused(text: String) {
        #expect(throws: CitizenIDNumber.Invalid.notDigits) {
            try CitizenIDNumber(validating: text, today: Self.today)
        }
    }

    @Test func exactlyTheSixtyThreeProvinceCodesAreAccepted() {
        var accepted: [Int] = []
        for code in 0..<1000 {
            let prefix = String(repeating: "0", count: code < 10 ? 2 : code < 100 ? 1 : 0) + String(code)
            do {
                _ = try CitizenIDNumber(validating: prefix + "099012345", today: Self.today)
                accepted.append(code)
            } catch {
                #expect(error == .unknownProvince, "code \(code): \(error)")
            }
        }
        #expect(accepted.count == 63)
        // Spot checks from both ends and the gaps of the list.
        for known in [1, 2, 4, 46, 48, 79, 92, 96] { #expect(accepted.contains(known), "\(known)") }
        for unknown in [0, 3, 5, 47, 50, 78, 97, 99, 100, 999] { #expect(!accepted.contains(unknown), "\(unknown)") }
    }

    @Test func aBirthYearStillToComeIsRefused() throws {
        // 2 + "26" is 2026: this year is possible; 2027 and every later century are not.
        #expect(try CitizenIDNumber(validating: "001226012345", today: Self.today).birthYear == 2026)
        for text in ["001227012345", "001399012345", "001400012345", "001999012345"] {
            #expect(throws: CitizenIDNumber.Invalid.birthYearInFuture, "\(text.prefix(6))") {
                try CitizenIDNumber(validating: text, today: Self.today)
            }
        }
    }

    @Test func aKnownDateOfBirthAndGenderMustMatchTheNumber() throws {
        let born = LocalDate(year: 1995, month: 7, day: 12)
        let number = try CitizenIDNumber(validating: "046195001234", today: Self.today, dateOfBirth: born, gender: .female)
        #expect(number.birthYear == 1995 && number.gender == .female)

        #expect(throws: CitizenIDNumber.Invalid.birthYearMismatch) {
            try CitizenIDNumber(validating: "046195001234", today: Self.today, dateOfBirth: LocalDate(year: 1996, month: 7, day: 12))
        }
        // Same two year digits, another century: 1995 is not 2095's number.
        #expect(throws: CitizenIDNumber.Invalid.birthYearMismatch) {
            try CitizenIDNumber(validating: "046395001234", today: LocalDate(year: 2099, month: 1, day: 1), dateOfBirth: born)
        }
        #expect(throws: CitizenIDNumber.Invalid.genderMismatch) {
            try CitizenIDNumber(validating: "046195001234", today: Self.today, dateOfBirth: born, gender: .male)
        }
    }

    @Test func noReasonTextOrDetailRepeatsTheNumber() {
        let typed = "046195001234"
        let reasons: [CitizenIDNumber.Invalid] = [.length(count: 11), .notDigits, .unknownProvince, .birthYearInFuture,
                                                  .birthYearMismatch, .genderMismatch]
        for reason in reasons {
            for language in Language.allCases {
                let text = reason.text(in: language)
                #expect(!text.isEmpty && !text.contains("{"), "\(reason) in \(language): \(text)")
                #expect(Self.holdsNoDigitRun(text), "\(reason) in \(language): \(text)")
            }
            #expect(Self.holdsNoDigitRun(reason.description), "\(reason.description)")
        }
        // Nor does the number itself when printed, interpolated or dumped into a log line.
        let number = try? CitizenIDNumber(validating: typed, today: Self.today)
        #expect(number != nil)
        var dumped = ""
        dump(number, to: &dumped)
        for shown in [String(describing: number), "\(String(describing: number))", String(reflecting: number), dumped] {
            #expect(!shown.contains(typed) && !shown.contains("195001"), "\(shown)")
        }
    }

    @Test func everyReasonHasItsOwnPromptInVietnameseAndEnglish() {
        let prompts: [PromptKey] = [.citizenIDLength, .citizenIDNotDigits, .citizenIDUnknownProvince, .citizenIDFutureBirthYear,
                                    .citizenIDBirthYearMismatch, .citizenIDGenderMismatch]
        #expect(Set(prompts).count == prompts.count)
        for key in prompts {
            let vietnamese = PromptCatalog.texts[key]?[.vietnamese] ?? ""
            let english = PromptCatalog.texts[key]?[.english] ?? ""
            #expect(!vietnamese.isEmpty && !english.isEmpty && vietnamese != english, "\(key.rawValue)")
        }
    }

    /// No run of three or more digits: a count ("11") may appear, a number's digits may not.
    static func holdsNoDigitRun(_ text: String) -> Bool {
        text.range(of: "[0-9]{3,}", options: .regularExpression) == nil
    }
}
