import Foundation
import KioskCore

/// What a queue ticket says, laid out for the printer's width: the kiosk and its place, the service
/// in Vietnamese, the number in very large type, the priority line if any, how many are waiting
/// ahead, date and time, and a QR code of the ticket's identity. Vietnamese always (the counter
/// staff read it); a citizen who used English also gets the service and hints in English.
public enum TicketLayout {
    public static func layout(for ticket: IssuedTicket, profile: KioskProfile, language: Language,
                              dotsPerLine: Int) -> PrintLayout {
        // Sizes are set for an 80 mm head (576 dots) and scaled for a 58 mm one (384 dots).
        let scale = Double(dotsPerLine) / 576
        func dots(_ value: Int) -> Int { max(Int((Double(value) * scale).rounded()), 1) }
        let service = profile.queue.services.first { $0.prefix == ticket.number.prefix }
        let languages: [Language] = language == .vietnamese ? [.vietnamese] : [.vietnamese, language]
        func both(_ key: PromptKey, _ values: [String: String] = [:]) -> String {
            languages.map { PromptCatalog.text(key, in: $0, values) }.joined(separator: " / ")
        }

        var blocks: [PrintLayout.Block] = [
            .text(profile.identity.name.text(in: .vietnamese), size: dots(26), bold: true, alignment: .center),
            .text(profile.identity.location.text(in: .vietnamese), size: dots(22), bold: false, alignment: .center),
            .rule,
        ]
        if let service {
            blocks.append(.text(service.name.text(in: .vietnamese), size: dots(34), bold: true, alignment: .center))
            if language != .vietnamese {
                blocks.append(.text(service.name.text(in: language), size: dots(24), bold: false, alignment: .center))
            }
        }
        blocks += [
            .space(dots(8)),
            .text(both(.ticketQueueNumberLabel), size: dots(26), bold: false, alignment: .center),
            .text(ticket.number.code, size: dots(ticket.number.code.count > 4 ? 120 : 150), bold: true, alignment: .center),
        ]
        if let priority = ticket.priorityClass {
            let name = languages.map { PromptCatalog.text(.ticketPriority, in: $0, ["name": PromptCatalog.text(priority.prompt, in: $0)]) }
            blocks.append(.banner(name.joined(separator: " / "), size: dots(30)))
        }
        let (date, time) = localDateAndTime(ticket.issuedAt, timeZone: profile.timeZone)
        blocks += [
            .space(dots(8)),
            .text(both(.ticketPleaseWait, ["count": "\(ticket.waitingAhead)"]), size: dots(28), bold: true, alignment: .center),
            .text(both(.ticketIssuedAt, ["time": time, "date": date]), size: dots(24), bold: false, alignment: .center),
            .qrCode(ticket.identity, moduleSize: dots(5)),
            .text(both(.ticketPrintedOnTicket), size: dots(22), bold: false, alignment: .center),
            .text("\(profile.identity.id)", size: dots(18), bold: false, alignment: .center),
            .space(dots(16)),
        ]
        return PrintLayout(width: dotsPerLine, margin: dots(16), blocks: blocks)
    }

    /// "04/12/2026" and "16:05" in the kiosk's timezone (the Vietnamese day-first order).
    static func localDateAndTime(_ instant: Date, timeZone: TimeZone) -> (date: String, time: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return ("\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0)", "\(two(parts.hour)):\(two(parts.minute))")
    }
}
