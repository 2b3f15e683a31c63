import Foundation

/// Which numbering day an instant belongs to. Queue numbers restart at the profile's
/// `queue.day_starts_at`, in the kiosk's timezone, not at midnight UTC: a van that issues numbers
/// until 00:30 keeps one day's numbering until then when the day starts at 04:00.
public enum QueueDay {
    /// The local date whose numbering is in force at `instant`: the date of `instant - dayStartsAt`
    /// in `timeZone`.
    public static func containing(_ instant: Date, timeZone: TimeZone, dayStartsAt: ClockTime) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let local = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard let year = local.year, let month = local.month, let day = local.day,
              let hour = local.hour, let minute = local.minute else {
            return LocalDate(year: 1970, month: 1, day: 1)
        }
        let today = LocalDate(year: year, month: month, day: day)
        if hour * 60 + minute >= dayStartsAt.minutesSinceMidnight { return today }
        // Before the day's start: still the previous numbering day. Noon avoids DST edges.
        guard let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)),
              let previous = calendar.date(byAdding: .day, value: -1, to: noon) else { return today }
        let parts = calendar.dateComponents([.year, .month, .day], from: previous)
        return LocalDate(year: parts.year ?? year, month: parts.month ?? month, day: parts.day ?? day)
    }
}

extension KioskProfile {
    /// The queue day `instant` falls in at this kiosk: its time zone, and the hour its numbering starts again.
    public func queueDay(containing instant: Date) -> LocalDate {
        QueueDay.containing(instant, timeZone: timeZone, dayStartsAt: queue.dayStartsAt)
    }
}
