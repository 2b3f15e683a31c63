import Foundation
import KioskCore
import Testing

/// The identity step of an application: scan the citizen identity card's QR code or type the
/// number. What the citizen sees and hears on each path, every reason a card gives nothing, retry,
/// switching to typing, and that nothing read from the card outlives the session.
@Suite struct IdentityCardSessionTests {
    typealias Driver = SessionTests.Driver

    /// A made-up holder: the number (Hà Nội, female, born 1999) agrees with the card's date and gender.
    static let cardText = "001199012345||Trần Thị Thử|15031999|Nữ|Số 1 Phố Thử, Hoàn Kiếm, Hà Nội|01062021"
    static let card = try! CitizenCardQR(parsing: cardText, today: LocalDate(year: 2026, month: 11, day: 22))

    /// The test kiosk with a flatbed scanner, the one kind a card is laid on.
    static func profile(privateListening: Bool = false, source: ScanSource = .flatbed, delivery: Bool = false) -> KioskProfile {
        var profile = TestProfiles.kiosk(privateListening: privateListening)
        profile.devices.scanner = ScannerSettings(deviceName: "test:0", source: source, mode: .gray, resolutionDPI: 300, pageSize: .a4)
        if delivery { profile.procedures[0].fields = [.citizenID, .phone, .deliveryMethod] }
        return profile
    }

    /// Menu → application → the one procedure: the identity step.
    static func atIdentityStep(privateListening: Bool = false, delivery: Bool = false) -> Driver {
        var driver = Driver(profile: profile(privateListening: privateListening, delivery: delivery))
        driver.press(.confirm, .digit2, .digit1)
        return driver
    }

    /// The card read and its details on screen.
    static func cardRead(privateListening: Bool = false, delivery: Bool = false) -> Driver {
        var driver = atIdentityStep(privateListening: privateListening, delivery: delivery)
        driver.press(.digit1)
        driver.send(.identityCardRead(.success(card)))
        return driver
    }

    static func said(_ driver: Driver) -> String { driver.spoken?.text ?? "" }

    // MARK: - The choice

    @Test func theIdentityStepOffersScanningTheCardOrTypingTheNumber() throws {
        let driver = Self.atIdentityStep()
        #expect(driver.screen == .chooseIdentityMethod)
        let shown = try #require(driver.shown)
        #expect(shown.choices.map(\.key) == ["1", "2"])
        #expect(shown.choices[0].label.contains("Quét thẻ căn cước") && shown.choices[0].label.contains("úp xuống"))
        #expect(shown.choices[1].label == "Nhập số định danh cá nhân bằng bàn phím")
        #expect(Self.said(driver).contains("Nhấn một: Quét thẻ căn cước: đặt mặt trước của thẻ"))
        #expect(Self.said(driver).contains("Nhấn hai: Nhập số định danh cá nhân bằng bàn phím."))
    }

    @Test func typingTheNumberStaysAsBefore() {
        var driver = Self.atIdentityStep()
        driver.press(.digit2)
        #expect(driver.screen == .enterCitizenID)
        driver.type("001199012345")
        driver.press(.confirm)
        #expect(driver.screen == .enterPhone)
        #expect(driver.session.state.draft?.citizenID == "001199012345")
        #expect(driver.session.state.draft?.identityFromCard == false)
        // Back from the typed number returns to the choice, not past it.
        driver.press(.back)
        #expect(driver.screen == .enterCitizenID)
        for _ in 0...12 { driver.press(.back) }
        #expect(driver.screen == .chooseIdentityMethod)
        driver.press(.back)
        #expect(driver.screen == .chooseProcedure)
        #expect(driver.session.state.draft == nil)
    }

    @Test func aKioskWhoseScannerOnlyFeedsSheetsAsksForTheNumberTyped() {
        var driver = Driver(profile: Self.profile(source: .automaticDocumentFeeder))
        driver.press(.confirm, .digit2, .digit1)
        #expect(driver.screen == .enterCitizenID)
        #expect(!driver.allEffects.contains(.scanIdentityCard))
    }

    @Test func helpOnTheIdentityStepExplainsBothWays() {
        var driver = Self.atIdentityStep()
        driver.press(.help)
        #expect(driver.shown?.lines.first == PromptCatalog.text(.helpIdentity, in: .vietnamese))
        driver.press(.confirm)
        #expect(driver.screen == .chooseIdentityMethod)
    }

    // MARK: - A card read

