import Foundation
import KioskCore
import Testing

@Suite struct OpeningHoursTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// A local Vietnam wall-clock instant.
    static func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnam
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static let eveningsAndWeekends = OpeningHours(
        periods: [
            .friday: [OpeningPeriod(open: ClockTime(hour: 17, minute: 30)!, close: ClockTime(hour: 21, minute: 0)!)],
            .saturday: [OpeningPeriod(open: ClockTime(hour: 7, minute: 30)!, close: ClockTime(hour: 11, minute: 30)!),
                        OpeningPeriod(open: ClockTime(hour: 13, minute: 30)!, close: ClockTime(hour: 21, minute: 0)!)],
        ],
        closedDates: [LocalDate(year: 2026, month: 11, day: 28)])

    @Test func openingIsJudgedInTheKiosksTimezoneNotUTC() {
        // Friday 2026-11-27 18:00 in Vietnam is 11:00 UTC: open in Vietnam, though 11:00 is not in any period.
        #expect(Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 11, 27, 18, 0), in: Self.vietnam))
        #expect(!Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 11, 27, 18, 0), in: TimeZone(identifier: "UTC")!))
    }

    @Test func closingMinuteIsClosedAndOpeningMinuteIsOpen() {
        #expect(Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 11, 27, 17, 30), in: Self.vietnam))
        #expect(!Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 11, 27, 21, 0), in: Self.vietnam))
        #expect(Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 11, 27, 20, 59), in: Self.vietnam))
    }

    @Test func closedDateOverridesTheWeekday() {
        // Saturday 2026-11-28 is listed as closed; Saturday 2026-12-05 is not.
        #expect(!Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 11, 28, 9, 0), in: Self.vietnam))
        #expect(Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 12, 5, 9, 0), in: Self.vietnam))
        #expect(!Self.eveningsAndWeekends.isOpen(at: Self.local(2026, 12, 5, 12, 0), in: Self.vietnam))
    }

    @Test func alwaysOpenCoversMidnight() {
        #expect(OpeningHours.always.isOpen(at: Self.local(2026, 11, 29, 0, 0), in: Self.vietnam))
        #expect(OpeningHours.always.isOpen(at: Self.local(2026, 11, 29, 23, 59), in: Self.vietnam))
    }

    @Test(arguments: [("07:30", 450), ("00:00", 0), ("24:00", 1440), ("23:59", 1439)])
    func clockTimesParse(text: String, minutes: Int) {
        #expect(ClockTime(parsing: text)?.minutesSinceMidnight == minutes)
        #expect(ClockTime(parsing: text)?.description == text)
    }

    @Test(arguments: ["24:01", "25:00", "7:30", "07:60", "07-30", "", "ab:cd"])
    func impossibleClockTimesAreRefused(text: String) {
        #expect(ClockTime(parsing: text) == nil)
    }

    @Test(arguments: ["2026-02-30", "2026-13-01", "2026-1-01", "2025-02-29", "26-01-01"])
    func impossibleDatesAreRefused(text: String) {
        #expect(LocalDate(parsing: text) == nil)
    }

    @Test func leapDayExists() {
        #expect(LocalDate(parsing: "2028-02-29") == LocalDate(year: 2028, month: 2, day: 29))
    }
}
