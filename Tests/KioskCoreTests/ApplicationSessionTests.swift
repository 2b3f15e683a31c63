import Foundation
import KioskCore
import Testing

/// The end of an application (delivery, the code, the receipt, a storage fault) and looking one up:
/// what the citizen sees and hears.
@Suite struct ApplicationSessionTests {
    typealias Driver = SessionTests.Driver

    static let code = ApplicationCode(kioskNumber: "00417", day: LocalDate(year: 2026, month: 12, day: 4), sequence: 7)!.digits

    /// Menu → application → procedure (asking for delivery) → ID read from the identity card (post,
    /// chosen below, needs the card's address) → phone.
    static func afterPhone() -> Driver {
        var driver = IdentityCardSessionTests.cardRead(delivery: true)
        driver.press(.confirm)
        driver.type("0912345678")
        driver.press(.confirm)
        return driver
    }

    static func sending() -> Driver {
        var driver = afterPhone()
        driver.press(.digit2)
        driver.press(.confirm)
        driver.send(.pagesScanned(total: 2))
        driver.press(.digit0, .confirm)
        return driver
    }

    @Test func theCitizenChoosesHowToReceiveTheResultAndHearsItBeforeSending() throws {
        var driver = Self.afterPhone()
        #expect(driver.screen == .chooseDelivery)
        #expect(driver.spoken?.text.hasPrefix("Quý khách muốn nhận kết quả ở đâu?") == true)
        driver.press(.digit2)
        #expect(driver.screen == .scanDocuments)
        driver.press(.confirm)
        driver.send(.pagesScanned(total: 1))
        driver.press(.digit0)
        #expect(driver.screen == .confirmApplication)
        let delivery = try #require(driver.shown?.lines.last)
        #expect(delivery.hasPrefix("Nhận kết quả:"))
        #expect(driver.spoken?.text.contains(delivery) == true)
        driver.press(.confirm)
        let submitted = driver.effects.compactMap { if case let .submitApplication(draft) = $0 { draft } else { nil } }.first
        guard let draft = submitted else {
            Issue.record("confirming did not submit")
            return
        }
        #expect(draft.delivery == .byPost && draft.scannedPages == 1 && draft.citizenID == "001199012345")
    }

    @Test func theCodeIsShownInGroupsAndSpokenDigitByDigitWithTheReceipt() throws {
        var driver = Self.sending()
        #expect(driver.screen == .sendingApplication)
        driver.send(.applicationAccepted(code: Self.code, receipt: .printed))
        let shown = try #require(driver.shown)
        #expect(shown.title == "Ki-ốt đã nhận hồ sơ")
        #expect(shown.lines.first == "Mã hồ sơ: 00417 261204 0007 \(Self.code.last!)")
        #expect(shown.lines.contains("Giấy biên nhận đã in xong, xin quý khách lấy giấy biên nhận."))
        let spoken = try #require(driver.spoken?.text)
        #expect(spoken.contains("Mã hồ sơ: không không bốn một bảy, hai sáu một hai không bốn, không không không bảy,"))
        #expect(!spoken.contains("00417"), "digits are said as words")
        // The draft is gone once the application is recorded; hash ends the session and wipes the rest.
        #expect(driver.session.state.draft == nil)
        driver.press(.confirm)
        #expect(driver.screen == .welcome)
        #expect(driver.effects.contains(.wipePersonalData))
    }

    @Test func aReceiptThatDidNotPrintIsExplainedAndTheCodeSaidAgain() throws {
        var driver = Self.sending()
        driver.send(.applicationAccepted(code: Self.code, receipt: .notPrinted(.paperOut)))
        let shown = try #require(driver.shown)
        #expect(shown.lines.contains(PromptCatalog.text(.receiptFailedPaperOut, in: .vietnamese)))
        #expect(shown.lines.contains("Xin ghi lại mã hồ sơ để tra cứu."))
        let spoken = try #require(driver.spoken?.text)
        let codeSaid = "Mã hồ sơ: không không bốn một bảy, hai sáu một hai không bốn, không không không bảy,"
        #expect(spoken.components(separatedBy: codeSaid).count == 3, "the code is said twice")
    }

