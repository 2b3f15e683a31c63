import Foundation
import KioskCore
import Testing

/// The citizen's conversation, driven key by key through the pure Session, reading its effects.
@Suite struct SessionTests {
    /// A session on a test kiosk with every device working, and what it did last.
    struct Driver {
        var session: Session
        var context: SessionContext
        var effects: [SessionEffect] = []
        var allEffects: [SessionEffect] = []

        init(profile: KioskProfile = TestProfiles.kiosk(), devices: [DeviceStatus] = TestProfiles.allWorking,
             now: Date = Date(timeIntervalSince1970: 1_795_395_600)) {
            context = SessionContext(profile: profile, devices: devices, now: now)
            session = Session(profile: profile)
            effects = session.start(context: context)
            allEffects = effects
        }

        mutating func press(_ keys: KeypadAction...) {
            for key in keys { send(.key(key)) }
        }

        mutating func type(_ digits: String) {
            for character in digits { press(KeypadAction(rawValue: String(character))!) }
        }

        mutating func send(_ event: SessionEvent) {
            effects = session.handle(event, context: context)
            allEffects += effects
        }

        var shown: ScreenContent? {
            effects.compactMap { if case let .show(screen) = $0 { screen } else { nil } }.last
        }

        var spoken: Utterance? {
            effects.compactMap { if case let .speak(utterance) = $0 { utterance } else { nil } }.last
        }

        var screen: SessionScreen { session.state.screen }
    }

    @Test func welcomeIsShownAndSpokenAtStart() {
        let driver = Driver()
        #expect(driver.screen == .welcome)
        #expect(driver.shown?.title == "Ki-ốt thử")
        #expect(driver.spoken?.text.contains("Xin chào quý khách") == true)
        #expect(driver.spoken?.text.contains("Nhấn phím bất kỳ để bắt đầu") == true)
        #expect(driver.effects.contains(.setVolume(70)))
    }

    @Test func everyKeyStopsSpeechBeforeAnythingElse() {
        var driver = Driver()
        for key in [KeypadAction.digit1, .repeat, .volumeUp, .language, .help, .back, .confirm, .digit9] {
            driver.press(key)
            #expect(driver.effects.first == .stopSpeaking, "key \(key)")
        }
    }

    @Test func anyKeyOpensTheMenuWhichSpeaksEveryChoice() {
        var driver = Driver()
        driver.press(.digit5)
        #expect(driver.screen == .mainMenu)
        let menu = try! #require(driver.shown)
        #expect(menu.choices.map(\.label) == ["Lấy số thứ tự", "Nộp hồ sơ", "Tra cứu hồ sơ", "Trợ giúp"])
        let spoken = driver.spoken?.text ?? ""
        #expect(spoken.contains("Quý khách cần làm gì?"))
        #expect(spoken.contains("Nhấn một: Lấy số thứ tự."))
        #expect(spoken.contains("Nhấn bốn: Trợ giúp."))
    }

    @Test func languageKeyChangesScreenAndSpeechTogether() {
        var driver = Driver()
        driver.press(.language)
        #expect(driver.screen == .mainMenu)
        #expect(driver.shown?.language == .english)
        #expect(driver.shown?.title == "What would you like to do?")
        #expect(driver.spoken?.language == .english)
        #expect(driver.spoken?.text.contains("Press one: Take a queue number.") == true)
        driver.press(.language)
        #expect(driver.shown?.title == "Quý khách cần làm gì?")
        #expect(driver.spoken?.language == .vietnamese)
    }

    @Test func menuOffersNoTicketsWithoutATicketPrinter() {
        var driver = Driver(devices: TestProfiles.allWorking.filter { $0.kind != .ticketPrinter })
        driver.press(.confirm)
        #expect(driver.shown?.choices.map(\.label) == ["Nộp hồ sơ", "Tra cứu hồ sơ", "Trợ giúp"])
        driver.press(.digit1)
        #expect(driver.screen == .chooseProcedure, "choice 1 is now the application")
    }

