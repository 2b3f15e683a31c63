import ArgumentParser
import ControlProtocol
import Foundation

/// `kioskctl queue`: the day's queue numbers, and a number issued for a citizen at the counter.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Show today's queue numbers, issue one, or start a service's numbers at 1 again.",
        subcommands: [Today.self, Issue.self, Reset.self])

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

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the numbers of services at 1 again today (a new numbering round).",
            discussion: """
                For a counter reopened after a break, or numbers run far ahead of the counters. The next \
                citizen of each service gets number 001 (A001, and AU001 on its priority line). Tickets already given \
                out stay recorded with their round; void numbers stay void. The reset lasts until the \
                numbering day ends (queue.day_starts_at) and survives restarts.
                """)

        @Argument(help: "The services' ticket prefixes (A, B…).")
        var services: [String] = []

        @Flag(help: "Every service the profile offers.")
        var all = false

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard all != !services.isEmpty else { throw ValidationError("name the services to reset, or --all (not both)") }
        }

        func run() throws {
            let arguments = all ? ["all": "true"] : ["services": services.joined(separator: ",")]
            let response = try connection.send(ControlRequest(command: "queue-reset", arguments: arguments))
            guard let queue = response.queue, let rounds = queue.rounds else { throw ExitCode(76) }
            if connection.json { return try ConnectionOptions.printJSON(queue) }
            for service in rounds.keys.sorted() {
                print("\(service): round \(rounds[service]!) of \(queue.day); the next number is \(service)001")
            }
        }
    }

    static func table(_ tickets: [QueueReport.Ticket]) -> String {
        let rounds = Set(tickets.map { $0.round ?? 1 }).count > 1
        return Status.table([["NUMBER"] + (rounds ? ["ROUND"] : []) + ["LINE", "PRIORITY", "STATE", "ISSUED", "PRINTS"]] + tickets.map {
            [$0.number] + (rounds ? ["\($0.round ?? 1)"] : [])
                + [$0.lane, $0.priorityClass ?? "-", $0.state + ($0.voidReason.map { " (\($0))" } ?? ""), $0.issuedAt, "\($0.prints)"]
        })
    }
}
