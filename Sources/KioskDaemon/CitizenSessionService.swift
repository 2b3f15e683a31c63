import Console
import Scanning
import Foundation
import KioskCore
import Logging
import ServiceLifecycle
import Speech

/// Runs the citizen's Session: one event loop takes keys, timers and function outcomes in order,
/// feeds them to the pure Session, and carries out its effects (screen, speech, timers, functions).
final class CitizenSessionService: Service, @unchecked Sendable {
    // @unchecked: `session`, `inactivityTimer`, `volume` and `rate` are touched only inside `run`'s
    // loop, one event at a time; the rest is immutable or Sendable.
    enum Message: Sendable {
        case event(SessionEvent)
        /// A technician's test phrase, spoken at the current volume and rate.
        case say(Utterance)
        /// The profile or the devices changed: start over on the welcome screen, then resume `done`.
        case restart(done: CheckedContinuation<Void, Never>?)
        /// A scan ended: the pages it produced (kept even when it failed part-way), the fault if any,
        /// and which citizen's session asked for it.
        case scanOutcome(pages: [EncodedPage], fault: ScanFault?, detail: String, session: Int)
        /// The outcome of a function one citizen's session asked for; dropped if that session has ended.
        case outcome(SessionEvent, session: Int)
        /// How the scanner did on an identity card: recorded for technicians whatever became of the session.
        case cardScanned(fault: ScanFault?, detail: String)
        /// A technician changed the starting volume: applied now when no citizen is being served.
        case startingVolumeChanged(done: CheckedContinuation<Bool, Never>)
    }

    private let state: KioskState
    private let renderer: TerminalRenderer
    private let speech: SpeechService?
    /// Set once, before `run`, by the composition root (the ticket service needs this service's
    /// `devicesChanged` and this one needs it).
    var tickets: TicketService?
    /// Set once, before `run`, by the composition root when the profile names a scanner.
    var scanner: SANEScanner?
    /// Set once, before `run`, by the composition root: takes applications and answers look-ups.
    var applications: ApplicationService?
    /// The current application's pages. Personal data: held in memory only, wiped with the session.
    private var scannedPages: [EncodedPage] = []
    private var scanCancellation: ScanCancellation?
    /// Counts sessions, so a scan that ends after its citizen left is not given to the next one.
    private var sessionNumber = 0
    private let logger: Logger
    private let inbox: AsyncStream<Message>
    private let post: AsyncStream<Message>.Continuation
    private var session: Session
    private var inactivityTimer: Task<Void, Never>?
    private var volume: Int
    private var rate: Int
    private var keys: TerminalKeys?
    private var evdevKeys: EvdevKeys?

    init(state: KioskState, profile: KioskProfile, renderer: TerminalRenderer, speech: SpeechService?, logger: Logger) {
        self.state = state
        self.renderer = renderer
        self.speech = speech
        self.logger = logger
        (inbox, post) = AsyncStream<Message>.makeStream()
        session = Session(profile: profile)
        volume = profile.devices.audio.defaultVolume
        rate = profile.devices.audio.defaultRateWordsPerMinute
    }

    /// Speaks a technician's phrase through the kiosk's own voice and output (`kioskctl say`).
    func say(_ text: String, language: Language) {
        post.yield(.say(Utterance(text: text, language: language)))
    }

    /// A device's status changed: the Session re-reads what it can offer.
    func devicesChanged() {
        post.yield(.event(.devicesChanged))
    }

    /// Puts the kiosk in or out of maintenance: a citizen being served finishes, then the maintenance
    /// screen stays until it is turned off.
    func setMaintenance(_ on: Bool) async {
        await state.setMaintenance(on)
        post.yield(.event(.maintenance(on)))
    }

    /// A technician's new starting volume is in `state`. When the kiosk is idle (welcome or maintenance
    /// screen) it is applied at once and said at that volume so the technician hears it; otherwise the
    /// citizen being served keeps theirs and the next session starts at the new one. Returns whether
    /// it was applied now.
    func startingVolumeChanged() async -> Bool {
        await withCheckedContinuation { continuation in
            if case .terminated = post.yield(.startingVolumeChanged(done: continuation)) { continuation.resume(returning: false) }
        }
    }

