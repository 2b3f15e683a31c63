import Foundation

/// The two lines of a service: the ordinary one and the priority one (elderly, disabled, pregnant…).
/// Each has its own consecutive numbering per day, so a priority citizen's number says which line
/// calls it.
public enum TicketLane: String, Sendable, Hashable, CaseIterable {
    case ordinary
    case priority

    /// The letter a priority number carries after the service prefix (`AU007`: "ưu tiên").
    public static let priorityMarker = "U"
}

/// A queue number as printed and called: the service prefix, `U` on the priority line, and at least
/// three digits (`A012`, `AU007`, `B1000`).
public struct TicketNumber: Sendable, Hashable, CustomStringConvertible {
    public var prefix: String
    public var lane: TicketLane
    public var sequence: Int

    public init(prefix: String, lane: TicketLane, sequence: Int) {
        self.prefix = prefix
        self.lane = lane
        self.sequence = sequence
    }

    /// The printed code: `A012`, `AU007`.
    public var code: String {
        let digits = String(sequence)
        let padded = String(repeating: "0", count: max(0, 3 - digits.count)) + digits
        return prefix + (lane == .priority ? TicketLane.priorityMarker : "") + padded
    }

    public var description: String { code }
}

/// A queue number that has been durably recorded: what the ticket shows and the citizen hears.
public struct IssuedTicket: Sendable, Hashable {
    /// The ledger's row id: which record a reprint or a void refers to.
    public var recordID: Int64
    public var kioskID: String
    /// The numbering day (see `QueueDay`), not necessarily the calendar date of `issuedAt`.
    public var day: LocalDate
    public var number: TicketNumber
    public var priorityClass: PriorityClass?
    public var issuedAt: Date
    /// Tickets issued earlier today that are called before this one: the same line, and for the
    /// ordinary line also the service's priority line. Nothing tells the kiosk which were already
    /// called, so this counts every earlier ticket the citizens heard.
    public var waitingAhead: Int
    /// The numbering round of the day: 1 unless a technician started the service's numbers again.
    public var round: Int

    public init(recordID: Int64, kioskID: String, day: LocalDate, number: TicketNumber, priorityClass: PriorityClass?,
                issuedAt: Date, waitingAhead: Int, round: Int = 1) {
        self.round = round
        self.recordID = recordID
        self.kioskID = kioskID
        self.day = day
        self.number = number
        self.priorityClass = priorityClass
        self.issuedAt = issuedAt
        self.waitingAhead = waitingAhead
    }

    /// What the ticket's QR code carries: enough for a counter's scanner to find this very ticket
    /// (kiosk, numbering day, number) and nothing personal. After a reset the day carries its round
    /// (`20261204.2`), since the same number is then given out once per round.
    public var identity: String {
        let day = day.description.replacingOccurrences(of: "-", with: "") + (round > 1 ? ".\(round)" : "")
        return "KIOSKTICKET:\(kioskID):\(day):\(number.code)"
    }
}
