import Foundation

/// Times on the wire: ISO 8601 in UTC with whole seconds (`2025-06-01T03:04:05Z`), as the contract's
/// `format: date-time` asks.
enum PortalTime {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// Whether `text` is an RFC 3339 date-time with an offset (`Z` or `±hh:mm`), fractions allowed.
    static func isDateTime(_ text: String) -> Bool {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if plain.date(from: text) != nil { return true }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text) != nil
    }
}
