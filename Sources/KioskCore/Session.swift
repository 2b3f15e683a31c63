import Foundation

/// The citizen's whole conversation with the kiosk, as a pure state machine: each event gives a new
/// state and the effects to carry out. It performs no I/O and reads no clock; tests feed it events
/// and read its effects. Speech rules (ADA 2010 §707, EN 301 549 §5.1.3) live here: every screen is
/// spoken; any key stops speech; the repeat key says the last prompt again; volume and rate change
/// in steps and return to the profile's defaults when the session ends; personal digits are
/// masked and, on an open speaker, only counted aloud.
public struct Session: Sendable {
    public private(set) var state: SessionState

    public static let volumeStep = 10
    public static let volumeRange = 10...100
    public static let rateStep = 25
    public static let rateRange = 80...300
    public static let citizenIDLength = CitizenIDNumber.length
    public static let phoneLength = VietnamesePhoneNumber.length
    public static let lookUpCodeMaximumLength = ApplicationCode.length
    /// Codes up to this long are taken as the portal's own codes; longer ones must be kiosk codes.
    public static let portalCodeMaximumLength = 12

    /// How numbers are said: from the profile's Vietnamese voice (nghìn/linh or ngàn/lẻ).
    private var dialect: VietnameseDialect

    public init(profile: KioskProfile) {
        state = Self.freshState(profile)
        dialect = VietnameseDialect(voice: profile.languages.vietnameseVoice)
    }

    private static func freshState(_ profile: KioskProfile) -> SessionState {
        SessionState(screen: .welcome, language: profile.languages.defaultLanguage,
                     volume: profile.devices.audio.defaultVolume, rateWordsPerMinute: profile.devices.audio.defaultRateWordsPerMinute)
    }

    /// The effects that put the welcome screen up when the kiosk starts (or the profile changes).
    public mutating func start(context: SessionContext) -> [SessionEffect] {
        state = Self.freshState(context.profile)
        dialect = VietnameseDialect(voice: context.profile.languages.vietnameseVoice)
        return [.setVolume(state.volume), .setRate(wordsPerMinute: state.rateWordsPerMinute)] + present(context)
    }

    public mutating func handle(_ event: SessionEvent, context: SessionContext) -> [SessionEffect] {
        switch event {
        case let .key(action):
            // Barge-in: whatever is being said stops the moment a key is pressed.
            var effects: [SessionEffect] = [.stopSpeaking]
            effects += handleKey(action, context: context)
            if state.screen != .welcome && state.screen != .maintenance {
                effects.append(.armInactivityTimer(seconds: context.profile.privacy.inactivityTimeoutSeconds))
            }
            return effects
        case .inactivityTimeout:
            return handleInactivity(context: context)
        case let .maintenance(on):
            state.underMaintenance = on
            if on, state.screen == .welcome {
                // Some functions may stay offered: the welcome screen then says the rest is paused.
                return maintenanceLeavesNothing(context) ? go(to: .maintenance, context: context) : present(context)
            }
            if !on, state.screen == .maintenance { return endSession(context: context, announce: false) }
            if !on, state.screen == .welcome { return present(context) }
            // A citizen being served finishes first; the maintenance screen comes when their session ends.
            return []
        case let .functionFailed(function, failure):
            let notice: PromptKey = switch failure {
            case .notAvailableHere: .serviceUnavailable
            case .deviceFault: function == .takeTicket ? .ticketsUnavailable : .serviceFailedDevice
            case .storageFault: function == .takeTicket ? .ticketLedgerFault : .serviceFailedDevice
            }
            state.entry = ""
            if function == .submitApplication, failure == .storageFault {
                // Nothing the citizen entered is kept when the application could not be recorded.
                state.draft = nil
                return [.wipePersonalData] + go(to: .notice(.applicationStorageFault, returnTo: .mainMenu), context: context)
            }
            return go(to: .notice(notice, returnTo: .mainMenu), context: context)
        case let .ticketIssued(ticket, outcome):
            // A citizen who walked away meanwhile left the welcome screen behind: nothing to show.
            switch state.screen {
            case .printingTicket, .ticketResult: return go(to: .ticketResult(ticket, outcome), context: context)
            default: return []
            }
        case .devicesChanged:
            return handleDevicesChanged(context: context)
        case let .pagesScanned(total):
            guard state.screen == .scanning else { return [] }
            state.draft?.scannedPages = total
            return go(to: .scanDocuments, context: context)
        case let .applicationAccepted(code, receipt):
            guard state.screen == .sendingApplication else { return [] }
            // Accepted: the kiosk (and the portal, once forwarded) keeps it; the session no longer needs it.
            state.draft = nil
            return go(to: .applicationAccepted(code: code, receipt: receipt), context: context)
        case let .applicationLookedUp(code, result):
            guard state.screen == .lookingUp else { return [] }
            return go(to: .lookUpResult(code: code, result), context: context)
        case let .identityCardRead(result):
            return handleIdentityCard(result, context: context)
        case let .scanFailed(fault, total):
            guard state.screen == .scanning else { return [] }
            state.draft?.scannedPages = total
            state.screen = .scanDocuments
            // The fault is shown and said first, then the screen again: what to do next, pages kept.
            state.error = text(fault.prompt)
            state.spokenError = text(fault.prompt)
            return present(context)
        }
    }