    @Test func outsideOpeningHoursTheMenuSaysSoAndWhatStillWorks() {
        var driver = Driver(profile: TestProfiles.kiosk(hours: OpeningHours(periods: [:])))
        driver.press(.confirm)
        #expect(driver.shown?.lines.first == "Ngoài giờ làm việc. Các dịch vụ dưới đây vẫn dùng được.")
        #expect(driver.shown?.choices.map(\.label) == ["Nộp hồ sơ", "Tra cứu hồ sơ", "Trợ giúp"])
        #expect(driver.spoken?.text.contains("Ngoài giờ làm việc") == true)
    }

    @Test func invalidChoiceIsIdentifiedAndDescribed() {
        var driver = Driver()
        driver.press(.confirm, .digit8)
        #expect(driver.screen == .mainMenu)
        #expect(driver.shown?.error == "Không có lựa chọn 8.")
        #expect(driver.spoken?.text == "Không có lựa chọn tám.")
    }

    @Test func repeatKeySaysTheLastPromptAgain() {
        var driver = Driver()
        driver.press(.confirm)
        let menuPrompt = driver.spoken
        driver.press(.volumeUp)
        #expect(driver.spoken?.text == "Âm lượng tám mươi.")
        driver.press(.repeat)
        #expect(driver.spoken == menuPrompt)
    }

    @Test func volumeStepsWithinBoundsAndResetsWhenTheSessionEnds() {
        var driver = Driver()
        driver.press(.confirm)
        for _ in 0..<5 { driver.press(.volumeUp) }
        #expect(driver.session.state.volume == 100)
        #expect(driver.effects.contains(.setVolume(100)))
        for _ in 0..<12 { driver.press(.volumeDown) }
        #expect(driver.session.state.volume == 10, "never silent: a blind citizen would lose the menu")
        driver.press(.back)  // from the main menu: ends the session
        #expect(driver.screen == .welcome)
        #expect(driver.effects.contains(.setVolume(70)))
        #expect(driver.session.state.volume == 70)
    }

    @Test func speechRateIsAdjustedInHelpAndResetAtTheEnd() {
        var driver = Driver()
        driver.press(.confirm, .help)
        #expect(driver.screen == .help(returnTo: .mainMenu))
        driver.press(.digit7, .digit7)
        #expect(driver.effects.contains(.setRate(wordsPerMinute: 100)))
        driver.press(.digit9)
        #expect(driver.session.state.rateWordsPerMinute == 125)
        driver.press(.confirm)
        #expect(driver.screen == .mainMenu)
        driver.press(.back)
        #expect(driver.effects.contains(.setRate(wordsPerMinute: 150)))
    }

