import Foundation
import KioskCore

/// Draws the citizen's screen on the daemon's standard output (a terminal or the Linux console).
/// The full-screen, large-text renderer arrives with the menu; this draws the idle screen.
struct TerminalScreen: Sendable {
    func showIdle(profile: KioskProfile, devices: [DeviceStatus], at instant: Date = Date()) {
        let screen = IdleScreen(profile: profile, devices: devices, at: instant)
        // Clear the screen only on a terminal; a log file or pipe should get plain text.
        let clear = isatty(STDOUT_FILENO) == 1 ? "\u{1B}[2J\u{1B}[H" : ""
        FileHandle.standardOutput.write(Data((clear + screen.framed()).utf8))
    }
}