    @Test func scanningTheCardReadsBackNameAndBirthYearThenHashGoesToThePhone() throws {
        var driver = Self.atIdentityStep()
        driver.press(.digit1)
        #expect(driver.screen == .readingIdentityCard)
        #expect(driver.effects.contains(.scanIdentityCard))
        #expect(Self.said(driver).hasPrefix("Đang đọc mã QR trên thẻ căn cước"))

        driver.send(.identityCardRead(.success(Self.card)))
        #expect(driver.screen == .confirmIdentity)
        let shown = try #require(driver.shown)
        #expect(shown.title == "Thông tin đọc từ thẻ căn cước")
        #expect(shown.lines == ["Họ và tên: Trần Thị Thử", "Năm sinh: 1999", "Số định danh cá nhân: •••• •••• 2345"])
        let said = Self.said(driver)
        #expect(said.contains("Họ và tên: Trần Thị Thử."))
        #expect(said.contains("Năm sinh: một nghìn chín trăm chín mươi chín."))
        // On an open speaker the number's digits are not said at all, not even the last four.
        #expect(said.contains("Bốn chữ số cuối của số định danh cá nhân hiện trên màn hình."))
        #expect(!said.contains("hai ba bốn năm") && !said.contains("2345"))
        // The address, full date of birth and gender are neither shown nor said.
        for private_ in ["Phố Thử", "15/03", "mười lăm tháng ba", "Nữ"] {
            #expect(!shown.lines.joined().contains(private_) && !said.contains(private_))
        }
        #expect(said.contains("Nếu đúng, nhấn phím thăng."))

        driver.press(.confirm)
        #expect(driver.screen == .enterPhone)
        let draft = try #require(driver.session.state.draft)
        #expect(draft.citizenID == "001199012345" && draft.fullName == "Trần Thị Thử")
        #expect(draft.dateOfBirth == LocalDate(year: 1999, month: 3, day: 15) && draft.gender == .female)
        #expect(draft.address == "Số 1 Phố Thử, Hoàn Kiếm, Hà Nội")
        // Back from the phone returns to the card's details.
        driver.press(.back)
        #expect(driver.screen == .confirmIdentity)
    }

    @Test func onHeadphonesTheNumbersLastFourDigitsAreSaid() {
        let driver = Self.cardRead(privateListening: true)
        #expect(Self.said(driver).contains("Bốn chữ số cuối của số định danh cá nhân: hai ba bốn năm."))
        #expect(!Self.said(driver).contains("không không một"), "only the last four digits are said")
    }

    @Test func theCardsDetailsAreReadInEnglishToo() {
        var driver = Self.cardRead()
        driver.press(.language)
        #expect(driver.shown?.lines.first == "Full name: Trần Thị Thử")
        #expect(Self.said(driver).contains("Year of birth: nineteen ninety-nine."))
        #expect(Self.said(driver).contains("If this is you, press hash."))
    }

    @Test func notTheirCardScanAgainOrTypeAndNothingOfItStays() throws {
        var driver = Self.cardRead()
        driver.press(.digit1)
        #expect(driver.screen == .readingIdentityCard)
        #expect(driver.effects.contains(.scanIdentityCard))
        #expect(driver.session.state.draft?.fullName == nil && driver.session.state.draft?.citizenID == "")

        driver.send(.identityCardRead(.success(Self.card)))
        driver.press(.digit2)
        #expect(driver.screen == .enterCitizenID)
        let draft = try #require(driver.session.state.draft)
        #expect(draft.citizenID.isEmpty && draft.fullName == nil && draft.dateOfBirth == nil && draft.gender == nil && draft.address == nil)
        #expect(driver.shown?.input == "_", "nothing from the card is pre-typed")

        var back = Self.cardRead()
        back.press(.back)
        #expect(back.screen == .chooseIdentityMethod)
        #expect(back.session.state.draft?.identityFromCard == false)
        back.press(.digit9)
        #expect(back.shown?.error == "Không có lựa chọn 9.")
    }

    // MARK: - Failures

