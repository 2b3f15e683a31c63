import KioskCore
import Testing

@Suite struct ApplicationCodeTests {
    @Test func aCodeIsKioskNumberDateSequenceAndALuhnDigit() throws {
        let code = try #require(ApplicationCode(kioskNumber: "00417", day: LocalDate(year: 2026, month: 12, day: 4), sequence: 7))
        #expect(code.digits.hasPrefix("004172612040007"))
        #expect(code.digits.count == 16)
        #expect(code.grouped == "00417 261204 0007 " + String(code.digits.last!))
        // Luhn over 004172612040007: the check digit makes the weighted sum a multiple of ten.
        let weighted = code.digits.reversed().enumerated().map { offset, character -> Int in
            let value = Int(String(character))!
            guard offset % 2 == 1 else { return value }
            return value * 2 > 9 ? value * 2 - 9 : value * 2
        }.reduce(0, +)
        #expect(weighted % 10 == 0)
    }

    @Test func everySingleMistypedDigitAndNeighbourSwapIsCaught() throws {
        let code = try #require(ApplicationCode(kioskNumber: "92104", day: LocalDate(year: 2027, month: 1, day: 31), sequence: 9_999)).digits
        #expect(throws: Never.self) { try ApplicationCode.parse(code).get() }
        let digits = Array(code)
        for index in digits.indices {
            for replacement in "0123456789" where replacement != digits[index] {
                var typed = digits
                typed[index] = replacement
                #expect(ApplicationCode.parse(String(typed)) == .failure(.checkDigitMismatch))
            }
            if index + 1 < digits.count, digits[index] != digits[index + 1],
               !(Set([digits[index], digits[index + 1]]) == Set(["0", "9"])) {
                var swapped = digits
                swapped.swapAt(index, index + 1)
                #expect(ApplicationCode.parse(String(swapped)) == .failure(.checkDigitMismatch), "swap at \(index)")
            }
        }
    }

    @Test func typedCodesAreReadWithTheirSpacesAndRefusedWhenNotACode() throws {
        let code = ApplicationCode(kioskNumber: "00001", day: LocalDate(year: 2026, month: 12, day: 4), sequence: 1)!
        #expect(try ApplicationCode.parse(code.grouped).get() == code)
        #expect(ApplicationCode.parse("12345") == .failure(.wrongLength(5)))
        #expect(ApplicationCode.parse("00001 26120A 0001 1") == .failure(.notDigits))
        #expect(ApplicationCode(kioskNumber: "0001", day: LocalDate(year: 2026, month: 12, day: 4), sequence: 1) == nil)
        #expect(ApplicationCode(kioskNumber: "00001", day: LocalDate(year: 2026, month: 12, day: 4), sequence: 10_000) == nil)
    }
}