    @Test func helpExplainsTheCurrentScreen() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1, .help)
        #expect(driver.screen == .help(returnTo: .enterCitizenID))
        let lines = driver.shown?.lines ?? []
        #expect(lines.contains("Nhập các chữ số bằng bàn phím, rồi nhấn phím thăng. Phím quay lại xóa chữ số cuối."))
        #expect(lines.contains { $0.hasPrefix("Để giữ bí mật") })
        driver.press(.back)
        #expect(driver.screen == .enterCitizenID)
    }

    @Test func citizenIDIsMaskedOnScreenAndOnlyCountedAloudOnTheOpenSpeaker() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        #expect(driver.screen == .enterCitizenID)
        driver.type("00119")
        #expect(driver.shown?.input == "•••• •")
        #expect(driver.spoken?.text == "đã nhập năm chữ số")
        for effect in driver.allEffects {
            if case let .speak(utterance) = effect { #expect(!utterance.text.contains("chín"), "a digit was read aloud") }
            if case let .show(screen) = effect { #expect(!(screen.input ?? "").contains("1")) }
        }
    }

    @Test func onHeadphonesTheDigitsAreReadBack() {
        var driver = Driver(profile: TestProfiles.kiosk(privateListening: true))
        driver.press(.confirm, .digit2, .digit1)
        driver.type("07")
        #expect(driver.spoken?.text == "bảy")
        #expect(driver.shown?.input == "••")
    }

    @Test func wrongLengthCitizenIDIsRefusedWithTheCount() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        driver.type("001199")
        driver.press(.confirm)
        #expect(driver.screen == .enterCitizenID)
        #expect(driver.shown?.error == "Số định danh cá nhân phải có mười hai chữ số; quý khách đã nhập 6.")
        #expect(driver.spoken?.text == "Số định danh cá nhân phải có mười hai chữ số; quý khách đã nhập sáu.")
        // The help key and back: the error is gone, the digits typed are kept.
        driver.press(.help, .confirm)
        #expect(driver.shown?.error == nil)
        #expect(driver.session.state.entry == "001199")
        // In English the screen is read afresh, without the Vietnamese error.
        driver.type("1")
        driver.press(.confirm, .language)
        #expect(driver.shown?.error == nil)
        #expect(driver.spoken?.text.hasPrefix("Type your twelve-digit personal identification number") == true)
    }

    @Test(arguments: [
        // 999 is no province's code.
        ("999199012345", "Ba chữ số đầu của số định danh cá nhân là mã tỉnh"),
        // Century-and-gender digit 3 (a woman born 2000–2099) with year 45: born in 2045.
        ("001345012345", "Chữ số thứ tư đến thứ sáu của số định danh cá nhân cho biết năm sinh"),
    ])
    func aTypedCitizenIDIsCheckedLikeACardsAndTheReasonIsSaid(typed: String, reason: String) {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        driver.type(typed)
        driver.press(.confirm)
        #expect(driver.screen == .enterCitizenID, "a wrong number does not reach the application")
        #expect(driver.shown?.error?.hasPrefix(reason) == true, "\(driver.shown?.error ?? "no error shown")")
        #expect(driver.spoken?.text == driver.shown?.error)
        #expect(driver.session.state.draft?.citizenID == "")
        // Corrected (the last digits deleted and the right number typed): accepted.
        for _ in 0..<12 { driver.press(.back) }
        driver.type("001199012345")
        driver.press(.confirm)
        #expect(driver.screen == .enterPhone)
        #expect(driver.session.state.draft?.citizenID == "001199012345")
    }

    @Test func backDeletesTheLastDigitThenLeaves() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        driver.type("12")
        driver.press(.back)
        #expect(driver.session.state.entry == "1")
        #expect(driver.spoken?.text == "Đã xóa một chữ số.")
        driver.press(.back, .back)
        #expect(driver.screen == .chooseProcedure)
        #expect(driver.session.state.draft == nil)
    }

    @Test func phoneNumberWithALandlinePrefixIsRefused() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        driver.type("001199012345")
        driver.press(.confirm)
        #expect(driver.screen == .enterPhone)
        driver.type("0243825123")
        driver.press(.confirm)
        #expect(driver.screen == .enterPhone)
        #expect(driver.shown?.error?.hasPrefix("Đầu số này không phải số di động Việt Nam.") == true)
    }

    @Test func applicationPathEndsInASubmitEffectWithWhatWasTyped() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        driver.type("001199012345")
        driver.press(.confirm)
        driver.type("0912345678")
        driver.press(.confirm)
        #expect(driver.screen == .scanDocuments)
        driver.press(.confirm)
        driver.send(.pagesScanned(total: 2))
        driver.press(.digit0)
        #expect(driver.screen == .confirmApplication)
        #expect(driver.shown?.lines == ["Thủ tục: Đăng ký khai sinh", "Số định danh cá nhân: •••• •••• ••••",
                                        "Số điện thoại: •••• ••• •••", "Giấy tờ đã quét: 2 trang"])
        #expect(driver.spoken?.text.contains("Số định danh cá nhân: đã nhập mười hai chữ số.") == true)
        #expect(driver.spoken?.text.contains("Giấy tờ đã quét: hai trang.") == true)
        driver.press(.confirm)
        #expect(driver.screen == .sendingApplication)
        var draft = ApplicationDraft(procedureCode: "1.001193", citizenID: "001199012345", phone: "0912345678")
        draft.scannedPages = 2
        #expect(driver.effects.contains(.submitApplication(draft)))
    }

    @Test func ticketPathAsksForPriorityWhenTheServiceHasIt() {
        var driver = Driver()
        driver.press(.confirm, .digit1)
        #expect(driver.screen == .chooseService)
        #expect(driver.shown?.choices.map(\.label) == ["A · Hộ tịch", "C · Đăng ký kinh doanh"])
        #expect(driver.spoken?.text.contains("Nhấn một: Hộ tịch.") == true)
        driver.press(.digit1)
        #expect(driver.screen == .choosePriority(servicePrefix: "A"))
        #expect(driver.shown?.choices.map(\.label) == ["Không ưu tiên", "Người cao tuổi", "Người khuyết tật"])
        driver.press(.digit2)
        #expect(driver.effects.contains(.issueTicket(servicePrefix: "A", priority: .elderly)))
        #expect(driver.screen == .printingTicket)
    }

    @Test func serviceWithoutPriorityClassesIssuesAtOnce() {
        var driver = Driver()
        driver.press(.confirm, .digit1, .digit2)
        #expect(driver.effects.contains(.issueTicket(servicePrefix: "C", priority: nil)))
    }

    @Test func aFunctionThatCannotBeDoneIsExplainedAndTheMenuComesBack() {
        var driver = Driver()
        driver.press(.confirm, .digit1, .digit2)
        driver.send(.functionFailed(.takeTicket, .notAvailableHere))
        #expect(driver.shown?.title == "Xin lỗi, dịch vụ này hiện chưa sẵn sàng tại ki-ốt. Quý khách vui lòng chọn dịch vụ khác.")
        #expect(driver.spoken?.text.hasPrefix("Xin lỗi, dịch vụ này") == true)
        driver.press(.confirm)
        #expect(driver.screen == .mainMenu)
    }

    @Test func lookUpCodeIsEchoedAndSent() {
        var driver = Driver()
        driver.press(.confirm, .digit3)
        #expect(driver.screen == .enterLookUpCode)
        driver.press(.confirm)
        #expect(driver.shown?.error == "Quý khách chưa nhập chữ số nào.")
        driver.type("2611")
        #expect(driver.spoken?.text == "một")
        #expect(driver.shown?.input == "2611")
        driver.press(.confirm)
        #expect(driver.effects.contains(.lookUpApplication(code: "2611")))
    }

    @Test func inactivityAsksForMoreTimeAndAnAnswerKeepsWhatWasTyped() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        driver.type("0011")
        #expect(driver.effects.contains(.armInactivityTimer(seconds: 60)))
        driver.send(.inactivityTimeout)
        #expect(driver.screen == .askMoreTime(returnTo: .enterCitizenID))
        #expect(driver.spoken?.text.contains("Quý khách có cần thêm thời gian không?") == true)
        #expect(driver.effects.contains(.armInactivityTimer(seconds: 30)))
        driver.press(.confirm)
        #expect(driver.screen == .enterCitizenID)
        #expect(driver.session.state.entry == "0011")
    }

    @Test func unansweredInactivityWipesEverythingAndResetsVolumeAndLanguage() {
        var driver = Driver()
        driver.press(.language, .digit2, .digit1)
        driver.type("0011990")
        driver.press(.volumeUp, .volumeUp)
        driver.send(.inactivityTimeout)
        driver.send(.inactivityTimeout)
        #expect(driver.screen == .welcome)
        #expect(driver.effects.contains(.wipePersonalData))
        #expect(driver.effects.contains(.setVolume(70)))
        #expect(driver.session.state.entry.isEmpty)
        #expect(driver.session.state.draft == nil)
        #expect(driver.session.state.language == .vietnamese)
        #expect(driver.shown?.language == .vietnamese)
        #expect(driver.spoken == Utterance(text: "The session has ended. What you typed has been erased.", language: .english))
    }

    @Test func inactivityOnTheWelcomeScreenDoesNothing() {
        var driver = Driver()
        driver.send(.inactivityTimeout)
        #expect(driver.effects.isEmpty)
    }

    @Test func everyShownItemIsSpokenAndNoDigitStringReachesTheVoice() {
        var driver = Driver()
        // A tour of every screen, in Vietnamese and then in English.
        for firstKey in [KeypadAction.confirm, .language] {
            driver.press(firstKey)
            driver.press(.digit1, .digit1, .back, .back, .digit2, .digit1)
            driver.type("001199012345")
            driver.press(.confirm)
            driver.type("0912345678")
            driver.press(.confirm, .help, .back)
            for _ in 0..<(1 + 10 + 1 + 12 + 1 + 1) { driver.press(.back) }  // out through phone, ID and procedure
            #expect(driver.screen == .mainMenu)
            driver.press(.digit3)
            driver.type("42")
            driver.press(.help, .confirm, .confirm)
            driver.send(.functionFailed(.lookUpApplication, .notAvailableHere))
            driver.press(.confirm, .digit4, .back)
            driver.send(.inactivityTimeout)
            driver.press(.back, .back)
            #expect(driver.screen == .welcome)
        }
        var presentations = 0
        var lastShown: ScreenContent?
        for effect in driver.allEffects {
            switch effect {
            case let .show(screen):
                lastShown = screen
                #expect(screen.spoken.contains(screen.title), "title not spoken: \(screen.title)")
                for hint in screen.hints { #expect(screen.spoken.contains(hint), "hint not spoken: \(hint)") }
                for line in screen.lines where !line.contains("•") { #expect(screen.spoken.contains(line), "line not spoken: \(line)") }
            case let .speak(utterance):
                #expect(!utterance.text.contains { $0.isASCII && $0.isNumber }, "digits reach eSpeak: \(utterance.text)")
                if let screen = lastShown, utterance.text == screen.spoken {
                    presentations += 1
                    #expect(utterance.language == screen.language)
                }
            default: break
            }
        }
        #expect(presentations > 25)
        #expect(driver.allEffects.contains { if case let .show(screen) = $0 { screen.language == .english } else { false } })
    }

    @Test func maintenanceAtTheWelcomeScreenShowsAndSpeaksIt() {
        var driver = Driver()
        driver.send(.maintenance(true))
        #expect(driver.screen == .maintenance)
        #expect(driver.shown?.title == "Ki-ốt đang được bảo trì")
        #expect(driver.spoken?.text.contains("Xin quý khách vui lòng quay lại sau.") == true)
        driver.press(.digit1)
        #expect(driver.screen == .maintenance, "no session starts under maintenance")
        driver.send(.maintenance(false))
        #expect(driver.screen == .welcome)
    }

    /// The profile keeps look-up during maintenance: the welcome screen says the rest is paused and
    /// the menu offers look-up and help only; turned off, everything is back.
    @Test func functionsTheProfileKeepsStayOfferedDuringMaintenance() {
        var profile = TestProfiles.kiosk()
        profile.operations.offeredDuringMaintenance = [.lookUpApplication]
        var driver = Driver(profile: profile)
        driver.send(.maintenance(true))
        #expect(driver.screen == .welcome)
        #expect(driver.spoken?.text.contains("Một số dịch vụ đang tạm dừng để bảo trì.") == true, "\(driver.spoken?.text ?? "")")
        driver.press(.digit1)
        #expect(driver.screen == .mainMenu)
        #expect(driver.shown?.choices.map(\.label) == ["Tra cứu hồ sơ", "Trợ giúp"])
        driver.press(.digit1)
        #expect(driver.screen == .enterLookUpCode)
        // When the citizen leaves, the next one finds the same partial service, not the maintenance screen.
        driver.press(.back, .back)
        #expect(driver.screen == .welcome, "\(driver.screen)")
        #expect(driver.shown?.lines.contains("Một số dịch vụ đang tạm dừng để bảo trì.") == true, "\(driver.shown?.lines ?? [])")
        driver.send(.maintenance(false))
        #expect(!(driver.spoken?.text.contains("tạm dừng") ?? true))
        driver.press(.digit1)
        #expect(driver.shown?.choices.count == 4, "\(driver.shown?.choices.map(\.label) ?? [])")
    }

    @Test func aCitizenBeingServedFinishesBeforeMaintenance() {
        var driver = Driver()
        driver.press(.confirm, .digit2, .digit1)
        driver.type("0011")
        driver.send(.maintenance(true))
        #expect(driver.screen == .enterCitizenID)
        #expect(driver.session.state.entry == "0011")
        driver.press(.back, .back, .back, .back, .back, .back, .back)
        #expect(driver.screen == .maintenance)
        #expect(driver.effects.contains(.wipePersonalData))
    }
}
