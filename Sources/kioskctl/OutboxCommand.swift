import ArgumentParser
import ControlProtocol
import Foundation

/// `kioskctl outbox`: the applications waiting for the portal, and a retry of a refused one.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Show the applications on their way to the portal, retry one, or wipe the delivered ones.",
        subcommands: [List.self, Retry.self, PurgeDelivered.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Counts by state and the latest applications: codes, attempts, last error, portal code. Nothing personal.",
            discussion: "Exit 75 when applications are waiting and the last attempt failed, or some were refused.")

        @Option(help: "How many of the latest applications to list.")
        var limit = 20

        @Option(help: "Only applications in this state: pending, delivered or refused.")
        var state: String?

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            var arguments = ["limit": "\(limit)"]
            if let state { arguments["state"] = state }
            let response = try connection.send(ControlRequest(command: "outbox", arguments: arguments))
            guard let outbox = response.outbox else { throw ExitCode(76) }
            if connection.json {
                try ConnectionOptions.printJSON(outbox)
            } else {
                if let unavailable = outbox.unavailable { print("applications NOT taken on this kiosk: \(unavailable)") }
                print("pending \(outbox.pending), delivered \(outbox.delivered), refused \(outbox.refused), wiped after retention \(outbox.wiped)")
                if let oldest = outbox.oldestPendingAcceptedAt { print("oldest pending accepted at \(oldest)") }
                if let error = outbox.lastError { print("last error: \(error)") }
                if !outbox.applications.isEmpty {
                    print("")
                    print(Status.table([["CODE", "PROCEDURE", "STATE", "ACCEPTED", "ATTEMPTS", "NEXT", "PORTAL CODE", "STATUS", "LAST ERROR"]]
                        + outbox.applications.map {
                            [$0.code, $0.procedure, $0.state + ($0.wiped ? " (wiped)" : ""), $0.acceptedAt, "\($0.attempts)",
                             $0.nextAttemptAt ?? "-", $0.portalCode ?? "-", $0.portalStatus ?? "-", $0.lastError ?? "-"]
                        }))
                }
            }
            if outbox.refused > 0 || (outbox.pending > 0 && outbox.lastError != nil) { throw ExitCode(75) }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send an undelivered application again now (after the portal side was fixed), with its same key and payload.")

        @Argument(help: "The application's kiosk code (16 digits, as on the receipt).")
        var code: String

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let response = try connection.send(ControlRequest(command: "outbox-retry", arguments: ["code": code.filter { !$0.isWhitespace }]))
            guard response.outbox != nil else { throw ExitCode(76) }
            print("\(code): queued for sending now")
        }
    }
}

extension OutboxCommand {
    struct PurgeDelivered: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "purge-delivered",
            abstract: "Wipe now the personal data and scanned pages of every application the portal has confirmed.",
            discussion: """
                Normally they are wiped when the profile's retention has passed; this does it at once                 (a kiosk being moved or retired, a disk filling up). Applications not yet confirmed are                 never touched. Codes and statuses stay, so citizens can still look their applications up.
                """)

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let response = try connection.send(ControlRequest(command: "outbox-purge-delivered"))
            guard let purged = response.purged else { throw ExitCode(76) }
            if connection.json {
                try ConnectionOptions.printJSON(["wiped": purged])
            } else {
                print("wiped the personal data of \(purged) delivered application\(purged == 1 ? "" : "s")")
            }
        }
    }
}

/// `kioskctl lookup CODE`: where an application stands, as a citizen at the kiosk would be told.
struct LookUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup", abstract: "Look an application up by its kiosk code or portal code.")

    @Argument(help: "The kiosk code (16 digits) or the portal's code.")
    var code: String

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "lookup", arguments: ["code": code]))
        guard let answer = response.lookUp else { throw ExitCode(76) }
        if connection.json {
            try ConnectionOptions.printJSON(answer)
            return
        }
        switch answer.answer {
        case "status":
            print("\(answer.code): \(answer.status ?? "?")" + (answer.current == false ? " (last known, as of \(answer.asOf ?? "?"); portal unreachable)" : ""))
            if let note = answer.note { print("note: \(note)") }
        case "waiting-to-be-sent":
            print("\(answer.code): accepted at \(answer.asOf ?? "?"), not yet delivered to the portal")
        case "not-found":
            print("\(answer.code): unknown here and at the portal")
            throw ExitCode(1)
        default:
            print("\(answer.code): not taken here and the portal cannot be asked now")
            throw ExitCode(75)
        }
    }
}
