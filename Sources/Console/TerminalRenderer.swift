import Foundation
import KioskCore

/// Draws the citizen's screen on a terminal or the Linux console: full-screen, high-contrast
/// (bright white on black, the title in bold yellow), choices numbered, and the whole frame written
/// in one go over the previous one (cursor home, each line cleared to its end) so nothing flickers.
/// On terminals that support DEC double-height lines (xterm and kin, not tmux or the Linux console)
/// the title is drawn twice as large. When standard output is not a terminal (a log, a test) each
/// screen is written as plain text.
public final class TerminalRenderer: @unchecked Sendable {
    // @unchecked: `write` is only called from the session's single event loop.
    private let output: FileHandle
    private let isTerminal: Bool
    private let largeTitle: Bool
    private var started = false

    public init(output: FileHandle = .standardOutput, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.output = output
        isTerminal = isatty(output.fileDescriptor) == 1
        let term = environment["TERM"] ?? ""
        largeTitle = isTerminal && term.hasPrefix("xterm") && environment["TMUX"] == nil
    }

    /// The terminal's size, or 80x24 when it cannot be asked.
    public var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard isTerminal, ioctl(output.fileDescriptor, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    public func show(_ screen: ScreenContent) {
        guard isTerminal else {
            output.write(Data((Self.plainText(screen) + "\n").utf8))
            return
        }
        var frame = ""
        if !started {
            // Alternate screen (the shell's screen comes back on exit), hidden cursor, black background.
            frame += "\u{1B}[?1049h\u{1B}[?25l\u{1B}[40m\u{1B}[2J"
            started = true
        }
        frame += "\u{1B}[H"
        let (columns, rows) = size
        let lines = Self.layout(screen, columns: columns, rows: rows, largeTitle: largeTitle)
        for line in lines {
            frame += line + "\u{1B}[0;97;40m\u{1B}[K\r\n"
        }
        frame += "\u{1B}[0;97;40m\u{1B}[J"
        output.write(Data(frame.utf8))
    }

    /// Gives the terminal back as it was (main screen, visible cursor).
    public func restore() {
        guard isTerminal, started else { return }
        output.write(Data("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l".utf8))
        started = false
    }

    /// The frame's lines with their colours, fitted to `columns` x `rows`. When space runs short the
    /// body lines give way first: the title, choices, entry, error and hints always show.
    public static func layout(_ screen: ScreenContent, columns: Int, rows: Int, largeTitle: Bool) -> [String] {
        let width = max(columns - 4, 20)
        let normal = "\u{1B}[0;97;40m", title = "\u{1B}[1;93;40m", key = "\u{1B}[1;30;103m"
        let error = "\u{1B}[1;97;41m", hint = "\u{1B}[0;37;40m", input = "\u{1B}[1;97;44m"

        var head: [String] = [""]
        for part in wrap(screen.title, width: largeTitle ? width / 2 : width) {
            if largeTitle {
                head += ["\u{1B}#3" + title + "  " + part, "\u{1B}#4" + title + "  " + part]
            } else {
                head.append(title + "  " + part)
            }
        }
        head.append("")
        var body = screen.lines.flatMap { wrap($0, width: width) }.map { normal + "  " + $0 }
        var tail: [String] = []
        if !screen.choices.isEmpty {
            tail.append("")
            for choice in screen.choices {
                let labelLines = wrap(choice.label, width: width - 6)
                tail.append(normal + "  " + key + " \(choice.key) " + normal + "  " + (labelLines.first ?? ""))
                tail += labelLines.dropFirst().map { normal + "       " + $0 }
            }
        }
        if let entry = screen.input {
            tail += ["", normal + "  " + input + " " + entry + " " + normal]
        }
        if let message = screen.error {
            tail += [""] + wrap(message, width: width - 2).map { normal + "  " + error + " " + $0 + " " + normal }
        }
        if !screen.hints.isEmpty {
            tail.append("")
            tail += screen.hints.flatMap { wrap($0, width: width) }.map { hint + "  " + $0 }
        }
        let room = rows - 1 - head.count - tail.count
        if body.count > room { body = Array(body.prefix(max(room, 0))) }
        return Array((head + body + tail).prefix(max(rows - 1, 1)))
    }

    /// Words wrapped to `width` characters (Vietnamese letters count once each).
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// The screen as plain text, for logs and pipes.
    public static func plainText(_ screen: ScreenContent) -> String {
        var lines = ["== \(screen.title) =="] + screen.lines
        lines += screen.choices.map { "[\($0.key)] \($0.label)" }
        if let input = screen.input { lines.append("> \(input)") }
        if let error = screen.error { lines.append("! \(error)") }
        lines += screen.hints
        return lines.joined(separator: "\n")
    }
}