    // MARK: - Keys

    private mutating func handleKey(_ action: KeypadAction, context: SessionContext) -> [SessionEffect] {
        switch action {
        case .repeat:
            return state.lastUtterance.map { [.speak($0)] } ?? present(context)
        case .volumeUp, .volumeDown:
            let step = action == .volumeUp ? Self.volumeStep : -Self.volumeStep
            state.volume = min(max(state.volume + step, Self.volumeRange.lowerBound), Self.volumeRange.upperBound)
            let level = speakable.number(state.volume)
            return [.setVolume(state.volume), .speak(Utterance(text: text(.volumeLevel, ["level": level]), language: state.language))]
        case .language:
            let offered = context.profile.languages.offered
            let index = offered.firstIndex(of: state.language) ?? 0
            state.language = offered[(index + 1) % offered.count]
            // An error was written in the old language; the screen is read afresh in the new one.
            state.error = nil
            state.spokenError = nil
            if state.screen == .welcome { state.screen = .mainMenu }
            return present(context)
        case .help:
            if case .help = state.screen { return present(context) }
            return go(to: .help(returnTo: state.screen), context: context, keepEntry: true)
        default:
            break
        }

        switch state.screen {
        case .maintenance:
            return present(context)
        case .welcome:
            return go(to: .mainMenu, context: context)
        case let .askMoreTime(returnTo):
            // The citizen is still there: back to where they were, with what they typed.
            return go(to: returnTo, context: context, keepEntry: true)
        case let .notice(_, returnTo):
            return go(to: returnTo, context: context)
        case let .help(returnTo):
            switch action {
            case .digit7, .digit9:
                let step = action == .digit7 ? -Self.rateStep : Self.rateStep
                state.rateWordsPerMinute = min(max(state.rateWordsPerMinute + step, Self.rateRange.lowerBound), Self.rateRange.upperBound)
                return [.setRate(wordsPerMinute: state.rateWordsPerMinute),
                        .speak(Utterance(text: text(.rateChanged), language: state.language))]
            case .confirm, .back:
                return go(to: returnTo, context: context, keepEntry: true)
            default:
                return present(context)
            }
        case .mainMenu:
            let functions = offered(context)
            let outcome = choice(action, among: functions.count, back: .welcome, context: context)
            guard case let .chosen(index) = outcome else { return outcome.effects }
            switch functions[index] {
            case .takeTicket: return go(to: .chooseService, context: context)
            case .submitApplication: return go(to: .chooseProcedure, context: context)
            case .lookUpApplication: return go(to: .enterLookUpCode, context: context)
            case .help: return go(to: .help(returnTo: .mainMenu), context: context)
            }
        case .chooseService:
            let services = context.profile.queue.services
            let outcome = choice(action, among: services.count, back: .mainMenu, context: context)
            guard case let .chosen(index) = outcome else { return outcome.effects }
            let service = services[index]
            if service.priorityClasses.isEmpty {
                return requestTicket(prefix: service.prefix, priority: nil, context: context)
            }
            return go(to: .choosePriority(servicePrefix: service.prefix), context: context)
        case let .choosePriority(prefix):
            let classes = context.profile.queue.services.first { $0.prefix == prefix }?.priorityClasses ?? []
            let outcome = choice(action, among: classes.count + 1, back: .chooseService, context: context)
            guard case let .chosen(index) = outcome else { return outcome.effects }
            return requestTicket(prefix: prefix, priority: index == 0 ? nil : classes[index - 1], context: context)
        case .chooseProcedure:
            let procedures = context.profile.procedures
            let outcome = choice(action, among: procedures.count, back: .mainMenu, context: context)
            guard case let .chosen(index) = outcome else { return outcome.effects }
            state.draft = ApplicationDraft(procedureCode: procedures[index].code)
            return go(to: offersCardScan(context) ? .chooseIdentityMethod : .enterCitizenID, context: context)
        case .chooseIdentityMethod:
            switch action {
            case .back:
                state.draft = nil
                return go(to: .chooseProcedure, context: context)
            case .confirm:
                // The card prompts end "…then press hash": hash scans, as option 1 does.
                return scanIdentityCard(context: context)
            default:
                let outcome = choice(action, among: 2, back: .chooseProcedure, context: context)
                guard case let .chosen(index) = outcome else { return outcome.effects }
                if index == 0 { return scanIdentityCard(context: context) }
                return go(to: .enterCitizenID, context: context)
            }
        case .readingIdentityCard:
            // Back stops the scan; the outcome (cancelled) arrives as an event.
            if action == .back { return [.cancelScan] }
            return present(context)
        case .confirmIdentity:
            switch action {
            case .confirm:
                return go(to: .enterPhone, context: context, entry: state.draft?.phone ?? "")
            case .back:
                forgetCardIdentity()
                return go(to: .chooseIdentityMethod, context: context)
            default:
                let outcome = choice(action, among: 2, back: .chooseIdentityMethod, context: context)
                guard case let .chosen(index) = outcome else { return outcome.effects }
                // Not this citizen's card, or misread: nothing of it stays in the draft.
                forgetCardIdentity()
                if index == 0 { return scanIdentityCard(context: context) }
                return go(to: .enterCitizenID, context: context)
            }
        case .enterCitizenID:
            switch entry(action, maximum: Self.citizenIDLength, isPersonal: true, context: context) {
            case let .handled(effects): return effects
            case .backOut:
                if offersCardScan(context) { return go(to: .chooseIdentityMethod, context: context) }
                state.draft = nil
                return go(to: .chooseProcedure, context: context)
            case .confirmed: return confirmCitizenID(context: context)
            }
        case .enterPhone:
            switch entry(action, maximum: Self.phoneLength, isPersonal: true, context: context) {
            case let .handled(effects): return effects
            case .backOut:
                if state.draft?.identityFromCard == true { return go(to: .confirmIdentity, context: context) }
                return go(to: .enterCitizenID, context: context, entry: state.draft?.citizenID ?? "")
            case .confirmed: return confirmPhone(context: context)
            }
        case .scanDocuments:
            switch action {
            case .confirm:
                return go(to: .scanning, context: context) + [.scanDocuments]
            case .digit0 where (state.draft?.scannedPages ?? 0) > 0:
                return go(to: .confirmApplication, context: context)
            case .back:
                if asksDelivery(context) { return go(to: .chooseDelivery, context: context) }
                return go(to: .enterPhone, context: context, entry: state.draft?.phone ?? "")
            default:
                return present(context)
            }
        case .chooseDelivery:
            if action == .back { return go(to: .enterPhone, context: context, entry: state.draft?.phone ?? "") }
            let methods = deliveryMethods()
            let outcome = choice(action, among: methods.count, back: .enterPhone, context: context)
            guard case let .chosen(index) = outcome else { return outcome.effects }
            state.draft?.delivery = methods[index]
            let cardAddress = state.draft?.address
            state.draft?.postAddress = methods[index] == .byPost ? cardAddress : nil
            return go(to: .scanDocuments, context: context)
        case .applicationAccepted:
            switch action {
            case .confirm: return endSession(context: context, announce: false)
            case .back: return go(to: .mainMenu, context: context)
            default: return present(context)
            }
        case .lookUpResult:
            switch action {
            case .confirm: return go(to: .enterLookUpCode, context: context)
            case .back: return go(to: .mainMenu, context: context)
            default: return present(context)
            }
        case .scanning:
            // Back stops the scan; the outcome (cancelled, pages kept) arrives as an event.
            if action == .back { return [.cancelScan] }
            return present(context)
        case .confirmApplication:
            switch action {
            case .confirm:
                guard let draft = state.draft else { return go(to: .mainMenu, context: context) }
                return go(to: .sendingApplication, context: context) + [.submitApplication(draft)]
            case .back:
                return go(to: .scanDocuments, context: context)
            default:
                return present(context)
            }
        case .enterLookUpCode:
            switch entry(action, maximum: Self.lookUpCodeMaximumLength, isPersonal: false, context: context) {
            case let .handled(effects): return effects
            case .backOut: return go(to: .mainMenu, context: context)
            case .confirmed:
                return confirmLookUpCode(context: context)
            }
        case let .ticketResult(ticket, outcome):
            switch action {
            case .digit1 where outcome != .printed:
                return go(to: .printingTicket, context: context) + [.reprintTicket(ticket)]
            case .confirm:
                return endSession(context: context, announce: false)
            case .back:
                return go(to: .mainMenu, context: context)
            default:
                return present(context)
            }
        case .printingTicket, .sendingApplication, .lookingUp:
            // Waiting for the outcome; only the repeat, help, volume and language keys do anything.
            return present(context)
        }
    }