    @Test func whenTheApplicationCannotBeStoredTheCitizenIsToldAndEverythingIsWiped() throws {
        var driver = Self.sending()
        driver.send(.functionFailed(.submitApplication, .storageFault))
        #expect(driver.effects.contains(.wipePersonalData))
        #expect(driver.session.state.draft == nil)
        #expect(driver.shown?.title == PromptCatalog.text(.applicationStorageFault, in: .vietnamese))
        #expect(driver.spoken?.text.contains("Thông tin quý khách đã nhập không được lưu lại.") == true)
        driver.press(.confirm)
        #expect(driver.screen == .mainMenu)
    }

    static func lookingUp(_ code: String) -> Driver {
        var driver = Driver()
        driver.press(.confirm, .digit3)
        #expect(driver.screen == .enterLookUpCode)
        driver.type(code)
        driver.press(.confirm)
        return driver
    }

    @Test func aMistypedKioskCodeIsCaughtBeforeAskingAnyone() {
        var wrong = Array(Self.code)
        wrong[3] = wrong[3] == "1" ? "2" : "1"
        let driver = Self.lookingUp(String(wrong))
        #expect(driver.screen == .enterLookUpCode)
        #expect(!driver.effects.contains { if case .lookUpApplication = $0 { true } else { false } })
        #expect(driver.shown?.error == "Mã này có một chữ số chưa đúng. Xin so lại với mã in trên giấy biên nhận.")
        let short = Self.lookingUp("0041726120400")
        #expect(short.shown?.error == "Mã hồ sơ in trên biên nhận của ki-ốt có mười sáu chữ số; quý khách đã nhập 13.")
        #expect(short.spoken?.text.contains("quý khách đã nhập mười ba") == true)
    }

    @Test func theStatusIsSaidAndAnOfflineAnswerSaysHowOldItIs() throws {
        var driver = Self.lookingUp(Self.code)
        #expect(driver.effects.contains(.lookUpApplication(code: Self.code)))
        #expect(driver.screen == .lookingUp)
        driver.send(.applicationLookedUp(code: Self.code, .status(.needsMoreDocuments, note: "Bổ sung giấy chứng sinh bản chính",
                                                                  asOf: Date(), current: true)))
        #expect(driver.shown?.lines == ["Tình trạng: Cần bổ sung giấy tờ.", "Ghi chú của cơ quan giải quyết: Bổ sung giấy chứng sinh bản chính"])
        #expect(driver.spoken?.text.contains("Tình trạng: Cần bổ sung giấy tờ.") == true)

        var offline = Self.lookingUp(Self.code)
        // 2026-12-04 12:30 UTC = 19:30 in Vietnam.
        offline.send(.applicationLookedUp(code: Self.code, .status(.inProcess, note: nil,
                                                                   asOf: Date(timeIntervalSince1970: 1_796_387_400), current: false)))
        #expect(offline.shown?.lines.last == "Chưa kết nối được Cổng dịch vụ công, đây là tình trạng ki-ốt biết lúc 19:30 04/12/2026.")
        #expect(offline.spoken?.text.contains("lúc mười chín giờ ba mươi phút ngày bốn tháng mười hai") == true)
    }

    @Test func anApplicationNotYetForwardedIsReassuringAndUnknownCodesAreSaidSo() {
        var waiting = Self.lookingUp(Self.code)
        waiting.send(.applicationLookedUp(code: Self.code, .waitingToBeSent(acceptedAt: Date(timeIntervalSince1970: 1_796_387_400))))
        #expect(waiting.shown?.lines.first?.contains("sẽ tự chuyển lên Cổng dịch vụ công ngay khi có kết nối. Hồ sơ không bị mất.") == true)
        var unknown = Self.lookingUp("100000000042")
        #expect(unknown.effects.contains(.lookUpApplication(code: "100000000042")))
        unknown.send(.applicationLookedUp(code: "100000000042", .notFound))
        #expect(unknown.shown?.lines == [PromptCatalog.text(.lookUpNotFound, in: .vietnamese)])
        unknown.press(.confirm)
        #expect(unknown.screen == .enterLookUpCode)
        var cannot = Self.lookingUp("100000000042")
        cannot.send(.applicationLookedUp(code: "100000000042", .cannotCheckNow))
        #expect(cannot.spoken?.text.contains("không kết nối được Cổng dịch vụ công") == true)
    }
}
