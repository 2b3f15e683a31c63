import ArgumentParser
import ControlProtocol
import Foundation

/// `kioskctl queue`: the day's queue numbers, and a number issued for a citizen at the counter.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Show today's queue numbers, or issue one.", subcommands: [Today.self, Issue.self])

    struct Today: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every number of the current numbering day: printed, or void (never given out again) and why.")

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let response = try connection.send(ControlRequest(command: "queue-today"))
            guard let queue = response.queue else { throw ExitCode(76) }
            if connection.json {
                try ConnectionOptions.printJSON(queue)
                return
            }
            let printed = queue.tickets.filter { $0.state == "printed" }.count
            let void = queue.tickets.filter { $0.state == "void" }.count
            print("day \(queue.day): \(queue.tickets.count) numbers, \(printed) printed, \(void) void")
            guard !queue.tickets.isEmpty else { return }
            print("")
            print(QueueCommand.table(queue.tickets))
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue and print the next number of a service, as the citizen's menu would.",
            discussion: "For a citizen who cannot use the keypad. Exit 75 when the number was recorded but its ticket did not print.")

        @Argument(help: "The service's ticket prefix (A, B…).")
        var service: String

        @Option(help: "A priority line the service offers: elderly, disabled, pregnant, veteran, child_under_6.")
        var priority: String?

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            var arguments = ["service": service]
            if let priority { arguments["priority"] = priority }
            let response = try connection.send(ControlRequest(command: "queue-issue", arguments: arguments))
            guard let queue = response.queue, let ticket = queue.tickets.first else { throw ExitCode(76) }
            if connection.json {
                try ConnectionOptions.printJSON(queue)
            } else if ticket.state == "printed" {
                print("\(ticket.number) printed")
            } else {
                print("\(ticket.number) recorded but NOT printed (\(ticket.voidReason ?? "unknown")); the number is void and will not be reissued")
            }
            // EX_TEMPFAIL: the printer needs attention; the number itself is safely recorded.
            if ticket.state != "printed" { throw ExitCode(75) }
        }
    }

    static func table(_ tickets: [QueueReport.Ticket]) -> String {
        Status.table([["NUMBER", "LINE", "PRIORITY", "STATE", "ISSUED", "PRINTS"]] + tickets.map {
            [$0.number, $0.lane, $0.priorityClass ?? "-", $0.state + ($0.voidReason.map { " (\($0))" } ?? ""), $0.issuedAt, "\($0.prints)"]
        })
    }
}