    /// The outcome of a key on a numbered-choice screen.
    private enum ChoiceOutcome {
        case chosen(Int)
        /// The key was handled here (back, an invalid number, a non-digit), with these effects.
        case handled([SessionEffect])

        var effects: [SessionEffect] {
            if case let .handled(effects) = self { return effects }
            return []
        }
    }

    /// A numbered choice among `count` items: digits 1…count choose, back goes to `back`.
    private mutating func choice(_ action: KeypadAction, among count: Int, back: SessionScreen,
                                 context: SessionContext) -> ChoiceOutcome {
        if action == .back {
            return .handled(go(to: back, context: context))
        }
        guard let number = Self.digitValue(action) else {
            return .handled(present(context))
        }
        guard number >= 1 && number <= count else {
            return .handled(reject(.noSuchChoice, ["key": speakable.number(number)], shown: ["key": "\(number)"], context: context))
        }
        return .chosen(number - 1)
    }

    /// The outcome of a key on a digit-entry screen.
    private enum EntryOutcome {
        case handled([SessionEffect])
        /// Back with nothing typed: leave the screen.
        case backOut
        case confirmed
    }

    private mutating func entry(_ action: KeypadAction, maximum: Int, isPersonal: Bool, context: SessionContext) -> EntryOutcome {
        if let value = Self.digitValue(action) {
            guard state.entry.count < maximum else { return .handled(reject(.inputFull, context: context)) }
            state.entry.append(String(value))
            state.error = nil
            state.spokenError = nil
            return .handled([.show(content(context)), .speak(echo(digit: value, isPersonal: isPersonal, context: context))])
        }
        switch action {
        case .back:
            if state.entry.isEmpty { return .backOut }
            state.entry.removeLast()
            state.error = nil
            state.spokenError = nil
            return .handled([.show(content(context)), .speak(Utterance(text: text(.inputDeleted), language: state.language))])
        case .confirm:
            return .confirmed
        default:
            return .handled(present(context))
        }
    }

