import Foundation

/// What each screen shows and says. Every item on screen is also in `spoken`, in reading order,
/// with keys and numbers turned into words.
extension Session {
    func content(_ context: SessionContext) -> ScreenContent {
        let language = state.language
        func choices(_ labels: [String]) -> [ScreenContent.Choice] {
            labels.enumerated().map { ScreenContent.Choice(key: "\($0.offset + 1)", label: $0.element) }
        }

        switch state.screen {
        case .welcome:
            let profile = context.profile
            var lines = [profile.identity.location.text(in: language), text(.idleWelcome)]
            if state.underMaintenance { lines.append(text(.maintenancePartial)) }
            lines.append(text(.idlePressAnyKey))
            if profile.languages.offered.count > 1 { lines.append(text(.idleOtherLanguage)) }
            return screen(title: profile.identity.name.text(in: language), lines: lines)

        case .mainMenu:
            let functions = offered(context)
            var lines: [String] = []
            if !context.profile.hours.isOpen(at: context.now, in: context.profile.timeZone) { lines.append(text(.idleClosed)) }
            if functions == [.help] { lines.append(text(.idleNothingAvailable)) }
            return screen(title: text(.menuTitle), lines: lines, choices: choices(functions.map { text($0.prompt) }),
                          hints: [text(.menuHints)])

        case .chooseService:
            let names = context.profile.queue.services.map { "\($0.prefix) · \($0.name.text(in: language))" }
            let spokenNames = context.profile.queue.services.map { $0.name.text(in: language) }
            return screen(title: text(.serviceChoiceTitle), choices: choices(names), spokenChoices: spokenNames,
                          hints: [text(.menuHints)])

        case let .choosePriority(prefix):
            let classes = context.profile.queue.services.first { $0.prefix == prefix }?.priorityClasses ?? []
            let labels = [text(.priorityOrdinary)] + classes.map { text($0.prompt) }
            return screen(title: text(.priorityTitle), choices: choices(labels), hints: [text(.menuHints)])

        case .printingTicket:
            return screen(title: text(.ticketPrinting))

        case let .ticketResult(ticket, outcome):
            let service = context.profile.queue.services.first { $0.prefix == ticket.number.prefix }
            var lines: [String] = []
            if let service { lines.append(text(.ticketService, ["name": service.name.text(in: language)])) }
            if let priority = ticket.priorityClass { lines.append(text(.ticketPriority, ["name": text(priority.prompt)])) }
            var said = lines
            if ticket.waitingAhead == 0 {
                lines.append(text(.ticketNoneAhead))
                said.append(text(.ticketNoneAhead))
            } else {
                lines.append(text(.ticketWaitingAhead, ["count": "\(ticket.waitingAhead)"]))
                said.append(text(.ticketWaitingAhead, ["count": speakable.number(ticket.waitingAhead)]))
            }
            var choices: [ScreenContent.Choice] = []
            switch outcome {
            case .printed:
                lines.append(text(.ticketTake))
                said.append(text(.ticketTake))
            case let .notPrinted(failure):
                lines += [text(failure.prompt), text(.ticketRemember)]
                said += [text(failure.prompt), text(.ticketRemember)]
                choices = [ScreenContent.Choice(key: "1", label: text(.ticketReprint))]
            }
            // The number is shown as printed (A012) and spoken letter by letter, digit by digit.
            return screen(title: text(.ticketYourNumber, ["number": ticket.number.code]), lines: lines, spokenLines: said,
                          choices: choices, hints: [text(.ticketDone)],
                          spokenTitle: text(.ticketYourNumber, ["number": speakable.ticket(ticket.number)]))

        case .chooseProcedure:
            let names = context.profile.procedures.map { $0.name.text(in: language) }
            return screen(title: text(.procedureTitle), choices: choices(names), hints: [text(.menuHints)])

        case .chooseIdentityMethod:
            return screen(title: text(.identityTitle), choices: choices([text(.identityScanCard), text(.identityTypeNumber)]),
                          hints: [text(.identityHints)])

        case .readingIdentityCard:
            return screen(title: text(.identityReading))

        case .confirmIdentity:
            // Enough for the citizen to know it is their card, little for a bystander: the name and
            // year of birth shown and said (names are called aloud at every counter), the number
            // shown only by its last four digits and said only on headphones. The address, date of
            // birth and gender stay off the screen.
            let draft = state.draft
            let name = draft?.fullName ?? ""
            let year = draft?.dateOfBirth?.year ?? 0
            let lastFour = String((draft?.citizenID ?? "").suffix(4))
            let shownNumber = "•••• •••• " + lastFour
            let lines = [text(.identityName, ["name": name]), text(.identityBirthYear, ["year": "\(year)"]),
                         text(.identityNumberShown, ["digits": shownNumber])]
            let saidNumber = context.profile.devices.audio.privateListening
                ? text(.identityNumberEndsWith, ["digits": speakable.spelled(lastFour)])
                : text(.identityNumberOnScreen)
            let said = [text(.identityName, ["name": name]), text(.identityBirthYear, ["year": speakable.year(year)]), saidNumber]
            // Hash, 1 and 2 are all in the one hint, shown and said.
            return screen(title: text(.identityConfirmTitle), lines: lines, spokenLines: said, hints: [text(.identityConfirmHints)])

        case .enterCitizenID:
            return screen(title: text(.citizenIDTitle), input: Self.masked(state.entry, groups: [4, 4, 4]),
                          hints: [text(.inputHints)])

        case .enterPhone:
            return screen(title: text(.phoneTitle), input: Self.masked(state.entry, groups: [4, 3, 3]), hints: [text(.inputHints)])

        case .chooseDelivery:
            let methods = deliveryMethods()
            let lines = methods.contains(.byPost) ? [] : [text(.deliveryPostNeedsCard)]
            return screen(title: text(.deliveryTitle), lines: lines, choices: choices(methods.map { text($0.prompt) }),
                          hints: [text(.menuHints)])

        case .scanDocuments:
            let pages = state.draft?.scannedPages ?? 0
            let feeder = context.profile.devices.scanner?.source == .automaticDocumentFeeder
            if pages == 0 {
                return screen(title: text(feeder ? .scanPlaceStack : .scanPlaceFirstPage), hints: [text(.scanBackHint)])
            }
            return screen(title: text(.scanPagesDone, ["count": "\(pages)"]), lines: [text(feeder ? .scanMoreStackOrDone : .scanMorePageOrDone)],
                          hints: [text(.scanBackHint)], spokenTitle: text(.scanPagesDone, ["count": speakable.number(pages)]))

        case .scanning:
            return screen(title: text(.scanInProgress))

        case .confirmApplication:
            let draft = state.draft
            let name = context.profile.procedures.first { $0.code == draft?.procedureCode }?.name.text(in: language) ?? ""
            let idCount = draft?.citizenID.count ?? 0, phoneCount = draft?.phone.count ?? 0
            // A name read from the card is shown and said again: the last check before sending.
            let nameLine = draft?.fullName.map { [text(.confirmName, ["name": $0])] } ?? []
            let shown = [text(.confirmProcedure, ["name": name])] + nameLine + [
                         text(.confirmCitizenID, ["count": Self.masked(draft?.citizenID ?? "", groups: [4, 4, 4])]),
                         text(.confirmPhone, ["count": Self.masked(draft?.phone ?? "", groups: [4, 3, 3])])]
            let pages = draft?.scannedPages ?? 0
            let said = [text(.confirmProcedure, ["name": name])] + nameLine + [
                        text(.confirmCitizenID, ["count": speakable.digitCount(idCount)]),
                        text(.confirmPhone, ["count": speakable.digitCount(phoneCount)]),
                        text(.confirmPages, ["count": speakable.number(pages)])]
            var shownWithPages = shown + [text(.confirmPages, ["count": "\(pages)"])]
            var saidWithDelivery = said
            if let delivery = draft?.delivery {
                // The address itself is not read out in a public place: the card's, as the citizen chose.
                let key: PromptKey = delivery == .byPost && draft?.postAddress != nil ? .confirmDeliveryToCardAddress : .confirmDelivery
                shownWithPages.append(text(key, ["method": text(delivery.prompt)]))
                saidWithDelivery.append(text(key, ["method": text(delivery.prompt)]))
            }
            return screen(title: text(.confirmTitle), lines: shownWithPages, spokenLines: saidWithDelivery, hints: [text(.confirmHints)])

        case .sendingApplication:
            return screen(title: text(.applicationSending))

        case .enterLookUpCode:
            // An application code is not personal data: shown and echoed as typed.
            return screen(title: text(.lookUpTitle), input: state.entry.isEmpty ? "_" : state.entry,
                          spokenInput: state.entry.isEmpty ? nil : speakable.spelled(state.entry), hints: [text(.inputHints)])

        case let .applicationAccepted(code, receipt):
            // The code is what finds the application again: shown in its printed groups, spoken
            // digit by digit in the same groups.
            let shownCode = (try? ApplicationCode.parse(code).get())?.grouped ?? code
            let spokenCode = speakable.grouped(code, sizes: [5, 6, 4, 1])
            var lines = [text(.applicationCodeLine, ["code": shownCode])]
            var said = [text(.applicationCodeLine, ["code": spokenCode])]
            switch receipt {
            case .printed:
                lines.append(text(.applicationReceiptPrinted))
                said.append(text(.applicationReceiptPrinted))
            case let .notPrinted(failure):
                lines += [text(failure.prompt), text(.applicationRememberCode)]
                // The code once more after the bad news: it is now the citizen's only copy.
                said += [text(failure.prompt), text(.applicationRememberCode), text(.applicationCodeLine, ["code": spokenCode])]
            }
            lines.append(text(.applicationWillBeForwarded))
            said.append(text(.applicationWillBeForwarded))
            return screen(title: text(.applicationAcceptedTitle), lines: lines, spokenLines: said, hints: [text(.applicationAcceptedHints)])

        case .lookingUp:
            return screen(title: text(.lookUpSearching))

        case let .lookUpResult(code, result):
            let shownCode = (try? ApplicationCode.parse(code).get())?.grouped ?? code
            let spokenCode = code.count == ApplicationCode.length ? speakable.grouped(code, sizes: [5, 6, 4, 1]) : speakable.spelled(code)
            var lines: [String] = []
            var said: [String] = []
            func add(_ key: PromptKey, _ shown: [String: String] = [:], spoken: [String: String]? = nil) {
                lines.append(text(key, shown))
                said.append(text(key, spoken ?? shown))
            }
            switch result {
            case let .status(progress, note, asOf, current):
                add(.lookUpStatusLine, ["status": text(progress.prompt)])
                if let note, !note.isEmpty { add(.lookUpNote, ["note": note]) }
                if !current {
                    add(.lookUpAsOf, ["time": shownMoment(asOf, context)], spoken: ["time": spokenMoment(asOf, context)])
                }
            case let .waitingToBeSent(acceptedAt):
                add(.lookUpWaitingToBeSent, ["time": shownMoment(acceptedAt, context)], spoken: ["time": spokenMoment(acceptedAt, context)])
            case .notFound:
                add(.lookUpNotFound)
            case .cannotCheckNow:
                add(.lookUpCannotCheck)
            }
            return screen(title: text(.lookUpResultTitle, ["code": shownCode]), lines: lines, spokenLines: said,
                          hints: [text(.lookUpResultHints)], spokenTitle: text(.lookUpResultTitle, ["code": spokenCode]))

        case let .help(returnTo):
            var lines = [text(Self.helpPrompt(for: returnTo))]
            if returnTo == .enterCitizenID || returnTo == .enterPhone { lines.append(text(.helpPrivateInput)) }
            lines.append(text(.helpKeys))
            let rate = [ScreenContent.Choice(key: "7", label: text(.rateSlower)), ScreenContent.Choice(key: "9", label: text(.rateFaster))]
            return screen(title: text(.helpTitle), lines: lines, choices: rate, hints: [text(.helpReturn)])

        case .askMoreTime:
            return screen(title: text(.moreTimeTitle), hints: [text(.moreTimeHint)])

        case let .notice(key, _):
            return screen(title: text(key), hints: [text(.moreTimeHint)])

        case .maintenance:
            return screen(title: text(.maintenanceTitle), lines: [context.profile.identity.name.text(in: language)],
                          hints: [text(.maintenanceHint)])
        }
    }

