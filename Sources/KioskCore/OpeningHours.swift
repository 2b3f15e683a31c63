import Foundation

/// A day of the week, named as profiles write it.
public enum Weekday: String, Sendable, CaseIterable, Hashable {
    case monday = "mon", tuesday = "tue", wednesday = "wed", thursday = "thu"
    case friday = "fri", saturday = "sat", sunday = "sun"

    /// Foundation's Gregorian weekday number (1 = Sunday … 7 = Saturday).
    public var gregorianWeekday: Int {
        switch self {
        case .sunday: 1
        case .monday: 2
        case .tuesday: 3
        case .wednesday: 4
        case .thursday: 5
        case .friday: 6
        case .saturday: 7
        }
    }
}

/// One period during which the kiosk serves citizens; `close` is after `open` on the same day.
public struct OpeningPeriod: Sendable, Hashable {
    public let open: ClockTime
    public let close: ClockTime

    public init(open: ClockTime, close: ClockTime) {
        self.open = open
        self.close = close
    }

    public func contains(_ time: ClockTime) -> Bool {
        open <= time && time < close
    }

    public func overlaps(_ other: OpeningPeriod) -> Bool {
        open < other.close && other.open < close
    }
}

/// When the kiosk is open, in its own timezone. Days without periods are closed days.
public struct OpeningHours: Sendable, Hashable {
    public var periods: [Weekday: [OpeningPeriod]]
    /// Whole days closed whatever the weekday says (public holidays), as local calendar dates.
    public var closedDates: Set<LocalDate>

    public init(periods: [Weekday: [OpeningPeriod]], closedDates: Set<LocalDate> = []) {
        self.periods = periods
        self.closedDates = closedDates
    }

    /// Always open: what a profile without `hours` means (a kiosk in a 24-hour supermarket).
    public static let always = OpeningHours(
        periods: Dictionary(uniqueKeysWithValues: Weekday.allCases.map {
            ($0, [OpeningPeriod(open: ClockTime(hour: 0, minute: 0)!, close: ClockTime(hour: 24, minute: 0)!)])
        }))

    /// Whether the kiosk is open at `instant`, judged in `timeZone`.
    public func isOpen(at instant: Date, in timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: instant)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let weekdayNumber = parts.weekday, let hour = parts.hour, let minute = parts.minute,
              let weekday = Weekday.allCases.first(where: { $0.gregorianWeekday == weekdayNumber }),
              let time = ClockTime(hour: hour, minute: minute) else { return false }
        if closedDates.contains(LocalDate(year: year, month: month, day: day)) { return false }
        return (periods[weekday] ?? []).contains { $0.contains(time) }
    }
}

/// A calendar date without a time or zone ("2026-09-02").
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "YYYY-MM-DD" and refuses dates that do not exist (2026-02-30).
    /// The calendar date at `instant` in `timeZone`.
    public static func containing(_ instant: Date, timeZone: TimeZone) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let days = calendar.range(of: .day, in: .month, for: first), days.contains(day) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