    /// What is said when a digit is typed: the digit itself, or for personal data on an open speaker
    /// only how many digits there are now.
    private func echo(digit: Int, isPersonal: Bool, context: SessionContext) -> Utterance {
        let said = isPersonal && !context.profile.devices.audio.privateListening
            ? speakable.digitCount(state.entry.count)
            : speakable.digit(digit)
        return Utterance(text: said, language: state.language)
    }

    private mutating func confirmCitizenID(context: SessionContext) -> [SessionEffect] {
        // The same checks as a card's number and a clerk's form: length, province code, a birth year
        // that has happened. A wrong digit is caught here, not weeks later at the office.
        let number: CitizenIDNumber
        do {
            number = try CitizenIDNumber(validating: state.entry, today: LocalDate.containing(context.now, timeZone: context.profile.timeZone))
        } catch {
            return reject(error, context: context)
        }
        // Typed digits are the identity now: nothing read from a card stays beside them.
        forgetCardIdentity()
        state.draft?.citizenID = number.digits
        return go(to: .enterPhone, context: context, entry: state.draft?.phone ?? "")
    }

    private mutating func confirmPhone(context: SessionContext) -> [SessionEffect] {
        let phone: VietnamesePhoneNumber
        do {
            phone = try VietnamesePhoneNumber(validating: state.entry)
        } catch {
            return reject(error, context: context)
        }
        state.draft?.phone = phone.digits
        return go(to: asksDelivery(context) ? .chooseDelivery : .scanDocuments, context: context)
    }

    // MARK: - The identity card

    /// Whether the identity step offers to scan the card: the profile's scanner takes pages from the
    /// glass and is working. A card is not put through a document feeder (many refuse card stock, and
    /// a jammed card is a citizen's identity stuck in a machine), so a feeder-only kiosk asks for the
    /// number typed, as before.
    func offersCardScan(_ context: SessionContext) -> Bool {
        guard context.profile.devices.scanner?.source == .flatbed else { return false }
        return context.devices.contains { $0.kind == .scanner && $0.isUsable }
    }

