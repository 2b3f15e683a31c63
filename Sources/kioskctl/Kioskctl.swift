import ArgumentParser
import ControlProtocol
import Foundation

/// `kioskctl`: the field technician's view of a running kioskd, over its control socket.
@main
struct Kioskctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskctl",
        abstract: "Control and inspect the kiosk daemon on this machine.",
        discussion: """
            Talks to kioskd over its control socket. Only root and members of the profile's technician \
            group (operations.control_group, default kiosk-maint) are answered.
            Exit status: 0 done; 69 the daemon cannot be reached; 77 not authorised; 76 the daemon \
            refused the request (protocol error); 75 a queue number was recorded but not printed; \
            73 an output file (preview, diagnostics) cannot be written.
            """,
        subcommands: [Status.self, Say.self, Volume.self, Logs.self, Diagnostics.self, Maintenance.self, ProfileCommand.self, QueueCommand.self, Preview.self, SelfTestCommand.self,
                      OutboxCommand.self, LookUpCommand.self, ApplicationFileCommand.self])
}

/// Where the daemon listens, and how to print its answers.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The daemon's control socket.")
    var socket = ControlProtocol.defaultSocketPath

    @Flag(help: "Print the answer as JSON instead of a table.")
    var json = false

    /// Prints an answer for scripts: pretty, with sorted keys so output is stable.
    static func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Sends `request` and returns the daemon's answer, or exits with a meaningful status.
    func send(_ request: ControlRequest) throws -> ControlResponse {
        let connection: ControlSocket
        do {
            connection = try ControlSocket.connect(path: socket)
        } catch {
            FileHandle.standardError.write(Data("kioskctl: cannot reach kioskd at \(socket): \(error)\n".utf8))
            throw ExitCode(69)
        }
        // A daemon that refuses us may have answered and closed already: read its answer even if
        // sending the request failed.
        let sendFailure: Error?
        do {
            try connection.writeLine(JSONEncoder().encode(request))
            sendFailure = nil
        } catch {
            sendFailure = error
        }
        guard let line = try? connection.readLine(maximumBytes: 16 * 1024 * 1024, timeout: .seconds(30)),
              let response = try? JSONDecoder().decode(ControlResponse.self, from: line) else {
            let reason = sendFailure.map { " (sending failed: \($0))" } ?? ""
            FileHandle.standardError.write(Data("kioskctl: kioskd closed the connection without an answer\(reason)\n".utf8))
            throw ExitCode(69)
        }
        if let error = response.error {
            FileHandle.standardError.write(Data("kioskctl: \(error.code): \(error.message)\n".utf8))
            throw ExitCode(error.code == "not-authorised" ? 77 : 76)
        }
        return response
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every device's state, what the kiosk offers, uptime, version and profile.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "status"))
        guard let status = response.status else { throw ExitCode(76) }
        if connection.json {
            try ConnectionOptions.printJSON(status)
            return
        }
        print(Self.text(status))
    }

    /// The readable status: a summary, then a row per device (also kept in diagnostics archives).
    static func text(_ status: KioskStatusReport) -> String {
        var lines = [
            "kiosk     \(status.kioskID)   (kioskd \(status.version), up \(duration(status.uptimeSeconds)))",
            "profile   \(status.profilePath)",
            "offering  \(status.offering.joined(separator: ", "))\(status.underMaintenance ? "   (UNDER MAINTENANCE)" : "")",
        ]
        if let tickets = status.ticketsIssuedToday { lines.append("tickets   \(tickets) issued today") }
        if let outbox = status.outbox {
            if let unavailable = outbox.unavailable {
                lines.append("outbox    applications NOT taken: \(unavailable)")
            } else {
                let oldest = outbox.oldestPendingAgeSeconds.map { ", oldest waiting \(duration($0))" } ?? ""
                lines.append("outbox    \(outbox.pending) pending\(oldest), \(outbox.refused) refused")
            }
            lines.append("portal    last answer \(outbox.lastPortalAnswerAt ?? "none since start")"
                         + (outbox.lastError.map { "; last error: \($0)" } ?? ""))
        }
        if let url = status.metricsURL {
            lines.append("metrics   \(url)")
        } else if let fault = status.metricsUnavailable {
            lines.append("metrics   NOT served: \(fault)")
        }
        lines.append("")
        let rows = [["DEVICE", "STATE", "PAPER", "ID", "DETAIL"]]
            + status.devices.map { [$0.kind, $0.state, $0.paper ?? "-", $0.identity, $0.detail] }
        lines.append(table(rows))
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Int) -> String {
        seconds >= 3600 ? "\(seconds / 3600)h\(seconds % 3600 / 60)m" : seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s"
    }

    /// Columns padded to their widest cell; the last column is left as is.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Check or reload the kiosk profile.", subcommands: [Check.self, Reload.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a profile (the one in use, or --file) and list every problem. Exit 78 if it is invalid.")

        @OptionGroup var connection: ConnectionOptions

        @Option(help: "A profile file to check instead of the one in use (read by the daemon).")
        var file: String?

        func run() throws {
            let response = try connection.send(ControlRequest(command: "profile-check", arguments: file.map { ["path": $0] } ?? [:]))
            try ProfileCommand.report(response, connection: connection, success: "valid")
        }
    }

    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reload the profile from its file, as SIGHUP does; an invalid one is refused and the old one kept. Exit 78 if refused.")

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let response = try connection.send(ControlRequest(command: "profile-reload"))
            try ProfileCommand.report(response, connection: connection, success: "reloaded")
        }
    }

    static func report(_ response: ControlResponse, connection: ConnectionOptions, success: String) throws {
        guard let profile = response.profile else { throw ExitCode(76) }
        if connection.json {
            try ConnectionOptions.printJSON(profile)
        } else if profile.accepted {
            print("\(profile.path): \(success)")
        } else {
            profile.diagnostics.forEach { print($0) }
        }
        if !profile.accepted { throw ExitCode(78) }
    }
}