    /// Starts the session over with the profile now in force; returns once the welcome screen is up.
    func restart() async {
        await withCheckedContinuation { continuation in
            if case .terminated = post.yield(.restart(done: continuation)) { continuation.resume() }
        }
    }

    /// Puts the welcome screen up and speaks it. The daemon calls this before it tells systemd it is
    /// ready, so READY=1 means a citizen can walk up and use the kiosk.
    func showWelcome() async {
        await perform(session.start(context: await context()))
    }

    func run() async throws {
        let profile = await state.profile
        let speech = speech
        let bargeIn: @Sendable (KeypadAction) -> Void = { _ in speech?.stop() }
        var keyStream: AsyncStream<KeypadAction>?
        switch profile.devices.keypad.input {
        case .terminal:
            keys = TerminalKeys(keyMap: profile.devices.keypad.keyMap, onKey: bargeIn)
            keyStream = keys?.actions
            if keys == nil { logger.warning("keypad: standard input is not a terminal; no keys will be read") }
        case let .evdev(path):
            let logger = logger
            let keypad = EvdevKeys(devicePath: path, keyMap: profile.devices.keypad.keyMap, onKey: bargeIn) { status in
                switch status {
                case .ready: logger.info("keypad ready", metadata: ["device": "\(path)"])
                case let .unavailable(detail): logger.error("keypad unavailable", metadata: ["device": "\(path)", "detail": "\(detail)"])
                case let .misconfigured(detail): logger.warning("keypad key map", metadata: ["device": "\(path)", "detail": "\(detail)"])
                }
            }
            evdevKeys = keypad
            keyStream = keypad.actions
        }
        if let keyStream {
            let post = post
            Task {
                for await action in keyStream { post.yield(.event(.key(action))) }
            }
        }
        await withGracefulShutdownHandler {
            for await message in inbox.cancelOnGracefulShutdown() {
                switch message {
                case let .event(event):
                    await perform(session.handle(event, context: await context()))
                case let .say(utterance):
                    await perform([.stopSpeaking, .speak(utterance)])
                case let .scanOutcome(pages, fault, detail, number):
                    guard number == sessionNumber else {
                        logger.info("scan finished after its session ended; pages dropped", metadata: ["pages": "\(pages.count)"])
                        continue
                    }
                    scannedPages += pages
                    if let fault {
                        logger.warning("scan failed", metadata: ["fault": "\(fault.rawValue)", "detail": "\(detail)", "pages_kept": "\(scannedPages.count)"])
                    } else {
                        logger.info("pages scanned", metadata: ["pages": "\(scannedPages.count)"])
                    }
                    await recordLastScan("", fault: fault, detail: detail)
                    let event: SessionEvent = fault.map { .scanFailed($0, total: scannedPages.count) } ?? .pagesScanned(total: scannedPages.count)
                    await perform(session.handle(event, context: await context()))
                case let .cardScanned(fault, detail):
                    await recordLastScan("identity card ", fault: fault, detail: detail)
                case let .outcome(event, number):
                    guard number == sessionNumber else {
                        logger.info("an outcome arrived after its session ended; not shown")
                        continue
                    }
                    if case .applicationAccepted = event { scannedPages.removeAll() }
                    await perform(session.handle(event, context: await context()))
                case let .startingVolumeChanged(done):
                    let profile = await state.profile
                    guard session.state.screen == .welcome || session.state.screen == .maintenance else {
                        done.resume(returning: false)
                        continue
                    }
                    await startOver()
                    let language = session.state.language
                    let level = SpeakableText(language: language, dialect: VietnameseDialect(voice: profile.languages.vietnameseVoice))
                        .number(volume)
                    await perform([.stopSpeaking, .speak(Utterance(text: PromptCatalog.text(.volumeLevel, in: language, ["level": level]),
                                                                   language: language))])
                    done.resume(returning: true)
                case let .restart(done):
                    if let settings = await state.profile.devices.scanner { await scanner?.reconfigure(settings) }
                    await startOver()
                    done?.resume()
                }
            }
        } onGracefulShutdown: { [post] in
            post.finish()
        }
        inactivityTimer?.cancel()
        speech?.stop()
        keys?.restore()
        evdevKeys?.stop()
        renderer.restore()
    }

