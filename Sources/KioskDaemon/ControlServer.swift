import ControlProtocol
import Foundation
import KioskCore
import Logging
import ProfileLoading
import ServiceLifecycle
import Printing
import TicketLedger
import Portal
import Scanning

/// Answers `kioskctl` on the control socket. Only root and members of the profile's technician
/// group are served: the peer's credentials come from the kernel (SO_PEERCRED), not from anything
/// the client says. A malformed, oversized or unknown request gets an error answer and never
/// disturbs the daemon; refusals are logged.
final class ControlServer: Service, @unchecked Sendable {
    // @unchecked: immutable after init; each connection is served on a thread of its own.
    private let path: String
    private let state: KioskState
    private let logger: Logger
    private let version: String
    private let reloadProfile: @Sendable () async -> [String]
    private let setMaintenance: @Sendable (Bool) async -> Void
    private let say: @Sendable (String, Language) -> Void
    /// Stores a technician's starting volume (nil: back to the profile's); returns whether it applied at once.
    private let setStartingVolume: @Sendable (Int?) async throws(StartingVolumeFileError) -> Bool
    private let tickets: TicketService?
    private let selfTest: SelfTest?
    private let applications: ApplicationService?

    /// The listening socket, bound before the daemon reports READY=1 so kioskctl works from then on;
    /// nil when it could not be created (logged; the kiosk serves citizens all the same).
    private let listener: ControlSocket?

    init(path: String, state: KioskState, version: String, logger: Logger,
         reloadProfile: @escaping @Sendable () async -> [String], setMaintenance: @escaping @Sendable (Bool) async -> Void,
         say: @escaping @Sendable (String, Language) -> Void,
         setStartingVolume: @escaping @Sendable (Int?) async throws(StartingVolumeFileError) -> Bool,
         tickets: TicketService?, selfTest: SelfTest? = nil, applications: ApplicationService? = nil) {
        self.say = say
        self.setStartingVolume = setStartingVolume
        self.applications = applications
        self.selfTest = selfTest
        self.tickets = tickets
        self.reloadProfile = reloadProfile
        self.setMaintenance = setMaintenance
        self.path = path
        self.state = state
        self.version = version
        self.logger = logger
        do {
            listener = try ControlSocket.listen(path: path)
            logger.info("control socket listening", metadata: ["path": "\(path)"])
        } catch {
            listener = nil
            logger.error("control socket unavailable", metadata: ["path": "\(path)", "detail": "\(error)"])
        }
    }

    func run() async throws {
        guard let listener else {
            try? await gracefulShutdown()
            return
        }
        let acceptor = Thread { [self] in self.acceptConnections(listener) }
        acceptor.name = "kiosk-control"
        acceptor.start()
        try? await gracefulShutdown()
        listener.shutDown()
        unlink(path)
    }

    private func acceptConnections(_ listener: ControlSocket) {
        while let connection = try? listener.accept() {
            let thread = Thread { [self] in self.serve(connection) }
            thread.name = "kiosk-control-connection"
            thread.start()
        }
    }

    private func serve(_ connection: ControlSocket) {
        guard let peer = try? connection.peerCredentials() else { return }
        let group = blockingAwait { await self.state.profile.operations.controlGroup }
        guard Self.isAuthorised(uid: peer.uid, gid: peer.gid, pid: peer.pid, group: group) else {
            logger.warning("control request refused", metadata: ["uid": "\(peer.uid)", "pid": "\(peer.pid)", "group": "\(group)"])
            // Let the request arrive first, so the refusal is its answer rather than a reset connection.
            _ = try? connection.readLine(maximumBytes: ControlProtocol.maximumRequestBytes, timeout: .seconds(2))
            respond(connection, ControlResponse(error: ControlError(
                code: "not-authorised", message: "only root and members of the group \(group) may control this kiosk")))
            return
        }
        while true {
            let line: Data
            do {
                guard let read = try connection.readLine(maximumBytes: ControlProtocol.maximumRequestBytes, timeout: .seconds(30)) else { return }
                line = read
            } catch let failure as ControlSocket.Failure where failure.code == EMSGSIZE {
                respond(connection, ControlResponse(error: ControlError(
                    code: "too-large", message: "a request may be at most \(ControlProtocol.maximumRequestBytes) bytes")))
                return
            } catch {
                return
            }
            respond(connection, answer(line))
        }
    }

