import Console
import KioskCore
import Testing

/// Keys typed on a terminal become the 12-key keypad's actions through the profile's key map.
@Suite struct TerminalKeysTests {
    @Test(arguments: [
        (UInt8(ascii: "0"), KeypadAction.digit0), (UInt8(ascii: "9"), .digit9), (UInt8(ascii: "#"), .confirm),
        (UInt8(ascii: "*"), .repeat), (UInt8(ascii: "b"), .back), (UInt8(ascii: "h"), .help), (UInt8(ascii: "+"), .volumeUp),
        (UInt8(ascii: "-"), .volumeDown), (UInt8(ascii: "l"), .language), (0x0d, .confirm), (0x7f, .back),
    ])
    func terminalKeysMapToKeypadActions(byte: UInt8, action: KeypadAction) {
        #expect(TerminalKeys.action(for: byte, keyMap: .terminalDefault) == action)
    }

    @Test func unmappedKeysAndEscapeSequencesDoNothing() {
        for byte in [UInt8(ascii: "x"), 0x1b, UInt8(ascii: "["), 0xc3] {
            #expect(TerminalKeys.action(for: byte, keyMap: .terminalDefault) == nil)
        }
    }

    @Test func theProfilesKeyMapDecides() {
        var keys = KeyMap.terminalDefault.keys
        keys[.confirm] = "e"
        keys[.back] = "#"
        let map = KeyMap(keys: keys)
        #expect(TerminalKeys.action(for: UInt8(ascii: "e"), keyMap: map) == .confirm)
        #expect(TerminalKeys.action(for: UInt8(ascii: "#"), keyMap: map) == .back)
    }
}