    /// A fresh Session on the welcome screen with the profile now in force (and the maintenance
    /// screen when the kiosk is under maintenance). Only from `run`'s loop.
    private func startOver() async {
        let context = await context()
        session = Session(profile: context.profile)
        await perform(session.start(context: context))
        if await state.underMaintenance { await perform(session.handle(.maintenance(true), context: context)) }
    }

    private func context() async -> SessionContext {
        SessionContext(profile: await state.profile, devices: await state.devices, now: Date())
    }

    private func perform(_ effects: [SessionEffect]) async {
        for effect in effects {
            switch effect {
            case let .show(screen):
                renderer.show(screen)
            case let .speak(utterance):
                await speech?.speak(utterance, wordsPerMinute: rate, volume: volume)
            case .stopSpeaking:
                speech?.stop()
            case let .setVolume(level):
                volume = level
            case let .setRate(wordsPerMinute):
                rate = wordsPerMinute
            case let .armInactivityTimer(seconds):
                inactivityTimer?.cancel()
                let post = post
                inactivityTimer = Task {
                    try? await Task.sleep(for: .seconds(seconds))
                    if !Task.isCancelled { post.yield(.event(.inactivityTimeout)) }
                }
            case .cancelInactivityTimer:
                inactivityTimer?.cancel()
                inactivityTimer = nil
            case .wipePersonalData:
                // The Session has dropped its draft; the scanned pages go with it.
                scanCancellation?.cancel()
                scanCancellation = nil
                let pages = scannedPages.count
                scannedPages.removeAll()
                sessionNumber += 1
                logger.info("session ended, entered data wiped", metadata: ["pages_wiped": "\(pages)"])
            case .scanDocuments:
                startScan()
            case .scanIdentityCard:
                startCardScan()
            case .cancelScan:
                scanCancellation?.cancel()
            case let .issueTicket(prefix, priority):
                guard let tickets else {
                    unavailable(.takeTicket, detail: "service=\(prefix)")
                    continue
                }
                // Printing takes a moment: the loop keeps taking keys (repeat, volume) meanwhile.
                let (post, language) = (post, session.state.language)
                Task {
                    switch await tickets.issue(prefix: prefix, priority: priority, language: language) {
                    case let .success((ticket, outcome)): post.yield(.event(.ticketIssued(ticket, outcome)))
                    case let .failure(failure): post.yield(.event(.functionFailed(.takeTicket, failure)))
                    }
                }
            case let .reprintTicket(ticket):
                let (post, language) = (post, session.state.language)
                Task {
                    let outcome = await tickets?.reprint(ticket, language: language) ?? .notPrinted(.printerMissing)
                    post.yield(.event(.ticketIssued(ticket, outcome)))
                }
            case let .submitApplication(draft):
                guard let applications else {
                    unavailable(.submitApplication, detail: "procedure=\(draft.procedureCode)")
                    continue
                }
                // Once the application is recorded the outbox holds the pages (sealed); the session's
                // copy is dropped then (see .outcome), or wiped with the session if it was not.
                let pages = scannedPages
                let (post, number, language, state) = (post, sessionNumber, session.state.language, state)
                Task {
                    let event: SessionEvent
                    switch await applications.submit(draft, pages: pages, profile: await state.profile, language: language) {
                    case let .success((code, receipt)): event = .applicationAccepted(code: code, receipt: receipt)
                    case let .failure(failure): event = .functionFailed(.submitApplication, failure)
                    }
                    post.yield(.outcome(event, session: number))
                }
            case let .lookUpApplication(code):
                guard let applications else {
                    unavailable(.lookUpApplication, detail: "")
                    continue
                }
                let (post, number) = (post, sessionNumber)
                Task {
                    let result = await applications.lookUp(code: code)
                    post.yield(.outcome(.applicationLookedUp(code: code, result), session: number))
                }
            }
        }
    }

