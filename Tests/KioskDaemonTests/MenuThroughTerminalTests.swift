import Foundation
import KioskCore
import KioskHarness
import Testing

/// A citizen at the demo kiosk: kioskd in a real terminal (tmux), keys typed, the screen read back.
@Suite struct MenuThroughTerminalTests {
    @Test func queueTicketPathInVietnamese() throws {
        let kiosk = try DemoKiosk(purpose: "menu-ticket")
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        try terminal.waitFor("Nhấn phím bất kỳ để bắt đầu.")
        try terminal.type("5")
        let menu = try terminal.waitFor("Quý khách cần làm gì?")
        for choice in ["1   Lấy số thứ tự", "2   Nộp hồ sơ", "3   Tra cứu hồ sơ", "4   Trợ giúp"] {
            #expect(menu.contains(choice), "menu lacks \(choice):\n\(menu)")
        }
        try terminal.type("1")
        let services = try terminal.waitFor("Chọn lĩnh vực cần lấy số thứ tự")
        #expect(services.contains("A · Hộ tịch") && services.contains("D · Lao động - Thương binh và Xã hội"))
        try terminal.type("1")
        let priority = try terminal.waitFor("Quý khách có thuộc đối tượng ưu tiên không?")
        #expect(priority.contains("Người cao tuổi") && priority.contains("Phụ nữ mang thai"))
        try terminal.type("2")
        // The number is committed, printed on the kiosk's USB ticket printer, shown and spoken.
        let result = try terminal.waitFor("Số thứ tự của quý khách là AU001")
        #expect(result.contains("Ưu tiên: Người cao tuổi") && result.contains("Không có ai chờ trước quý khách"))
        // Logged once played in real time: the whole result takes some fifteen seconds to say.
        let spoken = kiosk.waitForSpoken(timeout: .seconds(45)) { $0.text.hasPrefix("Số thứ tự của quý khách là a, ưu tiên, không không một.") }
        #expect(spoken != nil, "the number was not spoken: \(kiosk.spokenUtterances().map(\.text))")
        let printed = kiosk.ticketPrinter.waitForTickets(1)
        let day = QueueDay.containing(Date(), timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, dayStartsAt: ClockTime(hour: 0, minute: 0)!)
        #expect(try Zbar.decode(printed.map(\.image.path))
            == ["KIOSKTICKET:demo-01:\(day.description.replacingOccurrences(of: "-", with: "")):AU001"])
        try terminal.type("#")
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type("1")
        try terminal.waitFor("Quý khách cần làm gì?")
        try terminal.type("9")
        try terminal.waitFor("Không có lựa chọn 9.")
    }

    @Test func applicationPathInEnglishMasksPersonalDigits() throws {
        let kiosk = try DemoKiosk(purpose: "menu-application")
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type("l")
        try terminal.waitFor("What would you like to do?")
        try terminal.type("2")
        let procedures = try terminal.waitFor("Choose the procedure to apply for")
        #expect(procedures.contains("1   Birth registration") && procedures.contains("2   Marriage registration"))
        try terminal.type("1")
        // The identity step: 2 types the number (the card path has its own tests).
        try terminal.waitFor("Tell the kiosk your personal identification number")
        try terminal.type("2")
        try terminal.waitFor("Type your twelve-digit personal identification number")
        try terminal.type("0011990")
        var screen = try terminal.waitFor("•••• •••")
        #expect(!screen.contains("0011990"), "the citizen ID is shown:\n\(screen)")
        try terminal.type("#")
        try terminal.waitFor("The personal identification number has twelve digits; you typed 7.")
        try terminal.type("12345")
        try terminal.press("Enter")
        try terminal.waitFor("Type your mobile phone number, then press hash.")
        try terminal.type("0912345678#")
        // How the result is received: at the counter.
        try terminal.waitFor("Where would you like to receive the result?")
        try terminal.type("1")
        // The documents: one page from SANE's test backend, through libsane.
        try terminal.waitFor("Place the first page face down on the scanner glass, then press hash.")
        try terminal.type("#")
        try terminal.waitFor("Pages scanned: 1", timeout: .seconds(30))
        #expect(kiosk.terminalLog.contains("pages scanned") && kiosk.terminalLog.contains("pages=1"))
        try terminal.type("0")
        screen = try terminal.waitFor("Check before sending")
        #expect(screen.contains("Pages scanned: 1"))
        #expect(screen.contains("Procedure: Birth registration"))
        #expect(screen.contains("Personal identification number: •••• •••• ••••"))
        #expect(screen.contains("Phone number: •••• ••• •••"))
        #expect(!screen.contains("001199012345") && !screen.contains("0912345678"))
        try terminal.type("#")
        try terminal.waitFor("Sorry, this service is not available at this kiosk right now.")
        // Personal digits never reach the log; the page is wiped with the session.
        #expect(!kiosk.terminalLog.contains("001199012345") && !kiosk.terminalLog.contains("0912345678"))
        try terminal.type("#")
        try terminal.waitFor("What would you like to do?")
        try terminal.type("b")
        try terminal.waitFor("Xin chào quý khách", timeout: .seconds(10))
        #expect(kiosk.terminalLog.contains("session ended, entered data wiped pages_wiped=1"), "\(kiosk.terminalLog)")
        for utterance in kiosk.spokenUtterances() {
            #expect(!utterance.text.contains("một một chín chín"), "digits read aloud: \(utterance.text)")
        }
    }

    @Test func lookUpCodeSurvivesAVisitToHelp() throws {
        let kiosk = try DemoKiosk(purpose: "menu-lookup")
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type("#3")
        try terminal.waitFor("Nhập mã hồ sơ in trên giấy biên nhận")
        try terminal.type("2611")
        try terminal.waitFor("2611")
        try terminal.type("h")
        let help = try terminal.waitFor("Trợ giúp")
        #expect(help.contains("Nhập các chữ số bằng bàn phím") && help.contains("7   Nói chậm hơn"))
        try terminal.type("#")
        let back = try terminal.waitFor("Nhập mã hồ sơ in trên giấy biên nhận")
        #expect(back.contains("2611"))
        try terminal.press("BSpace")
        try terminal.waitForLine("261")
    }

    @Test func inactivityAsksForMoreTimeThenWipesTheDigitsTyped() throws {
        let kiosk = try DemoKiosk(purpose: "menu-inactivity") {
            $0.replacingOccurrences(of: "inactivity_timeout_seconds: 60", with: "inactivity_timeout_seconds: 15")
                .replacingOccurrences(of: "more_time_answer_seconds: 30", with: "more_time_answer_seconds: 10")
        }
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type("l2")
        try terminal.waitFor("Choose the procedure to apply for")
        try terminal.type("1")
        try terminal.waitFor("Tell the kiosk your personal identification number")
        try terminal.type("2")
        try terminal.waitFor("Type your twelve-digit")
        try terminal.type("00119")
        try terminal.waitFor("•••• •")
        try terminal.type("+")
        try terminal.waitFor("Do you need more time?", timeout: .seconds(25))
        let ended = try terminal.waitFor("Xin chào quý khách", timeout: .seconds(20))
        #expect(!ended.contains("•"))
        #expect(kiosk.waitForSpoken { $0.text == "The session has ended. What you typed has been erased." } != nil)
        // The next citizen starts afresh: Vietnamese, nothing typed.
        try terminal.type("#2")
        try terminal.waitFor("Chọn thủ tục cần nộp hồ sơ")
        try terminal.type("1")
        try terminal.waitFor("Cho ki-ốt biết số định danh cá nhân của quý khách")
        try terminal.type("2")
        let fresh = try terminal.waitFor("Nhập số định danh cá nhân gồm mười hai chữ số")
        #expect(!fresh.contains("•"))
        #expect(kiosk.terminalLog.contains("session ended, entered data wiped"))
    }

    /// Every path of the menu, walked in Vietnamese and in English: each screen must come up in the
    /// chosen language, its title as the prompts catalog has it.
    @Test(arguments: [Language.vietnamese, .english])
    func everyMenuPathInEachLanguage(_ language: Language) throws {
        func title(_ key: PromptKey) -> String { PromptCatalog.text(key, in: language) }
        let kiosk = try DemoKiosk(purpose: "menu-\(language.rawValue)")
        let terminal = try kiosk.startInTerminal(columns: 120)
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type(language == .english ? "l" : "#")
        try terminal.waitFor(title(.menuTitle))
        // Tickets: service, priority, and back out.
        try terminal.type("1")
        try terminal.waitFor(title(.serviceChoiceTitle))
        try terminal.type("1")
        try terminal.waitFor(title(.priorityTitle))
        try terminal.waitFor(title(.priorityPregnant))
        try terminal.type("bb")
        try terminal.waitFor(title(.menuTitle))
        // Applications: procedure, ID, phone, documents, confirmation, and back out.
        try terminal.type("21")
        try terminal.waitFor(title(.identityTitle))
        try terminal.type("2")
        try terminal.waitFor(title(.citizenIDTitle))
        try terminal.type("001199012345#")
        try terminal.waitFor(title(.phoneTitle))
        try terminal.type("0987654321#")
        try terminal.waitFor(title(.deliveryTitle))
        try terminal.type("1")
        try terminal.waitFor(title(.scanPlaceFirstPage))
        try terminal.type("h")
        try terminal.waitFor(String(title(.helpScan).prefix(40)))   // the screen wraps the rest
        try terminal.type("##")
        try terminal.waitFor(PromptCatalog.text(.scanPagesDone, in: language, ["count": "1"]), timeout: .seconds(30))
        try terminal.type("0")
        try terminal.waitFor(title(.confirmTitle))
        try terminal.type("h")
        try terminal.waitFor(title(.helpConfirm))
        try terminal.type("#")
        try terminal.waitFor(title(.confirmHints))
        try terminal.type("#")
        try terminal.waitFor(title(.serviceUnavailable))
        try terminal.type("#")
        try terminal.waitFor(title(.menuTitle))
        // Look-up, then help from the menu.
        try terminal.type("3")
        try terminal.waitFor(title(.lookUpTitle))
        try terminal.type("42#")
        // No portal stand-in runs for this kiosk: the citizen is told it cannot be checked now.
        try terminal.waitFor(String(title(.lookUpCannotCheck).prefix(30)))
        try terminal.type("b4")
        let help = try terminal.waitFor(title(.helpMenu))
        #expect(help.contains(title(.rateSlower)) && help.contains(title(.rateFaster)))
        // Everything said was said in the chosen language (the welcome excepted).
        let spoken = kiosk.spokenUtterances().dropFirst()
        #expect(!spoken.isEmpty)
        #expect(spoken.allSatisfy { $0.language == language.rawValue }, "\(spoken.map(\.language))")
    }
}
