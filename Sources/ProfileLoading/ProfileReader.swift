import Foundation
import KioskCore
import Yams

/// Walks a profile's node tree, building `KioskProfile` and collecting every diagnostic on the way,
/// so that a technician fixes all mistakes in one pass instead of one per restart.
final class ProfileReader {
    static let rootPath = "the profile"

    let file: String
    private(set) var diagnostics: [ProfileDiagnostic] = []
    /// Languages every localized text must fill in; read from `languages` before anything else.
    private var requiredLanguages: [Language] = [.vietnamese, .english]

    init(file: String) {
        self.file = file
    }

    func report(at mark: Mark?, _ problem: String, _ expected: String) {
        diagnostics.append(ProfileDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                             problem: problem, expected: expected))
    }

    // MARK: - The profile

    func readProfile(_ root: Node) -> KioskProfile? {
        guard let fields = fields(of: root, path: Self.rootPath,
                                  allowed: ["kiosk", "languages", "hours", "devices", "queue",
                                            "procedures", "portal", "privacy", "operations"],
                                  expected: "expected a mapping with the sections kiosk, devices, queue, procedures, privacy")
        else { return nil }

        let languages = fields.value("languages").flatMap { readLanguages($0, path: fields.path("languages")) }
            ?? LanguageSettings(defaultLanguage: .vietnamese, offered: [.vietnamese, .english], vietnameseVoice: .northern)
        requiredLanguages = languages.offered

        let kiosk = fields.required("kiosk", expected: "expected a kiosk section with id, name and location")
            .flatMap { readKiosk($0, path: fields.path("kiosk")) }
        let hours = fields.value("hours").map { readHours($0, path: fields.path("hours")) } ?? .always
        let devices = fields.required("devices", expected: "expected a devices section (audio and keypad at least)")
            .flatMap { readDevices($0, path: fields.path("devices")) }
        let queue = fields.value("queue").flatMap { readQueue($0, path: fields.path("queue")) }
            ?? QueueSettings(services: [], dayStartsAt: ClockTime(hour: 0, minute: 0)!)
        let procedures = fields.value("procedures").map { readProcedures($0, path: fields.path("procedures")) } ?? []
        let portal = fields.value("portal").flatMap { readPortal($0, path: fields.path("portal")) }
        let privacy = fields.required("privacy", expected: "expected a privacy section with inactivity_timeout_seconds and retention_delivered_days")
            .flatMap { readPrivacy($0, path: fields.path("privacy")) }

        if !procedures.isEmpty, portal == nil, fields.value("portal") == nil {
            report(at: fields.value("procedures")?.mark,
                   "procedures are offered but the profile has no portal section",
                   "expected a portal section telling where applications are forwarded")
        }

        // Applications carry personal data and a printed code: both need what only these give.
        if !procedures.isEmpty, let kioskNode = fields.value("kiosk"), kiosk != nil, kiosk?.0.number == nil {
            report(at: kioskNode.mark, "procedures are offered but the kiosk has no number",
                   "expected kiosk.number, the five-digit number that begins every application code, such as \"00417\"")
        }
        if !procedures.isEmpty, let privacyNode = fields.value("privacy"), let privacy, privacy.encryptionKeySource == nil {
            report(at: privacyNode.mark, "procedures are offered but no key encrypts applications at rest",
                   "expected privacy.encryption_key_file (a 0600 file of 32 bytes) or privacy.encryption_key_credential")
        }

        let operations = fields.value("operations").map { readOperations($0, path: fields.path("operations")) } ?? OperationsSettings()

        guard let (identity, timeZone) = kiosk, let devices, let privacy else { return nil }
        return KioskProfile(identity: identity, timeZone: timeZone, languages: languages, hours: hours,
                            devices: devices, queue: queue, procedures: procedures, portal: portal, privacy: privacy,
                            operations: operations)
    }

    // MARK: - kiosk, languages

    private func readKiosk(_ node: Node, path: String) -> (KioskIdentity, TimeZone)? {
        guard let fields = fields(of: node, path: path, allowed: ["id", "number", "name", "location", "timezone"],
                                  expected: "expected a mapping with id, name, location and optionally number and timezone")
        else { return nil }
        let id = fields.required("id", expected: "expected a kiosk id such as hn-hoankiem-sm-01").flatMap { node -> String? in
            guard let text = string(node, path: fields.path("id"), expected: "expected a kiosk id such as hn-hoankiem-sm-01")
            else { return nil }
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-")
            guard text.count <= 64, text.unicodeScalars.allSatisfy(allowed.contains), text.first != "-" else {
                report(at: node.mark, "kiosk id '\(text)' has characters other than lowercase letters, digits and dashes",
                       "expected lowercase ASCII letters, digits and dashes, at most 64, such as hn-hoankiem-sm-01")
                return nil
            }
            return text
        }
        let name = fields.required("name", expected: "expected the kiosk's name in each offered language")
            .flatMap { localizedText($0, path: fields.path("name")) }
        let location = fields.required("location", expected: "expected the kiosk's address in each offered language")
            .flatMap { localizedText($0, path: fields.path("location")) }
        var timeZone = TimeZone(identifier: KioskProfile.defaultTimeZoneIdentifier)
        if let zoneNode = fields.value("timezone"),
           let zoneName = string(zoneNode, path: fields.path("timezone"), expected: "expected an IANA timezone such as Asia/Ho_Chi_Minh") {
            timeZone = TimeZone(identifier: zoneName)
            if timeZone == nil || !zoneName.contains("/") && zoneName != "UTC" {
                timeZone = nil
                report(at: zoneNode.mark, "unknown timezone '\(zoneName)'", "expected an IANA timezone such as Asia/Ho_Chi_Minh")
            }
        }
        var number: String?
        if let numberNode = fields.value("number"),
           let text = string(numberNode, path: fields.path("number"), expected: "expected the kiosk's five-digit number such as \"00417\"") {
            if text.count == KioskIdentity.numberLength, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
                number = text
            } else {
                report(at: numberNode.mark, "kiosk number '\(text)' is not \(KioskIdentity.numberLength) digits",
                       "expected the kiosk's five-digit number in quotes, such as \"00417\"")
            }
        }
        guard let id, let name, let location, let timeZone else { return nil }
        return (KioskIdentity(id: id, name: name, location: location, number: number), timeZone)
    }

    private func readLanguages(_ node: Node, path: String) -> LanguageSettings? {
        guard let fields = fields(of: node, path: path, allowed: ["default", "offered", "vietnamese_voice"],
                                  expected: "expected a mapping with default, offered and optionally vietnamese_voice")
        else { return nil }
        var offered: [Language] = [.vietnamese, .english]
        if let offeredNode = fields.value("offered"), let items = sequence(offeredNode, path: fields.path("offered"),
                                                                           expected: "expected a list of languages such as [vi, en]") {
            var seen: [Language] = []
            for item in items {
                guard let language = choice(item, of: Language.self, path: fields.path("offered"), what: "language") else { continue }
                if seen.contains(language) {
                    report(at: item.mark, "language '\(language.rawValue)' is offered twice", "expected each language once")
                } else {
                    seen.append(language)
                }
            }
            if !seen.contains(.vietnamese), items.count == seen.count {
                report(at: offeredNode.mark, "Vietnamese is not offered",
                       "expected vi among the offered languages: every kiosk must serve in Vietnamese")
            }
            offered = seen
        }
        var defaultLanguage = Language.vietnamese
        if let defaultNode = fields.value("default"),
           let language = choice(defaultNode, of: Language.self, path: fields.path("default"), what: "language") {
            if !offered.contains(language) {
                report(at: defaultNode.mark, "default language '\(language.rawValue)' is not among the offered languages",
                       "expected one of: \(offered.map(\.rawValue).joined(separator: ", "))")
            }
            defaultLanguage = language
        }
        let voice = fields.value("vietnamese_voice").flatMap {
            choice($0, of: VietnameseVoice.self, path: fields.path("vietnamese_voice"), what: "Vietnamese voice")
        } ?? .northern
        return LanguageSettings(defaultLanguage: defaultLanguage, offered: offered.isEmpty ? [.vietnamese] : offered,
                                vietnameseVoice: voice)
    }

    // MARK: - hours

    private func readHours(_ node: Node, path: String) -> OpeningHours {
        guard let fields = fields(of: node, path: path, allowed: ["weekly", "closed_dates"],
                                  expected: "expected a mapping with weekly and optionally closed_dates")
        else { return .always }
        var periods: [Weekday: [OpeningPeriod]] = [:]
        if let weeklyNode = fields.required("weekly", expected: "expected opening periods per weekday, such as mon: [\"07:30-11:30\"]"),
           let weekly = self.fields(of: weeklyNode, path: fields.path("weekly"), allowed: Weekday.allCases.map(\.rawValue),
                                    expected: "expected weekdays mon…sun, each with a list of \"HH:MM-HH:MM\" periods") {
            for day in Weekday.allCases {
                guard let dayNode = weekly.value(day.rawValue) else { continue }
                periods[day] = readPeriods(dayNode, path: weekly.path(day.rawValue))
            }
        }
        var closedDates = Set<LocalDate>()
        if let datesNode = fields.value("closed_dates"),
           let items = sequence(datesNode, path: fields.path("closed_dates"), expected: "expected a list of dates YYYY-MM-DD") {
            for item in items {
                guard let text = string(item, path: fields.path("closed_dates"), expected: "expected a date YYYY-MM-DD") else { continue }
                if let date = LocalDate(parsing: text) {
                    closedDates.insert(date)
                } else {
                    report(at: item.mark, "'\(text)' is not a date that exists", "expected a calendar date YYYY-MM-DD such as 2026-09-02")
                }
            }
        }
        return OpeningHours(periods: periods, closedDates: closedDates)
    }

    private func readPeriods(_ node: Node, path: String) -> [OpeningPeriod] {
        let expected = "expected periods \"HH:MM-HH:MM\" with the opening before the closing, between 00:00 and 24:00"
        guard let items = sequence(node, path: path, expected: "expected a list of \"HH:MM-HH:MM\" periods (an empty list for a closed day)")
        else { return [] }
        var periods: [OpeningPeriod] = []
        for item in items {
            guard let text = string(item, path: path, expected: expected) else { continue }
            let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let open = ClockTime(parsing: ends[0]), let close = ClockTime(parsing: ends[1]) else {
                report(at: item.mark, "'\(text)' is not an opening period of real clock times in \(path)", expected)
                continue
            }
            guard open < close else {
                report(at: item.mark, "period '\(text)' closes before it opens in \(path)", expected)
                continue
            }
            let period = OpeningPeriod(open: open, close: close)
            if let clash = periods.first(where: { $0.overlaps(period) }) {
                report(at: item.mark, "period '\(text)' overlaps \(clash.open)-\(clash.close) in \(path)",
                       "expected periods of one day that do not overlap")
                continue
            }
            periods.append(period)
        }
        return periods.sorted { $0.open < $1.open }
    }

    // MARK: - devices

    private func readDevices(_ node: Node, path: String) -> DeviceSettings? {
        guard let fields = fields(of: node, path: path,
                                  allowed: ["scanner", "receipt_printer", "ticket_printer", "audio", "keypad"],
                                  expected: "expected a mapping with audio, keypad and optionally scanner, receipt_printer, ticket_printer")
        else { return nil }
        let scanner = fields.value("scanner").flatMap { readScanner($0, path: fields.path("scanner")) }
        let receipt = fields.value("receipt_printer").flatMap { readReceiptPrinter($0, path: fields.path("receipt_printer")) }
        let ticket = fields.value("ticket_printer").flatMap { readTicketPrinter($0, path: fields.path("ticket_printer")) }
        let audio = fields.required("audio", expected: "expected an audio section: every screen is spoken")
            .flatMap { readAudio($0, path: fields.path("audio")) }
        let keypad = fields.required("keypad", expected: "expected a keypad section: the citizen needs keys")
            .flatMap { readKeypad($0, path: fields.path("keypad")) }
        guard let audio, let keypad else { return nil }
        return DeviceSettings(scanner: scanner, receiptPrinter: receipt, ticketPrinter: ticket, audio: audio, keypad: keypad)
    }

    private func readScanner(_ node: Node, path: String) -> ScannerSettings? {
        guard let fields = fields(of: node, path: path,
                                  allowed: ["device", "source", "mode", "resolution_dpi", "page_size", "options", "answer_timeout_seconds"],
                                  expected: "expected a mapping with device, source, mode, resolution_dpi, page_size and optionally options, answer_timeout_seconds")
        else { return nil }
        let device = fields.value("device").flatMap {
            string($0, path: fields.path("device"), expected: "expected a SANE device name such as test:0")
        }
        let source = fields.value("source").flatMap { choice($0, of: ScanSource.self, path: fields.path("source"), what: "scan source") } ?? .flatbed
        let mode = fields.value("mode").flatMap { choice($0, of: ScanMode.self, path: fields.path("mode"), what: "scan mode") } ?? .gray
        let dpi = fields.value("resolution_dpi").flatMap {
            integer($0, path: fields.path("resolution_dpi"), in: 75...1200, expected: "expected a resolution in dots per inch from 75 to 1200")
        } ?? 200
        let pageSize = fields.value("page_size").flatMap { choice($0, of: PageSize.self, path: fields.path("page_size"), what: "page size") } ?? .a4
        let options = fields.value("options").map { backendOptions($0, path: fields.path("options")) } ?? [:]
        let answerTimeout = fields.value("answer_timeout_seconds").flatMap {
            integer($0, path: fields.path("answer_timeout_seconds"), in: 2...600, expected: "expected seconds from 2 to 600")
        } ?? 60
        return ScannerSettings(deviceName: device, source: source, mode: mode, resolutionDPI: dpi, pageSize: pageSize,
                               backendOptions: options, answerTimeoutSeconds: answerTimeout)
    }

    /// Backend-specific SANE options: option names to plain values (the scanner checks them when it opens).
    private func backendOptions(_ node: Node, path: String) -> [String: String] {
        guard case let .mapping(mapping) = node else {
            report(at: node.mark, "\(path) is \(describe(node))", "expected a mapping of SANE option names to values, such as swcrop: true")
            return [:]
        }
        var options: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, !name.isEmpty else {
                report(at: key.mark, "a key in \(path) is \(describe(key))", "expected SANE option names")
                continue
            }
            if let text = string(value, path: "\(path).\(name)", expected: "expected a plain value for the SANE option \(name)") {
                options[name] = text
            }
        }
        return options
    }

    private func readReceiptPrinter(_ node: Node, path: String) -> ReceiptPrinterSettings? {
        guard let fields = fields(of: node, path: path, allowed: ["cups_queue", "roll_width_mm", "stale_job_seconds"],
                                  expected: "expected a mapping with cups_queue, roll_width_mm and optionally stale_job_seconds")
        else { return nil }
        let queue = fields.required("cups_queue", expected: "expected the name of the CUPS queue that prints receipts")
            .flatMap { string($0, path: fields.path("cups_queue"), expected: "expected a CUPS queue name such as receipt") }
        var width: Int?
        if let widthNode = fields.required("roll_width_mm", expected: "expected the paper roll width: 58 or 80"),
           let value = integer(widthNode, path: fields.path("roll_width_mm"), in: 0...1000, expected: "expected a roll width of 58 or 80 millimetres") {
            if [58, 80].contains(value) {
                width = value
            } else {
                report(at: widthNode.mark, "roll width \(value) mm is not a receipt roll size", "expected 58 or 80")
            }
        }
        let stale = fields.value("stale_job_seconds").flatMap {
            integer($0, path: fields.path("stale_job_seconds"), in: 5...3600, expected: "expected seconds from 5 to 3600")
        } ?? 120
        guard let queue, let width else { return nil }
        return ReceiptPrinterSettings(cupsQueue: queue, rollWidthMillimetres: width, staleJobSeconds: stale)
    }

    private func readTicketPrinter(_ node: Node, path: String) -> TicketPrinterSettings? {
        guard let fields = fields(of: node, path: path,
                                  allowed: ["usb", "interface", "endpoint_out", "endpoint_in", "dots_per_line"],
                                  expected: "expected a mapping with usb and optionally interface, endpoint_out, endpoint_in, dots_per_line")
        else { return nil }
        var usbID: USBDeviceID?
        if let usbNode = fields.required("usb", expected: "expected the printer's USB vendor:product in hexadecimal, such as 04b8:0e02"),
           let text = string(usbNode, path: fields.path("usb"), expected: "expected vendor:product such as 04b8:0e02") {
            usbID = USBDeviceID(parsing: text)
            if usbID == nil {
                report(at: usbNode.mark, "'\(text)' is not a USB vendor:product pair", "expected four hexadecimal digits, a colon and four more, such as 04b8:0e02")
            }
        }
        let interface = fields.value("interface").flatMap {
            integer($0, path: fields.path("interface"), in: 0...31, expected: "expected a USB interface number from 0 to 31")
        } ?? 0
        let outEndpoint = fields.value("endpoint_out").flatMap {
            integer($0, path: fields.path("endpoint_out"), in: 0x01...0x0f, expected: "expected a bulk OUT endpoint address from 0x01 to 0x0f")
        } ?? 0x01
        let inEndpoint = fields.value("endpoint_in").flatMap {
            integer($0, path: fields.path("endpoint_in"), in: 0x81...0x8f, expected: "expected a bulk IN endpoint address from 0x81 to 0x8f")
        } ?? 0x82
        var dots = 576
        if let dotsNode = fields.value("dots_per_line"),
           let value = integer(dotsNode, path: fields.path("dots_per_line"), in: 0...4096, expected: "expected 384 (58 mm) or 576 (80 mm)") {
            if [384, 576].contains(value) {
                dots = value
            } else {
                report(at: dotsNode.mark, "\(value) dots per line is not a thermal head width", "expected 384 (58 mm) or 576 (80 mm)")
            }
        }
        guard let usbID else { return nil }
        return TicketPrinterSettings(usbID: usbID, interfaceNumber: interface, bulkOutEndpoint: UInt8(outEndpoint),
                                     bulkInEndpoint: UInt8(inEndpoint), dotsPerLine: dots)
    }

    private func readAudio(_ node: Node, path: String) -> AudioSettings? {
        guard let fields = fields(of: node, path: path,
                                  allowed: ["output", "alsa_device", "wav_directory", "default_volume",
                                            "default_rate_wpm", "private_listening"],
                                  expected: "expected a mapping with output and its alsa_device or wav_directory")
        else { return nil }
        var output: AudioOutput?
        if let outputNode = fields.required("output", expected: "expected output: alsa or wav"),
           let kind = string(outputNode, path: fields.path("output"), expected: "expected alsa or wav") {
            switch kind {
            case "alsa":
                let device = fields.value("alsa_device").flatMap {
                    string($0, path: fields.path("alsa_device"), expected: "expected an ALSA device name such as default")
                } ?? "default"
                output = .alsa(device: device)
            case "wav":
                if let directory = fields.required("wav_directory", expected: "expected the folder WAV files are written to when output is wav")
                    .flatMap({ string($0, path: fields.path("wav_directory"), expected: "expected a folder path") }) {
                    output = .wavDirectory(directory)
                }
            default:
                report(at: outputNode.mark, "unknown audio output '\(kind)' in \(fields.path("output"))", "expected one of: alsa, wav")
            }
        }
        let volume = fields.value("default_volume").flatMap {
            integer($0, path: fields.path("default_volume"), in: 10...100, expected: "expected a volume from 10 to 100 (silence would leave a blind citizen without the menu)")
        } ?? 70
        let rate = fields.value("default_rate_wpm").flatMap {
            integer($0, path: fields.path("default_rate_wpm"), in: 80...300, expected: "expected words per minute from 80 to 300")
        } ?? 150
        let privateListening = fields.value("private_listening").flatMap {
            boolean($0, path: fields.path("private_listening"))
        } ?? false
        guard let output else { return nil }
        return AudioSettings(output: output, defaultVolume: volume, defaultRateWordsPerMinute: rate, privateListening: privateListening)
    }

    private func readKeypad(_ node: Node, path: String) -> KeypadSettings? {
        guard let fields = fields(of: node, path: path, allowed: ["input", "device", "keys"],
                                  expected: "expected a mapping with input and optionally device and keys")
        else { return nil }
        var input: KeypadInput?
        if let inputNode = fields.required("input", expected: "expected input: terminal or evdev"),
           let kind = string(inputNode, path: fields.path("input"), expected: "expected terminal or evdev") {
            switch kind {
            case "terminal":
                input = .terminal
            case "evdev":
                if let device = fields.required("device", expected: "expected the input device path when input is evdev, such as /dev/kiosk/keypad")
                    .flatMap({ string($0, path: fields.path("device"), expected: "expected a device path") }) {
                    input = .evdev(devicePath: device)
                }
            default:
                report(at: inputNode.mark, "unknown keypad input '\(kind)' in \(fields.path("input"))", "expected one of: terminal, evdev")
            }
        }
        // The profile's keys override the defaults of its kind of keypad.
        var keyMap: KeyMap = if case .evdev = input { .evdevDefault } else { .terminalDefault }
        if let keysNode = fields.value("keys"),
           let keys = self.fields(of: keysNode, path: fields.path("keys"), allowed: KeypadAction.allCases.map(\.rawValue),
                                  expected: "expected actions (0-9, confirm, repeat, back, help, volume_up, volume_down, language) mapped to keys") {
            var boundBy: [String: (KeypadAction, Mark?)] = [:]
            for (action, key) in keyMap.keys { boundBy[key] = (action, nil) }
            for action in KeypadAction.allCases {
                guard let keyNode = keys.value(action.rawValue),
                      let key = string(keyNode, path: keys.path(action.rawValue), expected: "expected a key name such as # or KEY_KPENTER")
                else { continue }
                if let previous = keyMap.keys[action] { boundBy[previous] = nil }
                if let (other, _) = boundBy[key], other != action {
                    report(at: keyNode.mark, "key '\(key)' is bound to both \(other.rawValue) and \(action.rawValue)",
                           "expected each key to do one thing")
                    continue
                }
                keyMap.keys[action] = key
                boundBy[key] = (action, keyNode.mark)
            }
        }
        guard let input else { return nil }
        return KeypadSettings(input: input, keyMap: keyMap)
    }

    // MARK: - queue, procedures

    private func readQueue(_ node: Node, path: String) -> QueueSettings? {
        guard let fields = fields(of: node, path: path, allowed: ["day_starts_at", "services"],
                                  expected: "expected a mapping with services and optionally day_starts_at")
        else { return nil }
        var dayStart = ClockTime(hour: 0, minute: 0)!
        if let startNode = fields.value("day_starts_at"),
           let text = string(startNode, path: fields.path("day_starts_at"), expected: "expected a time HH:MM") {
            if let time = ClockTime(parsing: text), time.minutesSinceMidnight < 24 * 60 {
                dayStart = time
            } else {
                report(at: startNode.mark, "'\(text)' is not a clock time", "expected a time from 00:00 to 23:59")
            }
        }
        var services: [QueueService] = []
        var prefixMarks: [String: Mark?] = [:]
        if let servicesNode = fields.required("services", expected: "expected a list of queue services"),
           let items = sequence(servicesNode, path: fields.path("services"), expected: "expected a list of queue services") {
            for (index, item) in items.enumerated() {
                let itemPath = "\(fields.path("services"))[\(index)]"
                guard let service = self.fields(of: item, path: itemPath, allowed: ["prefix", "name", "priority"],
                                           expected: "expected a service with prefix, name and optionally priority")
                else { continue }
                var prefix: String?
                if let prefixNode = service.required("prefix", expected: "expected a ticket prefix of one or two capital letters"),
                   let text = string(prefixNode, path: service.path("prefix"), expected: "expected one or two capital letters such as A") {
                    if text.count <= 2, !text.isEmpty, text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
                        if let firstMark = prefixMarks[text] {
                            report(at: prefixNode.mark,
                                   "service prefix '\(text)' is already used at line \(firstMark?.line ?? 0)",
                                   "expected a different prefix for each service, so every ticket number names one queue")
                        } else {
                            prefixMarks[text] = prefixNode.mark
                            prefix = text
                        }
                    } else {
                        report(at: prefixNode.mark, "ticket prefix '\(text)' is not one or two capital letters",
                               "expected one or two capital letters A-Z such as A or CS")
                    }
                }
                let name = service.required("name", expected: "expected the service's name in each offered language")
                    .flatMap { localizedText($0, path: service.path("name")) }
                var priorities: [PriorityClass] = []
                if let priorityNode = service.value("priority"),
                   let classes = sequence(priorityNode, path: service.path("priority"), expected: "expected a list of priority classes") {
                    priorities = classes.compactMap { choice($0, of: PriorityClass.self, path: service.path("priority"), what: "priority class") }
                }
                if let prefix, let name {
                    services.append(QueueService(prefix: prefix, name: name, priorityClasses: priorities))
                }
            }
        }
        // A priority ticket is the prefix plus U (AU007): no other service may use that as its prefix.
        for service in services where !service.priorityClasses.isEmpty {
            let priorityPrefix = service.prefix + TicketLane.priorityMarker
            if services.contains(where: { $0.prefix == priorityPrefix }), let mark = prefixMarks[priorityPrefix] {
                report(at: mark, "service prefix '\(priorityPrefix)' is the priority line of service '\(service.prefix)' (its numbers are \(priorityPrefix)001…)",
                       "expected a prefix that is not another service's prefix followed by U")
            }
        }
        if services.count > 9, let servicesNode = fields.value("services") {
            report(at: servicesNode.mark, "\(services.count) queue services are more than the keypad's digits 1-9 can choose",
                   "expected at most 9 services")
        }
        return QueueSettings(services: services, dayStartsAt: dayStart)
    }

    private func readProcedures(_ node: Node, path: String) -> [Procedure] {
        guard let items = sequence(node, path: path, expected: "expected a list of procedures") else { return [] }
        var procedures: [Procedure] = []
        var codeMarks: [String: Mark?] = [:]
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let fields = fields(of: item, path: itemPath,
                                      allowed: ["code", "name", "documents", "fields", "processing_days", "fee_dong"],
                                      expected: "expected a procedure with code, name, documents and fields")
            else { continue }
            var code: String?
            if let codeNode = fields.required("code", expected: "expected the national procedure code such as 1.001193"),
               let text = string(codeNode, path: fields.path("code"), expected: "expected a procedure code such as 1.001193") {
                if Self.isProcedureCode(text) {
                    if let firstMark = codeMarks[text] {
                        report(at: codeNode.mark, "procedure code '\(text)' is already listed at line \(firstMark?.line ?? 0)",
                               "expected each procedure once")
                    } else {
                        codeMarks[text] = codeNode.mark
                        code = text
                    }
                } else {
                    report(at: codeNode.mark, "'\(text)' is not a national procedure code",
                           "expected a digit, a dot and six digits, such as 1.001193 (quote it so YAML keeps it text)")
                }
            }
            let name = fields.required("name", expected: "expected the procedure's name in each offered language")
                .flatMap { localizedText($0, path: fields.path("name")) }
            var documents: [LocalizedText] = []
            if let documentsNode = fields.value("documents"),
               let list = sequence(documentsNode, path: fields.path("documents"), expected: "expected a list of required documents") {
                documents = list.compactMap { localizedText($0, path: fields.path("documents")) }
            }
            var collected: [ApplicationField] = []
            if let fieldsNode = fields.required("fields", expected: "expected the fields this procedure collects, such as [citizen_id, phone]"),
               let list = sequence(fieldsNode, path: fields.path("fields"), expected: "expected a list of fields") {
                for fieldNode in list {
                    guard let field = choice(fieldNode, of: ApplicationField.self, path: fields.path("fields"), what: "application field") else { continue }
                    if collected.contains(field) {
                        report(at: fieldNode.mark, "field '\(field.rawValue)' is listed twice", "expected each field once")
                    } else {
                        collected.append(field)
                    }
                }
            }
            let days = fields.value("processing_days").flatMap {
                integer($0, path: fields.path("processing_days"), in: 0...365, expected: "expected working days from 0 to 365")
            }
            let fee = fields.value("fee_dong").flatMap {
                integer($0, path: fields.path("fee_dong"), in: 0...100_000_000, expected: "expected a fee in đồng from 0 to 100000000")
            }
            if let code, let name {
                procedures.append(Procedure(code: code, name: name, requiredDocuments: documents, fields: collected,
                                            processingDays: days, feeDong: fee))
            }
        }
        if procedures.count > 9 {
            report(at: node.mark, "\(procedures.count) procedures are more than the keypad's digits 1-9 can choose",
                   "expected at most 9 procedures")
        }
        return procedures
    }

    static func isProcedureCode(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].count == 1 && parts[1].count == 6
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    // MARK: - portal, privacy

    private func readPortal(_ node: Node, path: String) -> PortalSettings? {
        guard let fields = fields(of: node, path: path,
                                  allowed: ["base_url", "ca_file", "client_certificate", "client_key",
                                            "connect_timeout_seconds", "request_timeout_seconds", "status_refresh_seconds"],
                                  expected: "expected a mapping with base_url and optionally ca_file, client_certificate, client_key, timeouts and status_refresh_seconds")
        else { return nil }
        var baseURL: URL?
        if let urlNode = fields.required("base_url", expected: "expected the portal adapter's https:// address"),
           let text = string(urlNode, path: fields.path("base_url"), expected: "expected an http:// or https:// address") {
            if let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), !(url.host ?? "").isEmpty {
                baseURL = url
            } else {
                report(at: urlNode.mark, "'\(text)' is not an http(s) address", "expected an address such as https://portal.example.gov.vn/api/v1")
            }
        }
        let optionalPath: (String) -> String? = { key in
            fields.value(key).flatMap { self.string($0, path: fields.path(key), expected: "expected a file path") }
        }
        let certificate = optionalPath("client_certificate")
        let key = optionalPath("client_key")
        if (certificate == nil) != (key == nil), fields.value("client_certificate") != nil || fields.value("client_key") != nil {
            report(at: node.mark, "\(path) has a client certificate without its key, or a key without its certificate",
                   "expected both client_certificate and client_key, or neither")
        }
        let connect = fields.value("connect_timeout_seconds").flatMap {
            integer($0, path: fields.path("connect_timeout_seconds"), in: 1...300, expected: "expected seconds from 1 to 300")
        } ?? 10
        let request = fields.value("request_timeout_seconds").flatMap {
            integer($0, path: fields.path("request_timeout_seconds"), in: 1...600, expected: "expected seconds from 1 to 600")
        } ?? 30
        let refresh = fields.value("status_refresh_seconds").flatMap { node -> Int? in
            let (refreshPath, expected) = (fields.path("status_refresh_seconds"), "expected 0 (never) or seconds from 5 to 86400")
            guard let seconds = integer(node, path: refreshPath, in: 0...86_400, expected: expected) else { return nil }
            // 1–4 s is in range for `integer` but would have the kiosk hammer the portal.
            guard seconds == 0 || seconds >= 5 else {
                report(at: node.mark, "\(refreshPath) is \(seconds) s, too often to ask the portal", expected)
                return nil
            }
            return seconds
        } ?? 1800
        guard let baseURL else { return nil }
        return PortalSettings(baseURL: baseURL, caFile: optionalPath("ca_file"), clientCertificate: certificate, clientKey: key,
                              connectTimeoutSeconds: connect, requestTimeoutSeconds: request, statusRefreshSeconds: refresh)
    }

    private func readPrivacy(_ node: Node, path: String) -> PrivacySettings? {
        guard let fields = fields(of: node, path: path,
                                  allowed: ["inactivity_timeout_seconds", "more_time_answer_seconds", "retention_delivered_days",
                                            "encryption_key_file", "encryption_key_credential"],
                                  expected: "expected a mapping with inactivity_timeout_seconds, retention_delivered_days and an encryption key source")
        else { return nil }
        let timeout = fields.required("inactivity_timeout_seconds", expected: "expected seconds of inactivity before the kiosk asks whether more time is needed")
            .flatMap { integer($0, path: fields.path("inactivity_timeout_seconds"), in: 15...600, expected: "expected seconds from 15 to 600") }
        let answer = fields.value("more_time_answer_seconds").flatMap {
            integer($0, path: fields.path("more_time_answer_seconds"), in: 10...120, expected: "expected seconds from 10 to 120")
        } ?? 30
        let retention = fields.required("retention_delivered_days", expected: "expected days a delivered application is kept before it is wiped")
            .flatMap { integer($0, path: fields.path("retention_delivered_days"), in: 0...3650, expected: "expected days from 0 to 3650") }
        let keyFile = fields.value("encryption_key_file").flatMap {
            string($0, path: fields.path("encryption_key_file"), expected: "expected the path of a 0600 key file")
        }
        let credential = fields.value("encryption_key_credential").flatMap {
            string($0, path: fields.path("encryption_key_credential"), expected: "expected a systemd credential name")
        }
        var source: EncryptionKeySource?
        switch (keyFile, credential) {
        case let (file?, nil): source = .file(file)
        case let (nil, name?): source = .systemdCredential(name)
        case (.some, .some):
            report(at: fields.value("encryption_key_credential")?.mark, "\(path) names both a key file and a systemd credential",
                   "expected exactly one of encryption_key_file, encryption_key_credential")
        case (nil, nil): source = nil
        }
        guard let timeout, let retention else { return nil }
        return PrivacySettings(inactivityTimeoutSeconds: timeout, moreTimeAnswerSeconds: answer, retentionDeliveredDays: retention,
                               encryptionKeySource: source)
    }

    private func readOperations(_ node: Node, path: String) -> OperationsSettings {
        guard let fields = fields(of: node, path: path, allowed: ["control_group", "metrics_listen", "offered_during_maintenance"],
                                  expected: "expected a mapping with control_group, metrics_listen, offered_during_maintenance")
        else { return OperationsSettings() }
        var settings = OperationsSettings()
        if let group = fields.value("control_group").flatMap({
            string($0, path: fields.path("control_group"), expected: "expected the Unix group whose members may use kioskctl")
        }) {
            settings.controlGroup = group
        }
        if let node = fields.value("metrics_listen") {
            let expected = "expected a loopback address and port for the Prometheus endpoint, such as 127.0.0.1:9464 or [::1]:9464"
            if let text = string(node, path: fields.path("metrics_listen"), expected: expected) {
                if let address = LoopbackAddress(text) {
                    settings.metricsListen = address
                } else {
                    report(at: node.mark, "\(fields.path("metrics_listen")) is \"\(text)\"", expected)
                }
            }
        }
        if let node = fields.value("offered_during_maintenance") {
            let names = KioskFunction.allCases.filter { $0 != .help }.map(\.rawValue)
            let expected = "expected a list of functions citizens keep during maintenance, from: \(names.joined(separator: ", "))"
            let listPath = fields.path("offered_during_maintenance")
            for (index, item) in (sequence(node, path: listPath, expected: expected) ?? []).enumerated() {
                guard let name = string(item, path: "\(listPath)[\(index)]", expected: expected) else { continue }
                if let function = KioskFunction(rawValue: name), function != .help {
                    settings.offeredDuringMaintenance.append(function)
                } else {
                    report(at: item.mark, "\(listPath)[\(index)] is \"\(name)\"", expected)
                }
            }
        }
        return settings
    }

    // MARK: - Typed values

    /// The node as a mapping whose keys are all in `allowed`; unknown keys are reported with a hint.
    func fields(of node: Node, path: String, allowed: [String], expected: String) -> YAMLFields? {
        guard case let .mapping(mapping) = node else {
            report(at: node.mark, "\(path) is \(describe(node))", expected)
            return nil
        }
        for (key, _) in mapping {
            guard let name = key.string, case .scalar = key else {
                report(at: key.mark, "a key in \(path) is \(describe(key))", "expected plain text keys")
                continue
            }
            if !allowed.contains(name) {
                let hint = closestKey(to: name, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                let where_ = path == Self.rootPath ? "at the top level" : "in \(path)"
                report(at: key.mark, "unknown key '\(name)' \(where_)\(hint)",
                       "expected one of: \(allowed.joined(separator: ", "))")
            }
        }
        return YAMLFields(path: path, mapping: mapping, reader: self)
    }

    func sequence(_ node: Node, path: String, expected: String) -> [Node]? {
        guard case let .sequence(items) = node else {
            report(at: node.mark, "\(path) is \(describe(node))", expected)
            return nil
        }
        return Array(items)
    }

    /// A non-empty text scalar.
    func string(_ node: Node, path: String, expected: String) -> String? {
        guard case let .scalar(scalar) = node else {
            report(at: node.mark, "\(path) is \(describe(node))", expected)
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !Self.isNull(scalar) else {
            report(at: node.mark, "\(path) is empty", expected)
            return nil
        }
        return text
    }

    /// A whole number, decimal or 0x-hexadecimal, within `range`.
    func integer(_ node: Node, path: String, in range: ClosedRange<Int>, expected: String) -> Int? {
        guard let text = string(node, path: path, expected: expected) else { return nil }
        let value: Int? = text.lowercased().hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let value else {
            report(at: node.mark, "'\(text)' is not a whole number in \(path)", expected)
            return nil
        }
        guard range.contains(value) else {
            report(at: node.mark, "\(value) is out of range in \(path)", expected)
            return nil
        }
        return value
    }

    func boolean(_ node: Node, path: String) -> Bool? {
        guard let text = string(node, path: path, expected: "expected true or false") else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            report(at: node.mark, "'\(text)' is not true or false in \(path)", "expected true or false")
            return nil
        }
    }

    /// One of an enumeration's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, of _: Choice.Type, path: String, what: String) -> Choice?
    where Choice.RawValue == String {
        let options = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = string(node, path: path, expected: "expected one of: \(options)") else { return nil }
        guard let value = Choice(rawValue: text) else {
            report(at: node.mark, "unknown \(what) '\(text)' in \(path)", "expected one of: \(options)")
            return nil
        }
        return value
    }

    /// A text in each of the offered languages, keyed by language code.
    func localizedText(_ node: Node, path: String) -> LocalizedText? {
        let languageList = requiredLanguages.map(\.rawValue).joined(separator: " and ")
        guard case let .mapping(mapping) = node else {
            report(at: node.mark, "\(path) is \(describe(node))", "expected texts keyed by language: \(languageList)")
            return nil
        }
        var texts: [Language: String] = [:]
        for (key, value) in mapping {
            guard let code = key.string else { continue }
            guard let language = Language(rawValue: code) else {
                report(at: key.mark, "unknown language '\(code)' in \(path)",
                       "expected one of: \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            if let text = string(value, path: "\(path).\(code)", expected: "expected the text in \(code)") {
                texts[language] = text
            }
        }
        for language in requiredLanguages where !mapping.contains(where: { $0.key.string == language.rawValue }) {
            report(at: node.mark, "\(path) has no \(language.rawValue) text",
                   "expected texts in every offered language: \(languageList)")
        }
        return texts.isEmpty ? nil : LocalizedText(texts)
    }

    /// A plain `~`, `null` or nothing at all: YAML's null, which no field of a profile accepts.
    private static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar) where Self.isNull(scalar): "empty"
        case let .scalar(scalar): "the text '\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
