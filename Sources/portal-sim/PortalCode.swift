/// The portal's own code for an application: 12 digits, so a citizen can type it on the kiosk's
/// numeric keypad. Eleven digits of sequence (starting at 1, so the code never begins with 0 and
/// never loses a digit in a spreadsheet) and a Luhn check digit, so one mistyped digit or two
/// swapped neighbours are caught before a look-up.
enum PortalCode {
    static let sequenceBase: Int64 = 10_000_000_000

    /// The code for the application with database sequence number `sequence` (1, 2, …).
    static func make(sequence: Int64) -> String {
        let body = String(sequenceBase + sequence)
        return body + String(luhnCheckDigit(for: body))
    }

    /// The digit that makes `digits` followed by it pass the Luhn check.
    static func luhnCheckDigit(for digits: String) -> Int {
        var sum = 0
        // From the right, every first digit (the check digit will shift it to second) is doubled.
        for (index, character) in digits.reversed().enumerated() {
            var value = character.wholeNumberValue ?? 0
            if index % 2 == 0 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return (10 - sum % 10) % 10
    }
}