    private mutating func scanIdentityCard(context: SessionContext) -> [SessionEffect] {
        go(to: .readingIdentityCard, context: context) + [.scanIdentityCard]
    }

    /// The card's answer. It is taken while the citizen waits on the reading screen, or looks at help
    /// or the "more time?" question meanwhile (what they waited for replaces those); a late answer
    /// for a citizen who went elsewhere is dropped.
    private mutating func handleIdentityCard(_ result: Result<CitizenCardQR, IdentityCardFailure>,
                                             context: SessionContext) -> [SessionEffect] {
        switch state.screen {
        case .readingIdentityCard, .help(returnTo: .readingIdentityCard), .askMoreTime(returnTo: .readingIdentityCard): break
        default: return []
        }
        guard state.draft != nil else { return [] }
        // A fresh inactivity period to read what came back (the "more time?" one may be running).
        let timer = SessionEffect.armInactivityTimer(seconds: context.profile.privacy.inactivityTimeoutSeconds)
        switch result {
        case let .success(card):
            state.draft?.citizenID = card.idNumber.digits
            state.draft?.fullName = card.fullName
            state.draft?.dateOfBirth = card.dateOfBirth
            state.draft?.gender = card.gender
            state.draft?.address = card.address
            return go(to: .confirmIdentity, context: context) + [timer]
        case let .failure(failure):
            // The reason first, then the two ways again: scan once more (1 or hash) or type (2).
            state.screen = .chooseIdentityMethod
            state.entry = ""
            state.error = text(failure.prompt, failure.promptValues)
            state.spokenError = state.error
            return present(context) + [timer]
        }
    }

    /// Drops everything a card put in the draft, the number with it.
    private mutating func forgetCardIdentity() {
        guard state.draft?.identityFromCard == true || state.draft?.address != nil else { return }
        state.draft?.citizenID = ""
        state.draft?.fullName = nil
        state.draft?.dateOfBirth = nil
        state.draft?.gender = nil
        state.draft?.address = nil
        state.draft?.postAddress = nil
        if state.draft?.delivery == .byPost { state.draft?.delivery = nil }
    }

    /// The ways the result can be received: by post only to an address the kiosk knows, which on a
    /// keypad is the card's (the portal refuses a postal delivery without an address).
    func deliveryMethods() -> [DeliveryMethod] {
        state.draft?.address == nil ? [.atCounter] : DeliveryMethod.allCases
    }

    /// Whether the chosen procedure asks how the result is to be received.
    private func asksDelivery(_ context: SessionContext) -> Bool {
        context.profile.procedures.first { $0.code == state.draft?.procedureCode }?.fields.contains(.deliveryMethod) ?? false
    }

    /// A typed code: a kiosk code (16 digits) is checked on the spot, so a slip of the finger is
    /// caught here rather than reported as "not found"; shorter codes are the portal's own.
    private mutating func confirmLookUpCode(context: SessionContext) -> [SessionEffect] {
        let code = state.entry
        guard !code.isEmpty else { return reject(.inputEmpty, context: context) }
        if code.count > Self.portalCodeMaximumLength {
            switch ApplicationCode.parse(code) {
            case .success: break
            case .failure(.checkDigitMismatch): return reject(.lookUpCodeMistyped, context: context)
            case .failure: return reject(.lookUpCodeLength, ["count": speakable.number(code.count)], shown: ["count": "\(code.count)"],
                                         context: context)
            }
        }
        return go(to: .lookingUp, context: context) + [.lookUpApplication(code: code)]
    }

    private mutating func requestTicket(prefix: String, priority: PriorityClass?, context: SessionContext) -> [SessionEffect] {
        go(to: .printingTicket, context: context) + [.issueTicket(servicePrefix: prefix, priority: priority)]
    }

    /// A device came or went. The menu on screen is read again when what it offers changed, and a
    /// citizen choosing a service when the ticket printer fails is told at once, not after choosing.
    private mutating func handleDevicesChanged(context: SessionContext) -> [SessionEffect] {
        let offered = offered(context)
        switch state.screen {
        case .mainMenu where offered != state.offeredFunctions:
            if state.offeredFunctions.contains(.takeTicket), !offered.contains(.takeTicket) {
                return [.stopSpeaking] + go(to: .notice(.ticketsUnavailable, returnTo: .mainMenu), context: context)
            }
            return [.stopSpeaking] + present(context)
        case .chooseService, .choosePriority:
            guard !offered.contains(.takeTicket) else { return [] }
            return [.stopSpeaking] + go(to: .notice(.ticketsUnavailable, returnTo: .mainMenu), context: context)
        default:
            return []
        }
    }

