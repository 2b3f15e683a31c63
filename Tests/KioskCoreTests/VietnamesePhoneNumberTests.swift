import Foundation
import KioskCore
import Testing

/// Mobile numbers as numbered since 2018 (03, 05, 07, 08, 09 and eight more digits), typed on the
/// keypad or copied in the +84 form, and each reason one is refused.
@Suite struct VietnamesePhoneNumberTests {
    @Test(arguments: ["0321234567", "0561234567", "0701234567", "0812345678", "0912345678", "0987654321"])
    func tenDigitsWithAMobilePrefixAreKeptAsTyped(text: String) throws {
        let number = try VietnamesePhoneNumber(validating: text)
        #expect(number.digits == text)
        #expect(number.international == "+84" + text.dropFirst())
    }

    @Test(arguments: ["+84912345678", "84912345678", "+84 912 345 678", "+84 (0) 912 345 678", "840912345678",
                      "0912.345.678", "0912-345-678", " 0912 345 678 "])
    func theInternationalFormAndSeparatorsBecomeTheNationalForm(text: String) throws {
        #expect(try VietnamesePhoneNumber(validating: text).digits == "0912345678")
    }

    @Test(arguments: [("", 0), ("0", 1), ("091234567", 9), ("09123456789", 11), ("+8491234567", 9), ("849123456789", 11)])
    func aNumberOfTheWrongLengthIsRefusedWithTheCount(text: String, count: Int) {
        #expect(throws: VietnamesePhoneNumber.Invalid.length(count: count)) {
            try VietnamesePhoneNumber(validating: text)
        }
        let invalid = VietnamesePhoneNumber.Invalid.length(count: count)
        #expect(invalid.prompt == .phoneLength)
        #expect(invalid.text(in: .vietnamese).contains("đã nhập \(count)"))
        #expect(invalid.text(in: .english).contains("you typed \(count)"))
    }

    @Test(arguments: ["0241234567", "0281234567", "0112345678", "0612345678", "0012345678", "1912345678", "+1 212 555 0100"])
    func tenDigitsThatAreNoMobileNumberAreRefusedForTheirPrefix(text: String) {
        #expect(throws: VietnamesePhoneNumber.Invalid.prefix) {
            try VietnamesePhoneNumber(validating: text)
        }
    }

    @Test(arguments: ["09l2345678", "0912#45678", "0912*45678", "091234567８", "phone"])
    func lettersAndKeypadSignsAreRefusedAsNotDigits(text: String) {
        #expect(throws: VietnamesePhoneNumber.Invalid.notDigits) {
            try VietnamesePhoneNumber(validating: text)
        }
    }

    /// What the Session checks inline today (ten digits, `0`, then 3/5/7/8/9) is what the type
    /// accepts from the keypad, so the Session can switch to it without changing behaviour.
    @Test func keypadInputIsAcceptedExactlyWhenTheSessionsCheckAcceptsIt() {
        for first in 0...9 {
            for second in 0...9 {
                let typed = "\(first)\(second)12345678"
                let sessionAccepts = first == 0 && [3, 5, 7, 8, 9].contains(second)
                let accepted = (try? VietnamesePhoneNumber(validating: typed)) != nil
                #expect(accepted == sessionAccepts, "\(first)\(second)…")
            }
        }
    }

    @Test func noReasonTextOrDetailRepeatsTheNumberAndTheNumberIsNotPrinted() throws {
        for reason: VietnamesePhoneNumber.Invalid in [.length(count: 9), .prefix, .notDigits] {
            for language in Language.allCases {
                let text = reason.text(in: language)
                #expect(!text.isEmpty && !text.contains("{"))
                #expect(text.range(of: "[0-9]{3,}", options: .regularExpression) == nil, "\(text)")
            }
            #expect(reason.description.range(of: "[0-9]{3,}", options: .regularExpression) == nil, "\(reason.description)")
        }
        let number = try VietnamesePhoneNumber(validating: "0912345678")
        var dumped = ""
        dump(number, to: &dumped)
        for shown in [String(describing: number), String(reflecting: number), dumped] {
            #expect(!shown.contains("912345678"), "\(shown)")
        }
    }

    @Test func everyReasonHasItsPromptInVietnameseAndEnglish() {
        for key: PromptKey in [.phoneLength, .phonePrefix, .phoneNotDigits] {
            let vietnamese = PromptCatalog.texts[key]?[.vietnamese] ?? ""
            let english = PromptCatalog.texts[key]?[.english] ?? ""
            #expect(!vietnamese.isEmpty && !english.isEmpty && vietnamese != english, "\(key.rawValue)")
        }
    }
}
