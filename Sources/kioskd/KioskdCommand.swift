import ArgumentParser
import KioskDaemon

/// `kioskd`: runs one self-service kiosk from its profile.
@main
struct KioskdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskd",
        abstract: "Run a self-service public-administration kiosk.",
        discussion: """
            Loads the kiosk profile, probes the scanner, printers, speech and keypad it names, shows the \
            idle screen and serves citizens until SIGTERM or SIGINT. SIGHUP reloads the profile; an \
            invalid new profile is refused and the old one keeps serving. Exit status 78 means the \
            profile was refused.
            """)

    @Option(name: .long, help: "The kiosk profile (YAML).")
    var profile: String = "/etc/kiosk/profile.yaml"

    @Option(name: .long, help: "The control socket kioskctl connects to.")
    var controlSocket: String = "/run/kiosk/control.sock"

    @Option(name: .long, help: "Where durable state (the ticket ledger) is kept. Default: $STATE_DIRECTORY, else /var/lib/kiosk.")
    var stateDirectory: String?

    @Flag(name: .long, help: "Validate the profile, print every problem found, and exit.")
    var check = false

    func run() async throws {
        if check {
            let status = KioskDaemon.check(profilePath: profile)
            if status != 0 { throw ExitCode(status) }
            return
        }
        KioskDaemon.bootstrapLogging()
        let status = await KioskDaemon.run(profilePath: profile, controlSocketPath: controlSocket,
                                           stateDirectory: stateDirectory ?? KioskDaemon.defaultStateDirectory)
        if status != 0 { throw ExitCode(status) }
    }
}