    /// Builds a screen and its spoken form. `spokenLines`, `spokenChoices` and `spokenInput` replace
    /// what is shown where the two must differ (masked digits, prefixes, numbers as words).
    private func screen(title: String, lines: [String] = [], spokenLines: [String]? = nil,
                        choices: [ScreenContent.Choice] = [], spokenChoices: [String]? = nil,
                        input: String? = nil, spokenInput: String? = nil, hints: [String] = [],
                        spokenTitle: String? = nil) -> ScreenContent {
        var spoken: [String] = []
        if let error = state.spokenError { spoken.append(error) }
        spoken.append(spokenTitle ?? title)
        spoken += spokenLines ?? lines
        for (index, choice) in choices.enumerated() {
            let label = spokenChoices?[index] ?? choice.label
            let key = Int(choice.key).map { speakable.number($0) } ?? choice.key
            spoken.append(text(.choicePress, ["key": key, "label": label]))
        }
        if let spokenInput { spoken.append(spokenInput) }
        spoken += hints
        return ScreenContent(title: title, lines: lines, choices: choices, input: input, error: state.error, hints: hints,
                             language: state.language, spoken: spoken.map(Self.sentence).joined(separator: " "))
    }

    /// Ends a spoken piece with a full stop so eSpeak pauses between pieces.
    private static func sentence(_ text: String) -> String {
        guard let last = text.last else { return text }
        return ".?!:".contains(last) ? text : text + "."
    }

