/// A wall-clock time of day in the kiosk's timezone, to the minute ("07:30").
public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes since local midnight, 0...1440 (1440 is "24:00", the end of a day).
    public let minutesSinceMidnight: Int

    public init?(hour: Int, minute: Int) {
        guard (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60 else {
            return nil
        }
        minutesSinceMidnight = hour * 60 + minute
    }

    /// Parses "HH:MM"; "24:00" is accepted as the end of a day.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var hour: Int { minutesSinceMidnight / 60 }
    public var minute: Int { minutesSinceMidnight % 60 }

    public var description: String {
        let hh = hour < 10 ? "0\(hour)" : "\(hour)"
        let mm = minute < 10 ? "0\(minute)" : "\(minute)"
        return "\(hh):\(mm)"
    }

    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }
}
