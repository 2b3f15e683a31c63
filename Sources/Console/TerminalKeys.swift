import Foundation
import KioskCore

/// Keys typed on the controlling terminal, mapped to keypad actions by the profile's key map.
///
/// The terminal is put in non-canonical mode without echo (each key arrives at once and nothing is
/// printed over the screen) but keeps ISIG, so Ctrl-C still stops the daemon the usual way. Enter
/// also confirms and Backspace also goes back, as anyone at a keyboard expects. Bytes are read on a
/// thread of this object's own, since `read` blocks.
public final class TerminalKeys: @unchecked Sendable {
    // @unchecked: `savedAttributes` is written once in `init`, before the reading thread starts,
    // and read in `restore`.
    private let input: Int32
    private var savedAttributes = termios()
    private let hasSavedAttributes: Bool

    /// Keys as they are pressed. Finishes when the terminal closes.
    public let actions: AsyncStream<KeypadAction>

    /// Nil when standard input is not a terminal (the daemon under systemd without a console).
    public init?(keyMap: KeyMap, input: Int32 = STDIN_FILENO, onKey: @escaping @Sendable (KeypadAction) -> Void = { _ in }) {
        guard isatty(input) == 1 else { return nil }
        self.input = input
        var attributes = termios()
        hasSavedAttributes = tcgetattr(input, &attributes) == 0
        savedAttributes = attributes
        if hasSavedAttributes {
            attributes.c_lflag &= ~tcflag_t(ICANON | ECHO)
            withUnsafeMutableBytes(of: &attributes.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            tcsetattr(input, TCSANOW, &attributes)
        }
        let (stream, continuation) = AsyncStream<KeypadAction>.makeStream()
        actions = stream
        let thread = Thread {
            var byte: UInt8 = 0
            while read(input, &byte, 1) == 1 {
                guard let action = Self.action(for: byte, keyMap: keyMap) else { continue }
                // Barge-in happens here, before the key even reaches the menu.
                onKey(action)
                continuation.yield(action)
            }
            continuation.finish()
        }
        thread.name = "kiosk-terminal-keys"
        thread.start()
    }

    /// Puts the terminal back as it was.
    public func restore() {
        guard hasSavedAttributes else { return }
        var attributes = savedAttributes
        tcsetattr(input, TCSANOW, &attributes)
    }

    public static func action(for byte: UInt8, keyMap: KeyMap) -> KeypadAction? {
        switch byte {
        case 0x0d, 0x0a: return .confirm
        case 0x7f, 0x08: return .back
        default:
            guard byte < 0x80 else { return nil }
            return keyMap.action(for: String(UnicodeScalar(byte)))
        }
    }
}