    /// One of each reason a card gives nothing, with the prompt the citizen must hear for it.
    static let failures: [(IdentityCardFailure, PromptKey)] = [
        (.noCode, .cardQRNotFound),
        (.severalCodes(count: 2), .cardQRSeveralCodes),
        (.unreadable, .cardQRUnreadable),
        (.invalid(.notCitizenCard), .cardQRNotCitizenCard),
        (.invalid(.fieldCount(5)), .cardQRIncomplete),
        (.invalid(.badField(.gender)), .cardQRIncomplete),
        (.invalid(.badDate(.dateOfBirth)), .cardQRBadDate),
        (.invalid(.idNumber(.unknownProvince)), .cardQRIDInvalid),
        (.invalid(.idNumberMismatch(.genderMismatch)), .cardQRIDMismatch),
        (.scanner(.cancelled), .cardScanCancelled),
        (.scanner(.coverOpen), .cardScanCoverOpen),
        (.scanner(.deviceBusy), .cardScanBusy),
        (.scanner(.noDocuments), .cardQRNotFound),
        (.scanner(.ioError), .cardScanFailed),
        (.scanner(.missing), .cardScanFailed),
    ]

    @Test(arguments: failures)
    func everyReasonACardGivesNothingIsShownAndSaidSpecifically(failure: IdentityCardFailure, prompt: PromptKey) throws {
        #expect(failure.prompt == prompt)
        for language in Language.allCases {
            var driver = Self.atIdentityStep()
            if language == .english { driver.press(.language) }
            driver.press(.digit1)
            driver.send(.identityCardRead(.failure(failure)))
            let expected = PromptCatalog.text(prompt, in: language)
            #expect(driver.screen == .chooseIdentityMethod)
            #expect(driver.shown?.error == expected)
            // Said first, then the two ways again.
            #expect(Self.said(driver).hasPrefix(expected), "\(language): \(Self.said(driver))")
            #expect(driver.shown?.choices.count == 2)
            #expect(driver.session.state.draft?.identityFromCard == false)
        }
    }