    private func answer(_ line: Data) -> ControlResponse {
        guard let request = try? JSONDecoder().decode(ControlRequest.self, from: line) else {
            return ControlResponse(error: ControlError(code: "malformed", message: "expected one JSON object {version, command, arguments} per line"))
        }
        guard request.version == ControlProtocol.version else {
            return ControlResponse(error: ControlError(code: "unsupported-version",
                                                       message: "this kioskd speaks control protocol version \(ControlProtocol.version)"))
        }
        switch request.command {
        case "status":
            return ControlResponse(status: blockingAwait { await self.statusReport() })
        case "profile-check":
            let path = request.arguments["path"] ?? blockingAwait { await self.state.profilePath }
            do {
                _ = try ProfileLoader.load(path: path)
                return ControlResponse(profile: ProfileCheckReport(path: path, accepted: true, diagnostics: []))
            } catch {
                return ControlResponse(profile: ProfileCheckReport(path: path, accepted: false, diagnostics: error.diagnostics.map(\.description)))
            }
        case "profile-reload":
            let path = blockingAwait { await self.state.profilePath }
            logger.info("profile reload requested by a technician")
            let problems = blockingAwait { await self.reloadProfile() }
            return ControlResponse(profile: ProfileCheckReport(path: path, accepted: problems.isEmpty, diagnostics: problems))
        case "say":
            guard let text = request.arguments["text"], !text.trimmingCharacters(in: .whitespaces).isEmpty, text.count <= 1000 else {
                return ControlResponse(error: ControlError(code: "malformed", message: "say needs the argument text: 1 to 1000 characters"))
            }
            let language = request.arguments["language"].flatMap(Language.init(rawValue:)) ?? .vietnamese
            // Only the length is logged: a technician may type anything.
            logger.info("technician test phrase", metadata: ["characters": "\(text.count)", "language": "\(language.rawValue)"])
            say(text, language)
            return ControlResponse(status: blockingAwait { await self.statusReport() })
        case "maintenance":
            guard let mode = request.arguments["mode"], mode == "on" || mode == "off" else {
                return ControlResponse(error: ControlError(code: "malformed", message: "maintenance needs the argument mode: on or off"))
            }
            logger.notice("maintenance mode set by a technician", metadata: ["mode": "\(mode)"])
            blockingAwait { await self.setMaintenance(mode == "on") }
            return ControlResponse(status: blockingAwait { await self.statusReport() })
        case "volume":
            return blockingAwait { await self.volume(request.arguments["level"]) }
        case "logs":
            let wanted = request.arguments["lines"].map { Int($0) }
            guard let count = wanted ?? 100, (1...RecentLogLines.shared.capacity).contains(count) else {
                return ControlResponse(error: ControlError(code: "malformed",
                                                           message: "logs --lines: a number from 1 to \(RecentLogLines.shared.capacity)"))
            }
            return ControlResponse(logs: RecentLogLines.shared.last(count))
        case "diagnostics":
            return blockingAwait { await self.diagnostics() }
        case "outbox-purge-delivered":
            return blockingAwait { await self.purgeDelivered() }
        case "queue-today":
            return blockingAwait { await self.queueToday() }
        case "queue-reset":
            return blockingAwait { await self.resetQueue(request.arguments) }
        case "queue-issue":
            return blockingAwait { await self.issueTicket(request.arguments) }
        case "preview":
            return blockingAwait { await self.preview(request.arguments) }
        case "outbox":
            return blockingAwait { await self.outboxReport(request.arguments) }
        case "application-file":
            return blockingAwait { await self.fileApplication(request.arguments) }
        case "outbox-retry":
            return blockingAwait { await self.retryApplication(request.arguments) }
        case "lookup":
            guard let code = request.arguments["code"]?.filter({ !$0.isWhitespace }), !code.isEmpty, code.count <= 32,
                  code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
                return ControlResponse(error: ControlError(code: "malformed", message: "lookup needs the argument code: the application code"))
            }
            guard let applications else { return ControlResponse(error: ControlError(code: "unavailable", message: "applications are not set up")) }
            return ControlResponse(lookUp: blockingAwait { Self.lookUpReport(code, await applications.lookUp(code: code)) })
        case "selftest":
            var only: DeviceKind?
            if let name = request.arguments["device"] {
                guard let device = DeviceKind(rawValue: name), device != .keypad else {
                    return ControlResponse(error: ControlError(code: "malformed",
                                                               message: "selftest devices: speech, scanner, receipt-printer, ticket-printer"))
                }
                only = device
            }
            guard let selfTest else { return ControlResponse(error: ControlError(code: "unavailable", message: "self-test is not set up")) }
            logger.notice("self-test requested by a technician", metadata: ["device": "\(only?.rawValue ?? "all")"])
            let device = only
            let outcomes = blockingAwait { await selfTest.run(only: device) }
            for outcome in outcomes {
                logger.info("self-test", metadata: ["device": "\(outcome.device.rawValue)", "passed": "\(outcome.passed)", "detail": "\(outcome.detail)"])
            }
            return ControlResponse(selfTest: outcomes.map { SelfTestLine(device: $0.device.rawValue, passed: $0.passed, detail: $0.detail) })
        default:
            return ControlResponse(error: ControlError(code: "unknown-command",
                                                       message: "unknown command \(request.command); known: status, profile-check, profile-reload, "
                                                           + "maintenance, say, volume, logs, queue-today, queue-issue, queue-reset, preview, selftest, outbox, outbox-retry, "
                                                           + "outbox-purge-delivered, lookup, application-file, diagnostics"))
        }
    }

    /// Shows the starting volume, or sets it: a number from 10 to 100, or `profile` for the profile's own.
    private func volume(_ argument: String?) async -> ControlResponse {
        var appliedNow = false
        if let argument {
            let level: Int?
            if argument == "profile" {
                level = nil
            } else if let number = Int(argument), Session.volumeRange.contains(number) {
                level = number
            } else {
                return ControlResponse(error: ControlError(
                    code: "malformed",
                    message: "volume: a level from \(Session.volumeRange.lowerBound) to \(Session.volumeRange.upperBound), or 'profile'; "
                        + "below \(Session.volumeRange.lowerBound) a blind citizen could not hear the menu"))
            }
            do {
                appliedNow = try await setStartingVolume(level)
            } catch {
                logger.error("starting volume not stored", metadata: ["detail": "\(error.detail)"])
                return ControlResponse(error: ControlError(code: "storage", message: "the starting volume was not changed: \(error.detail)"))
            }
            logger.notice("starting volume set by a technician", metadata: ["volume": "\(level.map(String.init) ?? "profile")",
                                                                            "applied_now": "\(appliedNow)"])
        }
        return ControlResponse(volume: VolumeReport(startingVolume: await state.profile.devices.audio.defaultVolume,
                                                    profileVolume: await state.profileVolume,
                                                    setByTechnician: await state.technicianVolume != nil, appliedNow: appliedNow))
    }

    /// Wipes now, whatever the retention, the personal data and pages of every application the
    /// portal has confirmed (a kiosk being moved or retired, a full disk). Codes and statuses stay so
    /// citizens can still look their applications up.
    private func purgeDelivered() async -> ControlResponse {
        guard let outbox = applications?.outbox else {
            return ControlResponse(error: ControlError(code: "unavailable",
                                                       message: applications?.unavailableReason ?? "applications are not set up"))
        }
        do {
            let now = Date()
            let wiped = try await outbox.wipeDelivered(before: now, at: now)
            logger.notice("delivered applications wiped by a technician", metadata: ["applications": "\(wiped)"])
            return ControlResponse(purged: wiped)
        } catch {
            return ControlResponse(error: ControlError(code: "storage", message: error.detail))
        }
    }

    /// Everything `kioskctl diagnostics` archives, gathered in one answer.
    private func diagnostics() async -> ControlResponse {
        let path = await state.profilePath
        let profileText: String
        do {
            profileText = Self.withoutSecrets(try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            profileText = "# the profile \(path) could not be read: \((error as NSError).localizedDescription)\n"
        }
        let status = await statusReport()
        logger.notice("diagnostics collected by a technician")
        return ControlResponse(diagnostics: DiagnosticsReport(
            collectedAt: Self.timestamp(Date(), await state.profile.timeZone), status: status, profilePath: path,
            profileWithoutSecrets: profileText, logs: RecentLogLines.shared.last(RecentLogLines.shared.capacity),
            outbox: applications == nil ? nil : await outboxReport(["limit": "200"]).outbox))
    }

    /// A profile names its secrets rather than holding them (a key file, a systemd credential), but a
    /// diagnostics archive leaves a kiosk: the value of any key whose name says key, secret,
    /// password, token or credential is withheld all the same.
    static func withoutSecrets(_ yaml: String) -> String {
        // A whole word of a snake_case name: client_key and encryption_key_file, not keypad.
        let secretKey = #"^(\s*-?\s*)((?:[A-Za-z0-9]+_)*(?:key|secret|password|passphrase|token|credential)(?:_[A-Za-z0-9]+)*)(\s*:)\s*\S.*$"#
        guard let pattern = try? NSRegularExpression(pattern: secretKey, options: [.anchorsMatchLines, .caseInsensitive]) else { return "" }
        return pattern.stringByReplacingMatches(in: yaml, range: NSRange(yaml.startIndex..., in: yaml), withTemplate: "$1$2$3 (withheld)")
    }

    /// Today's numbering day, every ticket of it.
    private func queueToday() async -> ControlResponse {
        guard let ledger = tickets?.ticketLedger else {
            return ControlResponse(error: ControlError(code: "unavailable", message: "the ticket ledger is not open; see the daemon's log"))
        }
        let profile = await state.profile
        let day = profile.queueDay(containing: Date())
        do {
            let records = try await ledger.tickets(on: day)
            return ControlResponse(queue: QueueReport(day: day.description, tickets: records.map(Self.report)))
        } catch {
            return ControlResponse(error: ControlError(code: "unavailable", message: error.detail))
        }
    }

    /// Starts the numbers of some services (argument `services`, comma-separated prefixes) or of all
    /// of them (`all`) at 1 again today: a service centre that reopens a counter after a break, or
    /// a day whose numbers ran far ahead of the counters. Earlier tickets stay recorded and void ones
    /// stay void; `queue today` shows each ticket's round.
    private func resetQueue(_ arguments: [String: String]) async -> ControlResponse {
        guard let ledger = tickets?.ticketLedger else {
            return ControlResponse(error: ControlError(code: "unavailable", message: "the ticket ledger is not open; see the daemon's log"))
        }
        let profile = await state.profile
        let offered = profile.queue.services.map(\.prefix)
        let wanted: [String]
        if arguments["all"] == "true" {
            wanted = offered
        } else {
            wanted = (arguments["services"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let unknown = wanted.filter { !offered.contains($0) }
            guard !wanted.isEmpty, unknown.isEmpty else {
                return ControlResponse(error: ControlError(
                    code: "malformed",
                    message: "queue-reset needs services, some of: \(offered.joined(separator: ", ")), or all"
                        + (unknown.isEmpty ? "" : "; no service \(unknown.joined(separator: ", "))")))
            }
        }
        let now = Date()
        let day = profile.queueDay(containing: now)
        do {
            let rounds = try await ledger.startNewRound(of: wanted, day: day, at: now)
            logger.notice("queue numbers reset by a technician", metadata: [
                "day": "\(day)", "services": "\(rounds.keys.sorted().map { "\($0):round\(rounds[$0]!)" }.joined(separator: ","))"])
            var report = QueueReport(day: day.description, tickets: try await ledger.tickets(on: day).map(Self.report))
            report.rounds = rounds
            return ControlResponse(queue: report)
        } catch {
            return ControlResponse(error: ControlError(code: "storage", message: error.detail))
        }
    }

    /// A number issued and printed at a technician's or counter clerk's request, exactly as a
    /// citizen's would be (the same ledger and printer).
    private func issueTicket(_ arguments: [String: String]) async -> ControlResponse {
        let profile = await state.profile
        let prefixes = profile.queue.services.map(\.prefix)
        guard let tickets, let prefix = arguments["service"], let service = profile.queue.services.first(where: { $0.prefix == prefix }) else {
            return ControlResponse(error: ControlError(code: "malformed",
                                                       message: "queue-issue needs the argument service, one of: \(prefixes.joined(separator: ", "))"))
        }
        var priority: PriorityClass?
        if let name = arguments["priority"] {
            guard let wanted = PriorityClass(rawValue: name), service.priorityClasses.contains(wanted) else {
                let offered = service.priorityClasses.map(\.rawValue).joined(separator: ", ")
                return ControlResponse(error: ControlError(code: "malformed",
                                                           message: "service \(prefix) has no priority line \(name); it has: \(offered.isEmpty ? "none" : offered)"))
            }
            priority = wanted
        }
        logger.info("ticket requested on the control socket", metadata: ["service": "\(prefix)"])
        switch await tickets.issue(prefix: prefix, priority: priority, language: .vietnamese) {
        case let .success((ticket, outcome)):
            var report = Self.report(TicketRecord(recordID: ticket.recordID, day: ticket.day.description, number: ticket.number,
                                                  priorityClass: ticket.priorityClass, issuedAt: ticket.issuedAt,
                                                  state: .printed, voidReason: nil, printedAt: nil, prints: 1))
            if case let .notPrinted(failure) = outcome {
                report.state = "void"
                report.voidReason = failure.rawValue
                report.prints = 0
            }
            return ControlResponse(queue: QueueReport(day: ticket.day.description, tickets: [report]))
        case let .failure(failure):
            return ControlResponse(error: ControlError(code: "failed", message: "no ticket issued: \(failure)"))
        }
    }

    /// A sample ticket (PNG) or receipt (PDF) drawn as the kiosk draws its own.
    private func preview(_ arguments: [String: String]) async -> ControlResponse {
        let profile = await state.profile
        let language = arguments["language"].flatMap(Language.init(rawValue:)) ?? profile.languages.defaultLanguage
        do {
            switch arguments["kind"] {
            case "ticket":
                let png = try SlipPreview.ticketPNG(profile: profile, language: language)
                return ControlResponse(preview: PreviewReport(kind: "ticket", mediaType: "image/png", base64: png.base64EncodedString()))
            case "receipt":
                let pdf = try SlipPreview.receiptPDF(profile: profile, language: language)
                return ControlResponse(preview: PreviewReport(kind: "receipt", mediaType: "application/pdf", base64: pdf.base64EncodedString()))
            default:
                return ControlResponse(error: ControlError(code: "malformed", message: "preview needs the argument kind: ticket or receipt"))
            }
        } catch {
            return ControlResponse(error: ControlError(code: "failed", message: "preview could not be drawn: \(error.detail)"))
        }
    }

    static func report(_ record: TicketRecord) -> QueueReport.Ticket {
        QueueReport.Ticket(number: record.number.code, service: record.number.prefix, lane: record.number.lane.rawValue,
                           priorityClass: record.priorityClass?.rawValue, state: record.state.rawValue, voidReason: record.voidReason,
                           issuedAt: ISO8601DateFormatter().string(from: record.issuedAt), prints: record.prints, round: record.round)
    }

    /// What `kioskctl status` shows; also what the metrics endpoint exports as gauges.
    func statusReport() async -> KioskStatusReport {
        let profile = await state.profile
        let devices = await state.devices
        let now = Date()
        let offering = KioskFunction.available(profile: profile, devices: devices, at: now, underMaintenance: await state.underMaintenance).map(\.rawValue)
        var ticketsToday: Int?
        if let ledger = tickets?.ticketLedger {
            let day = profile.queueDay(containing: now)
            ticketsToday = try? await ledger.tickets(on: day).count
        }
        return KioskStatusReport(
            kioskID: profile.identity.id, profilePath: await state.profilePath, underMaintenance: await state.underMaintenance,
            uptimeSeconds: Int(now.timeIntervalSince(state.startedAt)), version: version, offering: offering,
            devices: devices.map { KioskStatusReport.Device(kind: $0.kind.rawValue, state: $0.state.rawValue, paper: $0.paper?.rawValue,
                                                            identity: $0.identity, detail: $0.detail) },
            ticketsIssuedToday: ticketsToday, outbox: await outboxLine(now: now, timeZone: profile.timeZone),
            metricsURL: await state.metricsURL, metricsUnavailable: await state.metricsFault)
    }

    /// The outbox for `kioskctl status`: depth, oldest wait, the portal's last answer.
    private func outboxLine(now: Date, timeZone: TimeZone) async -> KioskStatusReport.OutboxLine? {
        guard let applications else { return nil }
        let lastAnswer = applications.lastPortalAnswer.map { Self.timestamp($0, timeZone) }
        guard let outbox = applications.outbox else {
            return .init(unavailable: applications.unavailableReason ?? "no outbox", pending: 0, refused: 0, oldestPendingAgeSeconds: nil,
                         lastPortalAnswerAt: lastAnswer, lastError: nil)
        }
        do {
            let summary = try await outbox.summary()
            return .init(unavailable: nil, pending: summary.pending, refused: summary.refused,
                         oldestPendingAgeSeconds: summary.oldestPendingAcceptedAt.map { max(0, Int(now.timeIntervalSince($0))) },
                         lastPortalAnswerAt: lastAnswer, lastError: summary.lastError)
        } catch {
            return .init(unavailable: "outbox unreadable: \(error.detail)", pending: 0, refused: 0, oldestPendingAgeSeconds: nil,
                         lastPortalAnswerAt: lastAnswer, lastError: nil)
        }
    }

    private func respond(_ connection: ControlSocket, _ response: ControlResponse) {
        guard let data = try? JSONEncoder().encode(response) else { return }
        try? connection.writeLine(data)
    }

    /// Root, or a process whose primary or supplementary groups include `group`.
    static func isAuthorised(uid: UInt32, gid: UInt32, pid: Int32, group: String) -> Bool {
        if uid == 0 { return true }
        guard let entry = getgrnam(group) else { return false }
        let groupID = entry.pointee.gr_gid
        if gid == groupID { return true }
        // The kernel's view of the peer's supplementary groups, as of now.
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Groups:") }) else { return false }
        return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).contains { UInt32($0) == groupID }
    }

    // MARK: - Applications

    private func outboxReport(_ arguments: [String: String]) async -> ControlResponse {
        guard let applications else { return ControlResponse(error: ControlError(code: "unavailable", message: "applications are not set up")) }
        guard let outbox = applications.outbox else {
            return ControlResponse(outbox: OutboxReport(unavailable: applications.unavailableReason ?? "no outbox", pending: 0, delivered: 0,
                                                        refused: 0, wiped: 0, oldestPendingAcceptedAt: nil, lastError: nil, applications: []))
        }
        let limit = arguments["limit"].flatMap(Int.init).map { min(max($0, 0), 1000) } ?? 20
        let stateFilter = arguments["state"].flatMap(OutboxState.init(rawValue:))
        if let name = arguments["state"], stateFilter == nil {
            return ControlResponse(error: ControlError(code: "malformed", message: "outbox --state: pending, delivered or refused, not '\(name)'"))
        }
        do {
            let summary = try await outbox.summary()
            let entries = try await outbox.recent(limit: limit, state: stateFilter)
            let timeZone = await state.profile.timeZone
            func time(_ date: Date?) -> String? { date.map { Self.timestamp($0, timeZone) } }
            return ControlResponse(outbox: OutboxReport(
                unavailable: nil, pending: summary.pending, delivered: summary.delivered, refused: summary.refused, wiped: summary.wiped,
                oldestPendingAcceptedAt: time(summary.oldestPendingAcceptedAt), lastError: summary.lastError,
                applications: entries.map {
                    .init(code: $0.kioskCode, procedure: $0.procedureCode, state: $0.state.rawValue, acceptedAt: Self.timestamp($0.acceptedAt, timeZone),
                          attempts: $0.attempts, nextAttemptAt: $0.state == .pending ? time($0.nextAttemptAt) : nil, lastError: $0.lastError,
                          portalCode: $0.portalCode, portalStatus: $0.portalStatus?.rawValue, wiped: $0.wipedAt != nil,
                          pages: $0.attachmentCount, bytes: $0.attachmentBytes)
                }))
        } catch {
            return ControlResponse(error: ControlError(code: "storage", message: error.detail))
        }
    }

    private func retryApplication(_ arguments: [String: String]) async -> ControlResponse {
        guard let code = arguments["code"], let outbox = applications?.outbox else {
            return ControlResponse(error: ControlError(code: "malformed", message: "outbox retry needs the argument code, and an outbox"))
        }
        do {
            guard try await outbox.retryNow(kioskCode: code, at: Date()) else {
                return ControlResponse(error: ControlError(code: "not-found", message: "no undelivered application has the code \(code)"))
            }
        } catch {
            return ControlResponse(error: ControlError(code: "storage", message: error.detail))
        }
        logger.notice("application retry requested by a technician", metadata: ["code": "\(code)"])
        applications?.forwarder?.wake()
        return await outboxReport(["limit": "5"])
    }

    /// An application filed for a citizen by staff (a paper form brought to the van or the counter,
    /// its page scanned elsewhere), or by a technician checking the whole path to the portal: the
    /// same outbox, receipt and forwarder as the menu's. Every field is checked as the menu checks it;
    /// the answer and the log carry the code only, never the applicant's data.
    private func fileApplication(_ arguments: [String: String]) async -> ControlResponse {
        func malformed(_ message: String) -> ControlResponse {
            ControlResponse(error: ControlError(code: "malformed", message: "application-file: \(message)"))
        }
        guard let applications else { return ControlResponse(error: ControlError(code: "unavailable", message: "applications are not set up")) }
        let profile = await state.profile
        let codes = profile.procedures.map(\.code)
        guard let procedure = arguments["procedure"], codes.contains(procedure) else {
            return malformed("the argument procedure must be one of: \(codes.isEmpty ? "none offered" : codes.joined(separator: ", "))")
        }
        let today = LocalDate.containing(Date(), timeZone: profile.timeZone)
        let citizenID: CitizenIDNumber
        do {
            citizenID = try CitizenIDNumber(validating: arguments["citizen_id"] ?? "", today: today)
        } catch {
            return malformed("citizen_id: \(error)")
        }
        var phone = ""
        if let typed = arguments["phone"], !typed.isEmpty {
            do {
                phone = try VietnamesePhoneNumber(validating: typed).digits
            } catch {
                return malformed("phone: \(error)")
            }
        }
        let delivery: DeliveryMethod
        if let name = arguments["delivery"] {
            guard let method = DeliveryMethod(rawValue: name) else { return malformed("delivery is counter or post, not '\(name)'") }
            delivery = method
        } else {
            delivery = .atCounter
        }
        let language = arguments["language"].flatMap(Language.init(rawValue:)) ?? profile.languages.defaultLanguage
        guard let base64 = arguments["page_jpeg"], let jpeg = Data(base64Encoded: base64) else {
            return malformed("page_jpeg must hold the page as base64 JPEG")
        }
        let page: EncodedPage
        do {
            page = try PageEncoder.page(fromJPEG: Array(jpeg), dotsPerInch: arguments["dpi"].flatMap(Int.init) ?? 200)
        } catch {
            return malformed(error.detail)
        }
        var draft = ApplicationDraft(procedureCode: procedure, citizenID: citizenID.digits, phone: phone)
        draft.delivery = delivery
        draft.scannedPages = 1
        switch await applications.submit(draft, pages: [page], profile: profile, language: language) {
        case let .success((code, receipt)):
            logger.info("application filed on the control socket", metadata: ["code": "\(code)", "procedure": "\(procedure)"])
            let printed: String = switch receipt {
            case .printed: "printed"
            case let .notPrinted(failure): failure.rawValue
            }
            return ControlResponse(application: ApplicationFiledReport(code: code, receipt: printed))
        case .failure(.storageFault):
            return ControlResponse(error: ControlError(code: "storage", message: "the application could not be recorded; see the daemon's log"))
        case let .failure(failure):
            return ControlResponse(error: ControlError(code: "failed", message: "the application was not taken: \(failure)"))
        }
    }

    static func lookUpReport(_ code: String, _ result: ApplicationLookUpResult) -> LookUpReport {
        let zone = TimeZone(identifier: KioskProfile.defaultTimeZoneIdentifier) ?? .current
        switch result {
        case let .status(progress, note, asOf, current):
            return LookUpReport(code: code, answer: "status", status: progress.rawValue, note: note, current: current,
                                asOf: timestamp(asOf, zone))
        case let .waitingToBeSent(acceptedAt):
            return LookUpReport(code: code, answer: "waiting-to-be-sent", status: nil, note: nil, current: nil, asOf: timestamp(acceptedAt, zone))
        case .notFound:
            return LookUpReport(code: code, answer: "not-found", status: nil, note: nil, current: nil, asOf: nil)
        case .cannotCheckNow:
            return LookUpReport(code: code, answer: "cannot-check-now", status: nil, note: nil, current: nil, asOf: nil)
        }
    }

    static func timestamp(_ date: Date, _ timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// Runs `operation` from a plain thread and waits for it: the bridge from a connection's thread to
/// the daemon's actors.
private func blockingAwait<Value: Sendable>(_ operation: @escaping @Sendable () async -> Value) -> Value {
    let box = AwaitedValue<Value>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await operation()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// The result carried from the task to the waiting thread in `blockingAwait`.
/// `@unchecked Sendable`: written once before the semaphore is signalled, read only after waiting on it.
private final class AwaitedValue<Value: Sendable>: @unchecked Sendable {
    var value: Value?

}
