import Foundation
import ProfileLoading
import Testing

/// A technician who mistypes a profile is told exactly where and what, for every mistake at once.
/// Each case is a whole profile file with deliberate mistakes and the exact diagnostics it must get.
@Suite struct MalformedProfileTests {
    /// A valid profile of eight lines; the cases below are variations of it.
    static let valid = """
        kiosk:
          id: test-01
          name: {vi: Ki-ốt thử, en: Test kiosk}
          location: {vi: Hà Nội, en: Hanoi}
        devices:
          audio: {output: wav, wav_directory: /tmp/kiosk-test-audio}
          keypad: {input: terminal}
        privacy: {inactivity_timeout_seconds: 60, retention_delivered_days: 30}
        """

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let diagnostics: [String]
        var testDescription: String { name }
    }

    /// `valid` with line `number` (1-based) replaced by `lines`.
    static func replacing(line number: Int, with lines: String...) -> String {
        var all = valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        all.replaceSubrange((number - 1)...(number - 1), with: lines)
        return all.joined(separator: "\n")
    }

    /// `valid` followed by `lines` from line 9 on.
    static func appending(_ lines: String...) -> String {
        appending(lines)
    }

    static func appending(_ lines: [String]) -> String {
        ([valid] + lines).joined(separator: "\n")
    }

    static let cases: [Case] = [
        Case(name: "unknown top-level key (typo)",
             yaml: appending("devics: {}"),
             diagnostics: ["p.yaml:9:1: unknown key 'devics' at the top level (did you mean 'devices'?); expected one of: kiosk, languages, hours, devices, queue, procedures, portal, privacy, operations"]),
        Case(name: "typo of a required key reports the typo and the missing key",
             yaml: replacing(line: 2, with: "  idd: test-01"),
             diagnostics: ["p.yaml:2:3: unknown key 'idd' in kiosk (did you mean 'id'?); expected one of: id, number, name, location, timezone",
                           "p.yaml:2:3: missing required key 'id' in kiosk; expected a kiosk id such as hn-hoankiem-sm-01"]),
        Case(name: "text where a number is expected",
             yaml: replacing(line: 8, with: "privacy: {inactivity_timeout_seconds: sixty, retention_delivered_days: 30}"),
             diagnostics: ["p.yaml:8:39: 'sixty' is not a whole number in privacy.inactivity_timeout_seconds; expected seconds from 15 to 600"]),
        Case(name: "number out of range",
             yaml: replacing(line: 8, with: "privacy: {inactivity_timeout_seconds: 5, retention_delivered_days: 30}"),
             diagnostics: ["p.yaml:8:39: 5 is out of range in privacy.inactivity_timeout_seconds; expected seconds from 15 to 600"]),
        Case(name: "missing required section",
             yaml: replacing(line: 8, with: "# privacy forgotten"),
             diagnostics: ["p.yaml:1:1: missing required key 'privacy' in the profile; expected a privacy section with inactivity_timeout_seconds and retention_delivered_days"]),
        Case(name: "missing required device",
             yaml: replacing(line: 6, with: "  # no audio"),
             diagnostics: ["p.yaml:7:3: missing required key 'audio' in devices; expected an audio section: every screen is spoken"]),
        Case(name: "list where a section is expected",
             yaml: replacing(line: 7, with: "  keypad: {input: terminal}", "  scanner: [test:0]"),
             diagnostics: ["p.yaml:8:12: devices.scanner is a list; expected a mapping with device, source, mode, resolution_dpi, page_size and optionally options, answer_timeout_seconds"]),
        Case(name: "scanner answer timeout too short to read a page",
             yaml: replacing(line: 7, with: "  keypad: {input: terminal}", "  scanner: {device: test:0, answer_timeout_seconds: 1}"),
             diagnostics: ["p.yaml:8:53: 1 is out of range in devices.scanner.answer_timeout_seconds; expected seconds from 2 to 600"]),
        Case(name: "scanner options as a list",
             yaml: replacing(line: 7, with: "  keypad: {input: terminal}", "  scanner: {device: test:0, options: [swcrop]}"),
             diagnostics: ["p.yaml:8:38: devices.scanner.options is a list; expected a mapping of SANE option names to values, such as swcrop: true"]),
        Case(name: "a prefix that is another service's priority line",
             yaml: appending("queue:", "  services:",
                             "    - {prefix: A, name: {vi: Hộ tịch, en: Civil status}, priority: [elderly]}",
                             "    - {prefix: AU, name: {vi: Đất đai, en: Land}}"),
             diagnostics: ["p.yaml:12:16: service prefix 'AU' is the priority line of service 'A' (its numbers are AU001…); expected a prefix that is not another service's prefix followed by U"]),
        Case(name: "duplicate service prefixes",
             yaml: appending("queue:", "  services:",
                             "    - {prefix: A, name: {vi: Hộ tịch, en: Civil status}}",
                             "    - {prefix: A, name: {vi: Đất đai, en: Land}}"),
             diagnostics: ["p.yaml:12:16: service prefix 'A' is already used at line 11; expected a different prefix for each service, so every ticket number names one queue"]),
        Case(name: "more services than keypad digits",
             yaml: appending(["queue:", "  services:"] + ["A", "B", "C", "D", "E", "F", "G", "H", "K", "L"].map {
                 "    - {prefix: \($0), name: {vi: Dịch vụ \($0), en: Service \($0)}}"
             }),
             diagnostics: ["p.yaml:11:5: 10 queue services are more than the keypad's digits 1-9 can choose; expected at most 9 services"]),
        Case(name: "lowercase ticket prefix",
             yaml: appending("queue:", "  services:", "    - {prefix: a1, name: {vi: Hộ tịch, en: Civil status}}"),
             diagnostics: ["p.yaml:11:16: ticket prefix 'a1' is not one or two capital letters; expected one or two capital letters A-Z such as A or CS"]),
        Case(name: "unknown offered language",
             yaml: appending("languages: {default: vi, offered: [vi, fr]}"),
             diagnostics: ["p.yaml:9:40: unknown language 'fr' in languages.offered; expected one of: vi, en"]),
        Case(name: "unknown language in a localized text",
             yaml: replacing(line: 3, with: "  name: {vi: Ki-ốt thử, en: Test kiosk, fr: Borne}"),
             diagnostics: ["p.yaml:3:41: unknown language 'fr' in kiosk.name; expected one of: vi, en"]),
        Case(name: "a localized text lacks an offered language",
             yaml: replacing(line: 4, with: "  location: {vi: Hà Nội}"),
             diagnostics: ["p.yaml:4:13: kiosk.location has no en text; expected texts in every offered language: vi and en"]),
        Case(name: "default language not offered",
             yaml: appending("languages: {default: en, offered: [vi]}"),
             diagnostics: ["p.yaml:9:22: default language 'en' is not among the offered languages; expected one of: vi"]),
        Case(name: "impossible clock times",
             yaml: appending("hours:", "  weekly:", "    mon: [\"25:00-26:00\"]"),
             diagnostics: ["p.yaml:11:11: '25:00-26:00' is not an opening period of real clock times in hours.weekly.mon; expected periods \"HH:MM-HH:MM\" with the opening before the closing, between 00:00 and 24:00"]),
        Case(name: "closing before opening",
             yaml: appending("hours:", "  weekly:", "    tue: [\"17:00-07:30\"]"),
             diagnostics: ["p.yaml:11:11: period '17:00-07:30' closes before it opens in hours.weekly.tue; expected periods \"HH:MM-HH:MM\" with the opening before the closing, between 00:00 and 24:00"]),
        Case(name: "overlapping periods",
             yaml: appending("hours:", "  weekly:", "    sat: [\"07:30-11:30\", \"11:00-17:00\"]"),
             diagnostics: ["p.yaml:11:26: period '11:00-17:00' overlaps 07:30-11:30 in hours.weekly.sat; expected periods of one day that do not overlap"]),
        Case(name: "weekday spelt out",
             yaml: appending("hours:", "  weekly:", "    monday: [\"07:30-11:30\"]"),
             diagnostics: ["p.yaml:11:5: unknown key 'monday' in hours.weekly (did you mean 'mon'?); expected one of: mon, tue, wed, thu, fri, sat, sun"]),
        Case(name: "closed date that does not exist",
             yaml: appending("hours:", "  weekly: {mon: [\"07:30-11:30\"]}", "  closed_dates: [\"2026-02-30\"]"),
             diagnostics: ["p.yaml:11:18: '2026-02-30' is not a date that exists; expected a calendar date YYYY-MM-DD such as 2026-09-02"]),
        Case(name: "unknown timezone",
             yaml: replacing(line: 2, with: "  id: test-01", "  timezone: Asia/Hanoi"),
             diagnostics: ["p.yaml:3:13: unknown timezone 'Asia/Hanoi'; expected an IANA timezone such as Asia/Ho_Chi_Minh"]),
        Case(name: "kiosk id with capitals and spaces",
             yaml: replacing(line: 2, with: "  id: Kiosk 01"),
             diagnostics: ["p.yaml:2:7: kiosk id 'Kiosk 01' has characters other than lowercase letters, digits and dashes; expected lowercase ASCII letters, digits and dashes, at most 64, such as hn-hoankiem-sm-01"]),
        Case(name: "USB id written with a dash",
             yaml: replacing(line: 7, with: "  keypad: {input: terminal}", "  ticket_printer: {usb: 04b8-0e02}"),
             diagnostics: ["p.yaml:8:25: '04b8-0e02' is not a USB vendor:product pair; expected four hexadecimal digits, a colon and four more, such as 04b8:0e02"]),
        Case(name: "receipt roll of a width no printer has",
             yaml: replacing(line: 7, with: "  keypad: {input: terminal}", "  receipt_printer: {cups_queue: receipt, roll_width_mm: 60}"),
             diagnostics: ["p.yaml:8:57: roll width 60 mm is not a receipt roll size; expected 58 or 80"]),
        Case(name: "thermal head width no printer has",
             yaml: replacing(line: 7, with: "  keypad: {input: terminal}", "  ticket_printer: {usb: \"04b8:0e02\", dots_per_line: 500}"),
             diagnostics: ["p.yaml:8:53: 500 dots per line is not a thermal head width; expected 384 (58 mm) or 576 (80 mm)"]),
        Case(name: "unknown audio output",
             yaml: replacing(line: 6, with: "  audio: {output: speaker}"),
             diagnostics: ["p.yaml:6:19: unknown audio output 'speaker' in devices.audio.output; expected one of: alsa, wav"]),
        Case(name: "yes is not a boolean here",
             yaml: replacing(line: 6, with: "  audio: {output: alsa, private_listening: yes}"),
             diagnostics: ["p.yaml:6:44: 'yes' is not true or false in devices.audio.private_listening; expected true or false"]),
        Case(name: "one key bound to two actions",
             yaml: replacing(line: 7, with: "  keypad: {input: terminal, keys: {confirm: \"*\"}}"),
             diagnostics: ["p.yaml:7:45: key '*' is bound to both repeat and confirm; expected each key to do one thing"]),
        Case(name: "malformed procedure code",
             yaml: appending("procedures:", "  - {code: \"1.1193\", name: {vi: Khai sinh, en: Birth}, fields: [phone]}",
                             "portal: {base_url: \"https://adapter.example/api\"}"),
             diagnostics: ["p.yaml:10:12: '1.1193' is not a national procedure code; expected a digit, a dot and six digits, such as 1.001193 (quote it so YAML keeps it text)"]),
        Case(name: "duplicate procedure and unknown field",
             yaml: appending("procedures:",
                             "  - {code: \"1.001193\", name: {vi: Khai sinh, en: Birth}, fields: [phone]}",
                             "  - {code: \"1.001193\", name: {vi: Khai sinh, en: Birth}, fields: [email]}",
                             "portal: {base_url: \"https://adapter.example/api\"}"),
             diagnostics: ["p.yaml:2:3: procedures are offered but the kiosk has no number; expected kiosk.number, the five-digit number that begins every application code, such as \"00417\"",
                           "p.yaml:8:10: procedures are offered but no key encrypts applications at rest; expected privacy.encryption_key_file (a 0600 file of 32 bytes) or privacy.encryption_key_credential",
                           "p.yaml:11:12: procedure code '1.001193' is already listed at line 10; expected each procedure once",
                           "p.yaml:11:67: unknown application field 'email' in procedures[1].fields; expected one of: citizen_id, phone, full_name, date_of_birth, gender, address, delivery_method"]),
        Case(name: "procedures without a portal",
             yaml: appending("procedures:", "  - {code: \"1.001193\", name: {vi: Khai sinh, en: Birth}, fields: [phone]}"),
             diagnostics: ["p.yaml:2:3: procedures are offered but the kiosk has no number; expected kiosk.number, the five-digit number that begins every application code, such as \"00417\"",
                           "p.yaml:8:10: procedures are offered but no key encrypts applications at rest; expected privacy.encryption_key_file (a 0600 file of 32 bytes) or privacy.encryption_key_credential",
                           "p.yaml:10:3: procedures are offered but the profile has no portal section; expected a portal section telling where applications are forwarded"]),
        Case(name: "portal address that is not http",
             yaml: appending("portal: {base_url: \"ftp://adapter.example\"}"),
             diagnostics: ["p.yaml:9:20: 'ftp://adapter.example' is not an http(s) address; expected an address such as https://portal.example.gov.vn/api/v1"]),
        Case(name: "statuses refreshed every two seconds would hammer the portal",
             yaml: appending("portal: {base_url: \"https://adapter.example\", status_refresh_seconds: 2}"),
             diagnostics: ["p.yaml:9:71: portal.status_refresh_seconds is 2 s, too often to ask the portal; expected 0 (never) or seconds from 5 to 86400"]),
        Case(name: "status refresh beyond a day",
             yaml: appending("portal: {base_url: \"https://adapter.example\", status_refresh_seconds: 100000}"),
             diagnostics: ["p.yaml:9:71: 100000 is out of range in portal.status_refresh_seconds; expected 0 (never) or seconds from 5 to 86400"]),
        Case(name: "client certificate without its key",
             yaml: appending("portal: {base_url: \"https://adapter.example\", client_certificate: /etc/kiosk/kiosk.crt}"),
             diagnostics: ["p.yaml:9:9: portal has a client certificate without its key, or a key without its certificate; expected both client_certificate and client_key, or neither"]),
        Case(name: "two encryption key sources",
             yaml: replacing(line: 8, with: "privacy: {inactivity_timeout_seconds: 60, retention_delivered_days: 30,",
                             "  encryption_key_file: /etc/kiosk/key, encryption_key_credential: kiosk-key}"),
             diagnostics: ["p.yaml:9:67: privacy names both a key file and a systemd credential; expected exactly one of encryption_key_file, encryption_key_credential"]),
        Case(name: "metrics endpoint open to the network",
             yaml: appending("operations: {metrics_listen: \"0.0.0.0:9464\"}"),
             diagnostics: ["p.yaml:9:30: operations.metrics_listen is \"0.0.0.0:9464\"; expected a loopback address and port for the Prometheus endpoint, such as 127.0.0.1:9464 or [::1]:9464"]),
        Case(name: "metrics endpoint without a port",
             yaml: appending("operations: {control_group: kiosk-maint, metrics_listen: 127.0.0.1}"),
             diagnostics: ["p.yaml:9:58: operations.metrics_listen is \"127.0.0.1\"; expected a loopback address and port for the Prometheus endpoint, such as 127.0.0.1:9464 or [::1]:9464"]),
        Case(name: "help kept during maintenance (it always is, with what is kept)",
             yaml: appending("operations: {offered_during_maintenance: [look-up, help]}"),
             diagnostics: ["p.yaml:9:52: operations.offered_during_maintenance[1] is \"help\"; expected a list of functions citizens keep during maintenance, from: take-ticket, submit-application, look-up"]),
        Case(name: "the same key twice in a mapping",
             yaml: replacing(line: 2, with: "  id: test-01", "  id: test-02"),
             diagnostics: ["p.yaml:2:3: key 'id' appears more than once in the same mapping; expected each key once"]),
        Case(name: "YAML syntax error",
             yaml: replacing(line: 3, with: "  name: {vi: Ki-ốt thử, en: Test kiosk"),
             diagnostics: ["p.yaml:4:11: YAML syntax error: did not find expected ',' or '}'; expected well-formed YAML"]),
        Case(name: "empty file",
             yaml: "# nothing yet\n",
             diagnostics: ["p.yaml:1:1: the profile is empty; expected a mapping with the sections kiosk, devices, queue, procedures, privacy"]),
        Case(name: "several mistakes are all listed, in file order",
             yaml: replacing(line: 2, with: "  id: test-01", "  timezone: Mars/Olympus")
                 .replacingOccurrences(of: "retention_delivered_days: 30", with: "retention_delivered_days: forever"),
             diagnostics: ["p.yaml:3:13: unknown timezone 'Mars/Olympus'; expected an IANA timezone such as Asia/Ho_Chi_Minh",
                           "p.yaml:9:69: 'forever' is not a whole number in privacy.retention_delivered_days; expected days from 0 to 3650"]),
    ]

    @Test(arguments: cases)
    func malformedProfileIsRefusedWithExactDiagnostics(_ testCase: Case) {
        #expect(throws: ProfileRejection.self) {
            try ProfileLoader.parse(yaml: testCase.yaml, file: "p.yaml")
        }
        do {
            _ = try ProfileLoader.parse(yaml: testCase.yaml, file: "p.yaml")
        } catch {
            #expect(error.diagnostics.map(\.description) == testCase.diagnostics)
        }
    }

    @Test func theBaseOfTheCasesIsValid() throws {
        let profile = try ProfileLoader.parse(yaml: Self.valid, file: "p.yaml")
        #expect(profile.identity.id == "test-01")
        #expect(profile.identity.name.text(in: .vietnamese) == "Ki-ốt thử")
        #expect(profile.privacy.inactivityTimeoutSeconds == 60)
    }

    @Test func missingFileIsRefused() {
        let path = "/nonexistent/kiosk/profile.yaml"
        #expect(Self.diagnostics(loading: path) == ["\(path):1:1: cannot read the profile (no such file); expected a readable YAML file"])
    }

    @Test func directoryIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-profile-dir-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(Self.diagnostics(loading: directory.path)
            == ["\(directory.path):1:1: cannot read the profile (it is a directory); expected a readable YAML file"])
    }

    @Test func fileThatIsNotUTF8IsRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-profile-latin1-\(getpid()).yaml")
        // "Hà Nội" saved as Windows-1258 by an old editor: bytes that are not UTF-8.
        try Data([0x6b, 0x69, 0x6f, 0x73, 0x6b, 0x3a, 0x20, 0x48, 0xe0, 0x20, 0x4e, 0xf4, 0xd2, 0x69, 0x0a]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(Self.diagnostics(loading: file.path)
            == ["\(file.path):1:1: the profile is not valid UTF-8 text; expected a YAML file saved as UTF-8"])
    }

    static func diagnostics(loading path: String) -> [String] {
        do {
            _ = try ProfileLoader.load(path: path)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