    /// Scans the next page (flatbed) or the feeder's stack off the session's loop; the outcome comes
    /// back as a message. Pages become JPEG at once: raw pages are large, and only these are kept.
    private func startScan() {
        let post = post
        let number = sessionNumber
        guard let scanner else {
            post.yield(.scanOutcome(pages: [], fault: .missing, detail: "the profile names no scanner", session: number))
            return
        }
        let cancellation = ScanCancellation()
        scanCancellation = cancellation
        let state = state
        Task {
            let feeder = await state.profile.devices.scanner?.source == .automaticDocumentFeeder
            var raw: [ScannedPage] = []
            var fault: ScanFault?
            var detail = ""
            do throws(ScanFailure) {
                raw = feeder ? try await scanner.scanFeeder(cancellation: cancellation) : [try await scanner.scanPage(cancellation: cancellation)]
            } catch {
                raw = error.pagesBefore
                fault = error.fault
                detail = error.detail
            }
            var encoded: [EncodedPage] = []
            for page in raw {
                do throws(ScanFailure) {
                    encoded.append(try PageEncoder.jpeg(page))
                } catch {
                    fault = fault ?? .other
                    detail = error.detail
                }
            }
            post.yield(.scanOutcome(pages: encoded, fault: fault, detail: detail, session: number))
        }
    }

    /// Scans the identity card on the glass off the session's loop and reads its QR code; the parsed
    /// identity or the reason comes back as an event. The same scanner and settings as the pages
    /// (one page at the profile's resolution), so a card scan waits its turn on the scanner's thread.
    /// Neither the card's image nor the code's text is kept or logged: the page is dropped inside
    /// the scanner, the text once parsed; the log says only how it went and why.
    private func startCardScan() {
        let (post, number, logger) = (post, sessionNumber, logger)
        guard let scanner else {
            logger.warning("identity card not read", metadata: ["reason": "the profile names no scanner"])
            post.yield(.outcome(.identityCardRead(.failure(.scanner(.missing))), session: number))
            return
        }
        let cancellation = ScanCancellation()
        scanCancellation = cancellation
        let state = state
        Task {
            let result: Result<CitizenCardQR, IdentityCardFailure>
            var detail = ""
            do throws(ScanFailure) {
                switch try await scanner.readCardQR(cancellation: cancellation) {
                case let .success(text):
                    // "Today" as the kiosk's calendar has it: no date on a card may lie after it.
                    let today = LocalDate.containing(Date(), timeZone: await state.profile.timeZone)
                    do throws(CitizenCardQR.Invalid) {
                        result = .success(try CitizenCardQR(parsing: text, today: today))
                    } catch {
                        result = .failure(.invalid(error))
                    }
                case .failure(.noCode):
                    result = .failure(.noCode)
                case let .failure(.severalCodes(count)):
                    result = .failure(.severalCodes(count: count))
                case let .failure(.unreadable(reason)):
                    result = .failure(.unreadable)
                    detail = reason
                }
            } catch {
                result = .failure(.scanner(error.fault))
                detail = error.detail
            }
            // The scanner's part, for technicians: a page that held no card's code was still scanned.
            if case let .failure(.scanner(fault)) = result {
                post.yield(.cardScanned(fault: fault, detail: detail))
            } else {
                post.yield(.cardScanned(fault: nil, detail: ""))
            }
            switch result {
            case .success:
                logger.info("identity card read", metadata: ["outcome": "ok"])
            case let .failure(failure):
                var metadata: Logger.Metadata = ["outcome": "failed", "reason": "\(failure.description)"]
                if !detail.isEmpty { metadata["detail"] = "\(detail)" }
                logger.warning("identity card not read", metadata: metadata)
            }
            post.yield(.outcome(.identityCardRead(result), session: number))
        }
    }

    /// Records how the last scan (of pages, or of an identity card: `what`) went in the scanner's
    /// status detail (`kioskctl status`). Its state is left as the probe found it: SANE cannot be
    /// asked whether a jam was cleared without scanning, and a scanner marked faulty would stop
    /// every later citizen from even trying.
    private func recordLastScan(_ what: String, fault: ScanFault?, detail: String) async {
        guard var current = await state.devices.first(where: { $0.kind == .scanner }) else { return }
        let base = current.detail.components(separatedBy: "; last scan: ").first ?? current.detail
        current.detail = base + "; last scan: " + what + (fault.map { "\($0.rawValue) (\(detail))" } ?? "ok")
        await state.update(current)
    }

    /// A function this build cannot carry out yet: the citizen is told, the rest keeps working.
    private func unavailable(_ function: KioskFunction, detail: String) {
        logger.warning("function not available on this kiosk", metadata: ["function": "\(function.rawValue)", "detail": "\(detail)"])
        post.yield(.event(.functionFailed(function, .notAvailableHere)))
    }
}
