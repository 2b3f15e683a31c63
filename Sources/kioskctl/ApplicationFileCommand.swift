import ArgumentParser
import ControlProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `kioskctl application-file`: staff file a citizen's paper application (its page scanned
/// elsewhere), or a technician checks the whole path to the portal. The citizen ID and phone are
/// read from standard input, never from the command line, where `ps` and shell history would show
/// them to anyone on the machine.
struct ApplicationFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "application-file",
        abstract: "File one application with a scanned page; the citizen ID and phone are read from standard input.",
        discussion: """
            Standard input: the citizen ID number (12 digits) on the first line, the mobile phone \
            number (may be empty) on the second. On a terminal both are asked for without echo. \
            The kiosk checks them as its menu does, records the application, prints the receipt and \
            forwards it to the portal. Prints the application code. Exit 75 when the application \
            was recorded but its receipt did not print; 76 when it was refused (the reason is printed).
            """)

    @Option(help: "The procedure's national code, one the profile offers (e.g. 1.001193).")
    var procedure: String

    @Option(help: "The page: a JPEG file, as a scanner or phone saved it.")
    var page: String

    @Option(help: "The page's resolution in dots per inch, when the JPEG does not say.")
    var dpi = 200

    @Option(help: "How the result is handed over: counter or post.")
    var delivery = "counter"

    @Option(help: "The receipt's language: vi or en (default: the profile's).")
    var language: String?

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let jpeg = FileManager.default.contents(atPath: page) else {
            throw ValidationError("cannot read the page \(page)")
        }
        // People type the number in the groups it is printed in on the card.
        let citizenID = Self.readSecretLine(prompt: "citizen ID number: ")?.filter { !$0.isWhitespace }
        let phone = Self.readSecretLine(prompt: "mobile phone (empty for none): ")
        guard let citizenID, !citizenID.isEmpty else {
            throw ValidationError("no citizen ID number on standard input")
        }
        var arguments = ["procedure": procedure, "citizen_id": citizenID, "phone": phone ?? "", "delivery": delivery,
                         "page_jpeg": jpeg.base64EncodedString(), "dpi": "\(dpi)"]
        if let language { arguments["language"] = language }
        let response = try connection.send(ControlRequest(command: "application-file", arguments: arguments))
        guard let filed = response.application else { throw ExitCode(76) }
        if connection.json {
            try ConnectionOptions.printJSON(filed)
        } else {
            print("application \(filed.code): recorded, receipt \(filed.receipt)")
        }
        if filed.receipt != "printed" { throw ExitCode(75) }
    }

    /// One line of standard input without its newline; on a terminal, asked for on standard error
    /// with echo off, so the number does not stay on the screen or in a terminal's scrollback.
    static func readSecretLine(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let hasTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if hasTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if hasTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