    @Test func eachKindOfReasonHasItsOwnWordsNotTheDocumentScannersMessages() {
        // Each class of reason has its own words: none falls back to a general scanner message.
        let prompts = Set(Self.failures.map(\.1))
        #expect(prompts.count == 12)
        #expect(!prompts.contains(.scanFailed) && !prompts.contains(.scanCancelled))
        // A real non-card code is refused by the parser with the reason the Session says.
        #expect(throws: CitizenCardQR.Invalid.notCitizenCard) {
            _ = try CitizenCardQR(parsing: "https://dichvucong.gov.vn", today: LocalDate(year: 2026, month: 1, day: 1))
        }
    }

    @Test func afterAFailureHashOrOneScansAgainAndTwoSwitchesToTyping() {
        var driver = Self.atIdentityStep()
        driver.press(.digit1)
        driver.send(.identityCardRead(.failure(.noCode)))
        // The prompt says "then press hash": hash scans again.
        driver.press(.confirm)
        #expect(driver.screen == .readingIdentityCard)
        #expect(driver.effects.contains(.scanIdentityCard))
        #expect(driver.shown?.error == nil)
        driver.send(.identityCardRead(.failure(.invalid(.badDate(.issueDate)))))
        driver.press(.digit1)
        #expect(driver.effects.contains(.scanIdentityCard))
        driver.send(.identityCardRead(.failure(.scanner(.ioError))))
        driver.press(.digit2)
        #expect(driver.screen == .enterCitizenID)
        #expect(driver.shown?.error == nil)
        driver.type("001199012345")
        driver.press(.confirm)
        #expect(driver.screen == .enterPhone)
    }

    @Test func backWhileReadingStopsTheScanAndSaysSo() {
        var driver = Self.atIdentityStep()
        driver.press(.digit1)
        driver.press(.back)
        #expect(driver.effects == [.stopSpeaking, .cancelScan, .armInactivityTimer(seconds: 60)])
        #expect(driver.screen == .readingIdentityCard)
        driver.send(.identityCardRead(.failure(.scanner(.cancelled))))
        #expect(driver.shown?.error == "Đã dừng đọc thẻ căn cước.")
    }

    @Test func aCardReadWhileHelpIsOpenReplacesIt() {
        var driver = Self.atIdentityStep()
        driver.press(.digit1, .help)
        #expect(driver.screen == .help(returnTo: .readingIdentityCard))
        driver.send(.identityCardRead(.success(Self.card)))
        #expect(driver.screen == .confirmIdentity)
        #expect(Self.said(driver).contains("Trần Thị Thử"))
    }

    // MARK: - Delivery, submission and the wipe

    @Test func postIsOfferedOnlyWithTheCardsAddressAndGoesThere() throws {
        var typed = Self.atIdentityStep(delivery: true)
        typed.press(.digit2)
        typed.type("001199012345")
        typed.press(.confirm)
        typed.type("0912345678")
        typed.press(.confirm)
        #expect(typed.screen == .chooseDelivery)
        #expect(typed.shown?.choices.map(\.label) == ["tại quầy Bộ phận một cửa"])
        #expect(typed.shown?.lines == [PromptCatalog.text(.deliveryPostNeedsCard, in: .vietnamese)])
        #expect(Self.said(typed).contains("ki-ốt chỉ biết địa chỉ này khi quý khách quét thẻ"))
        typed.press(.digit2)
        #expect(typed.shown?.error == "Không có lựa chọn 2.")
        typed.press(.digit1)
        #expect(typed.session.state.draft?.delivery == .atCounter && typed.session.state.draft?.postAddress == nil)

        var card = Self.cardRead(delivery: true)
        card.press(.confirm)
        card.type("0912345678")
        card.press(.confirm)
        #expect(card.shown?.choices.count == 2)
        #expect(card.shown?.lines == [])
        card.press(.digit2)
        #expect(card.session.state.draft?.postAddress == "Số 1 Phố Thử, Hoàn Kiếm, Hà Nội")
        card.press(.confirm)
        card.send(.pagesScanned(total: 1))
        card.press(.digit0)
        #expect(card.screen == .confirmApplication)
        let lines = try #require(card.shown?.lines)
        #expect(lines.contains("Họ và tên: Trần Thị Thử"))
        #expect(lines.last == "Nhận kết quả: qua dịch vụ bưu chính công ích, gửi đến địa chỉ thường trú ghi trên thẻ căn cước")
        #expect(!lines.joined().contains("Phố Thử"), "the address itself is not shown")
        card.press(.confirm)
        let submitted = card.effects.compactMap { if case let .submitApplication(draft) = $0 { draft } else { nil } }
        let draft = try #require(submitted.first)
        #expect(draft.citizenID == "001199012345" && draft.fullName == "Trần Thị Thử" && draft.gender == .female)
        #expect(draft.dateOfBirth == LocalDate(year: 1999, month: 3, day: 15) && draft.phone == "0912345678")
        #expect(draft.delivery == .byPost && draft.postAddress == draft.address && draft.address != nil)
    }

    @Test func endingTheSessionWipesEverythingReadFromTheCard() {
        var driver = Self.cardRead()
        driver.press(.confirm)
        driver.type("0912")
        driver.send(.inactivityTimeout)
        driver.send(.inactivityTimeout)
        #expect(driver.screen == .welcome)
        #expect(driver.effects.contains(.wipePersonalData))
        #expect(driver.session.state.draft == nil)
        let remembered = String(reflecting: driver.session.state) + (driver.session.state.lastUtterance?.text ?? "")
        for trace in ["Trần Thị Thử", "001199012345", "2345", "Phố Thử", "1999", "0912"] {
            #expect(!remembered.contains(trace), "the session still holds something read from the card")
        }
        // An answer for the citizen who left is not shown to the next one.
        var late = Self.atIdentityStep()
        late.press(.digit1)
        late.send(.inactivityTimeout)
        late.send(.inactivityTimeout)
        late.send(.identityCardRead(.success(Self.card)))
        #expect(late.effects.isEmpty)
        #expect(late.screen == .welcome && late.session.state.draft == nil)
    }

    @Test func aDraftNeverPrintsThePersonalDataItHolds() {
        var draft = ApplicationDraft(procedureCode: "1.001193", citizenID: "001199012345", phone: "0912345678",
                                     fullName: "Trần Thị Thử", dateOfBirth: LocalDate(year: 1999, month: 3, day: 15),
                                     gender: .female, address: "Số 1 Phố Thử")
        draft.postAddress = draft.address
        var dumped = ""
        dump(draft, to: &dumped)
        for text in [String(describing: draft), String(reflecting: draft), dumped, String(describing: SessionEffect.submitApplication(draft))] {
            for trace in ["001199012345", "0912345678", "Trần", "Phố Thử", "1999"] {
                #expect(!text.contains(trace), "a printed draft shows personal data")
            }
        }
        // The typed path builds a draft as before: the card's fields default to nothing.
        let typed = ApplicationDraft(procedureCode: "1.001193", citizenID: "001199012345", phone: "0912345678")
        #expect(typed.fullName == nil && typed.dateOfBirth == nil && typed.gender == nil && typed.address == nil && typed.postAddress == nil)
    }
}