    // MARK: - Inactivity and the end of a session

    private mutating func handleInactivity(context: SessionContext) -> [SessionEffect] {
        switch state.screen {
        case .welcome, .maintenance:
            return []
        case .askMoreTime:
            return endSession(context: context, announce: true)
        default:
            let effects = go(to: .askMoreTime(returnTo: state.screen), context: context, keepEntry: true)
            return [.stopSpeaking] + effects + [.armInactivityTimer(seconds: context.profile.privacy.moreTimeAnswerSeconds)]
        }
    }

    /// Back to the welcome screen: everything typed is wiped, and volume, rate and language return
    /// to the profile's defaults so the next citizen starts where everyone starts.
    private mutating func endSession(context: SessionContext, announce: Bool) -> [SessionEffect] {
        let endingLanguage = state.language
        let underMaintenance = state.underMaintenance
        state = Self.freshState(context.profile)
        state.underMaintenance = underMaintenance
        if underMaintenance, maintenanceLeavesNothing(context) { state.screen = .maintenance }
        var effects: [SessionEffect] = [.stopSpeaking, .cancelInactivityTimer, .wipePersonalData,
                                        .setVolume(state.volume), .setRate(wordsPerMinute: state.rateWordsPerMinute),
                                        .show(content(context))]
        if announce {
            effects.append(.speak(Utterance(text: PromptCatalog.text(.sessionEnded, in: endingLanguage), language: endingLanguage)))
        }
        return effects
    }

    // MARK: - Presenting screens

    /// Moves to `screen` and presents it; entered digits are cleared unless kept or given.
    private mutating func go(to screen: SessionScreen, context: SessionContext, entry: String = "", keepEntry: Bool = false) -> [SessionEffect] {
        if screen == .welcome { return endSession(context: context, announce: false) }
        state.screen = screen
        if !keepEntry { state.entry = entry }
        state.error = nil
            state.spokenError = nil
        return present(context)
    }

    /// What the menu offers now: devices, hours and, under maintenance, what the profile keeps.
    func offered(_ context: SessionContext) -> [KioskFunction] {
        KioskFunction.available(profile: context.profile, devices: context.devices, at: context.now, underMaintenance: state.underMaintenance)
    }

    /// Under maintenance with nothing kept offered: the maintenance screen rather than a menu.
    private func maintenanceLeavesNothing(_ context: SessionContext) -> Bool {
        KioskFunction.available(profile: context.profile, devices: context.devices, at: context.now, underMaintenance: true).isEmpty
    }

    /// Shows the current screen and speaks all of it; what was spoken becomes the repeatable prompt.
    private mutating func present(_ context: SessionContext) -> [SessionEffect] {
        if state.screen == .mainMenu {
            state.offeredFunctions = offered(context)
        }
        let screen = content(context)
        let utterance = Utterance(text: screen.spoken, language: state.language)
        state.lastUtterance = utterance
        return [.show(screen), .speak(utterance)]
    }

    /// An input error: identified and described on screen and aloud, the screen otherwise unchanged.
    private mutating func reject(_ key: PromptKey, _ spokenValues: [String: String] = [:], shown shownValues: [String: String]? = nil,
                                 context: SessionContext) -> [SessionEffect] {
        state.error = text(key, shownValues ?? spokenValues)
        state.spokenError = text(key, spokenValues)
        let screen = content(context)
        let utterance = Utterance(text: text(key, spokenValues), language: state.language)
        return [.show(screen), .speak(utterance)]
    }

    /// Shows and says why what was typed cannot be used; a count in the reason is spoken as a number.
    private mutating func reject(_ problem: some CitizenInputProblem, context: SessionContext) -> [SessionEffect] {
        let spoken = problem.promptValues.mapValues { value in Int(value).map { speakable.number($0) } ?? value }
        return reject(problem.prompt, spoken, shown: problem.promptValues, context: context)
    }

    var speakable: SpeakableText {
        SpeakableText(language: state.language, dialect: dialect)
    }

    func text(_ key: PromptKey, _ values: [String: String] = [:]) -> String {
        PromptCatalog.text(key, in: state.language, values)
    }

    static func digitValue(_ action: KeypadAction) -> Int? {
        Int(action.rawValue)
    }
}
