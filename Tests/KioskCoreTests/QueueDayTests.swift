import Foundation
import KioskCore
import Testing

/// Which numbering day an instant belongs to: the profile's day boundary in the kiosk's timezone.
@Suite struct QueueDayTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// 2026-12-04 at `hour:minute` Vietnam time (UTC+7, no daylight saving).
    static func vietnamTime(day: Int = 4, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnam
        return calendar.date(from: DateComponents(year: 2026, month: 12, day: day, hour: hour, minute: minute))!
    }

    @Test(arguments: [
        // (hour, minute, day starts at, expected numbering day)
        (0, 0, "00:00", "2026-12-04"),
        (23, 59, "00:00", "2026-12-04"),
        (3, 59, "04:00", "2026-12-03"),
        (4, 0, "04:00", "2026-12-04"),
        (0, 30, "04:00", "2026-12-03"),
        (12, 0, "04:00", "2026-12-04"),
        (5, 59, "06:00", "2026-12-03"),
    ])
    func dayFollowsTheProfileBoundaryInVietnamTime(hour: Int, minute: Int, boundary: String, expected: String) {
        let day = QueueDay.containing(Self.vietnamTime(hour, minute), timeZone: Self.vietnam, dayStartsAt: ClockTime(parsing: boundary)!)
        #expect(day.description == expected)
    }

    @Test func vietnamMidnightIsNotUTCMidnight() {
        // 18:30 UTC on 4 December is 01:30 on 5 December in Vietnam: a new day there with a 00:00 boundary.
        let instant = Date(timeIntervalSince1970: 1_796_409_000) // 2026-12-04T18:30:00Z
        #expect(QueueDay.containing(instant, timeZone: Self.vietnam, dayStartsAt: ClockTime(hour: 0, minute: 0)!).description == "2026-12-05")
        #expect(QueueDay.containing(instant, timeZone: TimeZone(identifier: "UTC")!, dayStartsAt: ClockTime(hour: 0, minute: 0)!)
            .description == "2026-12-04")
    }

    @Test func earlyMorningOnTheFirstOfTheMonthBelongsToTheLastDayOfTheMonthBefore() {
        let instant = Self.vietnamTime(day: 1, 2, 0)
        let day = QueueDay.containing(instant, timeZone: Self.vietnam, dayStartsAt: ClockTime(hour: 4, minute: 0)!)
        #expect(day.description == "2026-11-30")
    }

    @Test func ticketCodesArePaddedAndMarkThePriorityLine() {
        #expect(TicketNumber(prefix: "A", lane: .ordinary, sequence: 12).code == "A012")
        #expect(TicketNumber(prefix: "A", lane: .priority, sequence: 7).code == "AU007")
        #expect(TicketNumber(prefix: "BD", lane: .ordinary, sequence: 1000).code == "BD1000")
    }

    @Test func ticketNumbersAreSpokenLetterThenDigitsWithThePriorityLineNamed() {
        let vietnamese = SpeakableText(language: .vietnamese, dialect: .northern)
        #expect(vietnamese.ticket(TicketNumber(prefix: "A", lane: .ordinary, sequence: 12)) == "a, không một hai")
        #expect(vietnamese.ticket(TicketNumber(prefix: "A", lane: .priority, sequence: 7)) == "a, ưu tiên, không không bảy")
        let english = SpeakableText(language: .english, dialect: .northern)
        #expect(english.ticket(TicketNumber(prefix: "C", lane: .priority, sequence: 105)) == "see, priority, one zero five")
    }
}
