import Foundation
import KioskCore
import Testing

/// The queue-number path of the Session: choosing, hearing the number, a failed print, a reprint,
/// and the ticket printer coming and going while a citizen is at the menu.
@Suite struct TicketSessionTests {
    typealias Driver = SessionTests.Driver

    static func ticket(_ sequence: Int, priority: PriorityClass? = nil, waitingAhead: Int = 3) -> IssuedTicket {
        IssuedTicket(recordID: 42, kioskID: "t-01", day: LocalDate(year: 2026, month: 12, day: 4),
                     number: TicketNumber(prefix: "A", lane: priority == nil ? .ordinary : .priority, sequence: sequence),
                     priorityClass: priority, issuedAt: Date(timeIntervalSince1970: 1_796_400_000), waitingAhead: waitingAhead)
    }

    @Test func choosingAServiceAndLineAsksForThatTicket() {
        var driver = Driver()
        driver.press(.digit1, .digit1, .digit1)   // welcome → menu, take a ticket, service A
        #expect(driver.screen == .choosePriority(servicePrefix: "A"))
        driver.press(.digit2)                      // elderly
        #expect(driver.screen == .printingTicket)
        #expect(driver.effects.contains(.issueTicket(servicePrefix: "A", priority: .elderly)))
        #expect(driver.spoken?.text == "Đang in số thứ tự, xin chờ trong giây lát.")
    }

    @Test func thePrintedNumberIsShownAsPrintedAndSpokenLetterByLetter() {
        var driver = Driver()
        driver.press(.digit1, .digit1, .digit1, .digit2)
        driver.send(.ticketIssued(Self.ticket(12, priority: .elderly), .printed))
        let shown = driver.shown
        #expect(shown?.title == "Số thứ tự của quý khách là AU012")
        #expect(shown?.lines.contains("Ưu tiên: Người cao tuổi") == true)
        #expect(shown?.lines.contains("Có 3 người chờ trước quý khách") == true)
        #expect(shown?.choices.isEmpty == true, "nothing to reprint")
        let spoken = driver.spoken?.text ?? ""
        #expect(spoken.hasPrefix("Số thứ tự của quý khách là a, ưu tiên, không một hai."))
        #expect(spoken.contains("Có ba người chờ trước quý khách."))
        #expect(spoken.contains("Xin nhận vé ở khe in phía dưới"))
        #expect(spoken.allSatisfy { !$0.isNumber }, "digits reached eSpeak: \(spoken)")
        // Star says it all again.
        driver.press(.repeat)
        #expect(driver.spoken?.text == spoken)
    }

    @Test func aTicketThatDidNotPrintIsStillTheCitizensAndCanBeReprinted() {
        var driver = Driver()
        driver.press(.digit1, .digit1, .digit1, .digit1)
        let ticket = Self.ticket(7, waitingAhead: 0)
        driver.send(.ticketIssued(ticket, .notPrinted(.paperOut)))
        #expect(driver.shown?.title == "Số thứ tự của quý khách là A007")
        #expect(driver.shown?.lines.contains("Máy in vé đã hết giấy nên không in được vé.") == true)
        #expect(driver.shown?.lines.contains("Không có ai chờ trước quý khách") == true)
        #expect(driver.shown?.choices == [ScreenContent.Choice(key: "1", label: "In lại vé")])
        #expect(driver.spoken?.text.contains("Xin ghi nhớ số") == true)
        driver.press(.digit1)
        #expect(driver.effects.contains(.reprintTicket(ticket)))
        #expect(driver.screen == .printingTicket)
        driver.send(.ticketIssued(ticket, .printed))
        #expect(driver.shown?.title == "Số thứ tự của quý khách là A007")
        // Once printed, 1 reprints nothing.
        driver.press(.digit1)
        #expect(!driver.effects.contains { if case .reprintTicket = $0 { true } else { false } })
    }

    @Test func hashEndsTheSessionAndTheNextCitizenStartsAfresh() {
        var driver = Driver()
        driver.press(.volumeUp, .digit1, .digit1, .digit1, .digit1)
        driver.send(.ticketIssued(Self.ticket(1), .printed))
        driver.press(.confirm)
        #expect(driver.screen == .welcome)
        #expect(driver.effects.contains(.wipePersonalData))
        #expect(driver.effects.contains(.setVolume(70)))
    }

    @Test func anOutcomeArrivingAfterTheCitizenLeftIsNotShown() {
        var driver = Driver()
        driver.press(.digit1, .digit1, .digit1, .digit1)
        driver.send(.inactivityTimeout)
        driver.send(.inactivityTimeout)
        #expect(driver.screen == .welcome)
        driver.send(.ticketIssued(Self.ticket(2), .printed))
        #expect(driver.effects.isEmpty)
        #expect(driver.screen == .welcome)
    }

    @Test func aCitizenChoosingAServiceIsToldAtOnceWhenThePrinterFails() {
        var driver = Driver()
        driver.press(.digit1, .digit1)
        #expect(driver.screen == .chooseService)
        driver.context.devices = [TestProfiles.device(.scanner, .online), TestProfiles.device(.receiptPrinter, .online, paper: .full),
                                  TestProfiles.device(.ticketPrinter, .offline, paper: .out), TestProfiles.device(.speech, .online)]
        driver.send(.devicesChanged)
        #expect(driver.effects.first == .stopSpeaking)
        #expect(driver.screen == .notice(.ticketsUnavailable, returnTo: .mainMenu))
        #expect(driver.spoken?.text.contains("Máy in vé tạm thời không dùng được") == true)
        driver.press(.confirm)
        #expect(driver.screen == .mainMenu)
        #expect(driver.shown?.choices.map(\.label) == ["Nộp hồ sơ", "Tra cứu hồ sơ", "Trợ giúp"])
    }

    @Test func theMenuIsReadAgainWhenTicketsComeBackAndNotOtherwise() {
        let broken = [TestProfiles.device(.scanner, .online), TestProfiles.device(.receiptPrinter, .online, paper: .full),
                      TestProfiles.device(.ticketPrinter, .noDevice), TestProfiles.device(.speech, .online)]
        var driver = Driver(devices: broken)
        driver.press(.digit1)
        #expect(driver.shown?.choices.first?.label == "Nộp hồ sơ")
        driver.send(.devicesChanged)
        #expect(driver.effects.isEmpty, "nothing changed for the citizen: nothing is said")
        driver.context.devices = TestProfiles.allWorking
        driver.send(.devicesChanged)
        #expect(driver.shown?.choices.first?.label == "Lấy số thứ tự")
        #expect(driver.spoken?.text.contains("Nhấn một: Lấy số thứ tự.") == true)
    }

    @Test func aDiskThatCannotRecordNumbersIsExplained() {
        var driver = Driver()
        driver.press(.digit1, .digit1, .digit2)   // service C has no priority line: straight to printing
        #expect(driver.effects.contains(.issueTicket(servicePrefix: "C", priority: nil)))
        driver.send(.functionFailed(.takeTicket, .storageFault))
        #expect(driver.spoken?.text.contains("ki-ốt tạm thời không cấp được số thứ tự") == true)
    }
}