    /// Personal digits as dots in groups (`•••• •••• ••`), so the screen shows progress, not digits.
    static func masked(_ digits: String, groups: [Int]) -> String {
        guard !digits.isEmpty else { return "_" }
        var parts: [String] = []
        var remaining = digits.count
        var index = 0
        while remaining > 0 {
            let size = min(groups.isEmpty ? 4 : groups[min(index, groups.count - 1)], remaining)
            parts.append(String(repeating: "•", count: size))
            remaining -= size
            index += 1
        }
        return parts.joined(separator: " ")
    }

    /// A moment in the kiosk's timezone as shown: `19:05 04/12/2026`.
    private func shownMoment(_ instant: Date, _ context: SessionContext) -> String {
        let (date, time) = Self.localParts(instant, context.profile.timeZone)
        return String(format: "%02d:%02d %02d/%02d/%04d", time.hour, time.minute, date.day, date.month, date.year)
    }

    /// The same moment as spoken: the time, then the date.
    private func spokenMoment(_ instant: Date, _ context: SessionContext) -> String {
        let (date, time) = Self.localParts(instant, context.profile.timeZone)
        return speakable.time(time) + " " + speakable.date(date)
    }

    private static func localParts(_ instant: Date, _ timeZone: TimeZone) -> (LocalDate, ClockTime) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return (LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1),
                ClockTime(hour: parts.hour ?? 0, minute: parts.minute ?? 0) ?? ClockTime(hour: 0, minute: 0)!)
    }

    static func helpPrompt(for screen: SessionScreen) -> PromptKey {
        switch screen {
        case .welcome, .maintenance: .helpWelcome
        case .enterCitizenID, .enterPhone, .enterLookUpCode: .helpInput
        case .chooseIdentityMethod, .confirmIdentity: .helpIdentity
        case .readingIdentityCard: .helpWaiting
        case .confirmApplication: .helpConfirm
        case .printingTicket, .sendingApplication, .lookingUp, .scanning: .helpWaiting
        case .scanDocuments: .helpScan
        case .ticketResult: .helpTicketResult
        default: .helpMenu
        }
    }
}