struct Maintenance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put the kiosk under maintenance (on) or back in service (off).",
        discussion: "A citizen being served may finish; then the screen and the voice say the kiosk is under maintenance.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @Argument(help: "on or off")
    var mode: Mode

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "maintenance", arguments: ["mode": mode.rawValue]))
        guard let status = response.status else { throw ExitCode(76) }
        print("\(status.kioskID): maintenance \(status.underMaintenance ? "on" : "off")")
    }
}

struct Say: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Speak a test phrase through the kiosk's voice and speaker (interrupting what it was saying).")

    @Argument(help: "What to say.")
    var text: String

    @Option(help: "vi or en.")
    var language = "vi"

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "say", arguments: ["text": text, "language": language]))
        guard let status = response.status else { throw ExitCode(76) }
        print("\(status.kioskID): speaking")
    }
}

struct Volume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or set the volume every citizen's session starts at.",
        discussion: """
            A level from 10 to 100 replaces the profile's default_volume until set back with 'profile';             it is kept across restarts and profile reloads. When the kiosk is idle the new level is             applied at once and spoken; otherwise the citizen being served keeps theirs and the next             session starts at the new level. Citizens can still change the volume with their keys.
            """)

    @Argument(help: "10 to 100, or 'profile' for the profile's own level; leave out to show it.")
    var level: String?

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "volume", arguments: level.map { ["level": $0] } ?? [:]))
        guard let volume = response.volume else { throw ExitCode(76) }
        if connection.json { return try ConnectionOptions.printJSON(volume) }
        let source = volume.setByTechnician ? "set by a technician; the profile says \(volume.profileVolume)" : "the profile's"
        print("starting volume \(volume.startingVolume) (\(source))")
        if level != nil {
            print(volume.appliedNow ? "applied now" : "a citizen is being served: applies from the next session")
        }
    }
}

struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the daemon's most recent log lines (kept in memory; the journal has the rest).")

    @Option(name: [.customShort("n"), .long], help: "How many lines, 1 to 2000.")
    var lines = 100

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "logs", arguments: ["lines": "\(lines)"]))
        guard let logs = response.logs else { throw ExitCode(76) }
        if connection.json { return try ConnectionOptions.printJSON(logs) }
        for line in logs { print(line) }
    }
}

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a sample ticket (PNG) or receipt (PDF) exactly as this kiosk would print it.",
        discussion: "Sample number 0 / code MAU-0000: nothing is issued or recorded, nothing is printed.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case ticket, receipt
    }

    @Argument(help: "ticket or receipt")
    var kind: Kind

    @Option(help: "The file to write (PNG for a ticket, PDF for a receipt).")
    var out: String

    @Option(help: "vi or en (default: the profile's).")
    var language: String?

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var arguments = ["kind": kind.rawValue]
        if let language { arguments["language"] = language }
        let response = try connection.send(ControlRequest(command: "preview", arguments: arguments))
        guard let preview = response.preview, let data = Data(base64Encoded: preview.base64) else { throw ExitCode(76) }
        do {
            try data.write(to: URL(fileURLWithPath: out))
        } catch {
            FileHandle.standardError.write(Data("kioskctl: cannot write \(out): \(error.localizedDescription)\n".utf8))
            throw ExitCode(73)   // EX_CANTCREAT
        }
        print("\(out): \(preview.kind) preview, \(preview.mediaType), \(data.count) bytes")
    }
}

struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Make each device do its job once: speak a test phrase, scan a page, print a sample receipt and a sample ticket.",
        discussion: "The sample ticket is number 0: no queue number is used up. Exit status 1 when any device failed.")

    @Argument(help: "Only this device: speech, scanner, receipt-printer or ticket-printer.")
    var device: String?

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "selftest", arguments: device.map { ["device": $0] } ?? [:]))
        guard let lines = response.selfTest else { throw ExitCode(76) }
        if connection.json {
            try ConnectionOptions.printJSON(lines)
        } else {
            print(Status.table(lines.map { [$0.device, $0.passed ? "PASS" : "FAIL", $0.detail] }))
        }
        if lines.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
