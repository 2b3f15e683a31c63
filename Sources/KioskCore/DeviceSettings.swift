/// The kiosk's devices as the profile names them. A device the profile leaves out is absent:
/// the menu offers nothing that needs it (no ticket printer, no tickets).
public struct DeviceSettings: Sendable, Hashable {
    public var scanner: ScannerSettings?
    public var receiptPrinter: ReceiptPrinterSettings?
    public var ticketPrinter: TicketPrinterSettings?
    public var audio: AudioSettings
    public var keypad: KeypadSettings

    public init(scanner: ScannerSettings?, receiptPrinter: ReceiptPrinterSettings?,
                ticketPrinter: TicketPrinterSettings?, audio: AudioSettings, keypad: KeypadSettings) {
        self.scanner = scanner
        self.receiptPrinter = receiptPrinter
        self.ticketPrinter = ticketPrinter
        self.audio = audio
        self.keypad = keypad
    }
}

/// A SANE document scanner and how pages are taken from it.
public struct ScannerSettings: Sendable, Hashable {
    /// SANE device name (`test:0`, `fujitsu:fi-7160:12345`); nil means the first device found.
    public var deviceName: String?
    public var source: ScanSource
    public var mode: ScanMode
    public var resolutionDPI: Int
    public var pageSize: PageSize
    /// Backend-specific SANE options by name (`swcrop: "true"`, `page-height: "297"`): what one
    /// scanner model needs and no general setting says.
    public var backendOptions: [String: String]
    /// How long the scanner may go without a sign of life (a device listed, a stretch of a page read,
    /// a scan ended) before it is taken for wedged: its SANE process is killed and started afresh.
    /// Generous by default: some scanners warm their lamp for half a minute before the first line.
    public var answerTimeoutSeconds: Int

    public init(deviceName: String?, source: ScanSource, mode: ScanMode, resolutionDPI: Int, pageSize: PageSize,
                backendOptions: [String: String] = [:], answerTimeoutSeconds: Int = 60) {
        self.backendOptions = backendOptions
        self.answerTimeoutSeconds = answerTimeoutSeconds
        self.deviceName = deviceName
        self.source = source
        self.mode = mode
        self.resolutionDPI = resolutionDPI
        self.pageSize = pageSize
    }
}

public enum ScanSource: String, Sendable, CaseIterable, Hashable {
    case flatbed
    case automaticDocumentFeeder = "adf"
}

public enum ScanMode: String, Sendable, CaseIterable, Hashable {
    case gray
    case color
}

/// Paper sizes a citizen brings to a kiosk, with their size in millimetres.
public enum PageSize: String, Sendable, CaseIterable, Hashable {
    case a4, a5, letter, idCard = "id_card"

    public var millimetres: (width: Double, height: Double) {
        switch self {
        case .a4: (210, 297)
        case .a5: (148, 210)
        case .letter: (215.9, 279.4)
        case .idCard: (85.6, 53.98)
        }
    }
}

/// A CUPS queue that prints receipts on a roll.
public struct ReceiptPrinterSettings: Sendable, Hashable {
    public var cupsQueue: String
    public var rollWidthMillimetres: Int
    /// A receipt job not started within this many seconds is cancelled rather than printed stale.
    public var staleJobSeconds: Int

    public init(cupsQueue: String, rollWidthMillimetres: Int, staleJobSeconds: Int) {
        self.cupsQueue = cupsQueue
        self.rollWidthMillimetres = rollWidthMillimetres
        self.staleJobSeconds = staleJobSeconds
    }
}

/// A USB vendor:product pair such as `04b8:0e02`.
public struct USBDeviceID: Sendable, Hashable, CustomStringConvertible {
    public let vendor: UInt16
    public let product: UInt16

    public init(vendor: UInt16, product: UInt16) {
        self.vendor = vendor
        self.product = product
    }

    /// Parses `vvvv:pppp` in hexadecimal, as lsusb prints it.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 }),
              let vendor = UInt16(parts[0], radix: 16), let product = UInt16(parts[1], radix: 16) else { return nil }
        self.init(vendor: vendor, product: product)
    }

    public var description: String {
        func hex(_ value: UInt16) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 4 - digits.count) + digits
        }
        return "\(hex(vendor)):\(hex(product))"
    }
}

/// A USB ESC/POS ticket printer.
public struct TicketPrinterSettings: Sendable, Hashable {
    public var usbID: USBDeviceID
    public var interfaceNumber: Int
    public var bulkOutEndpoint: UInt8
    public var bulkInEndpoint: UInt8
    /// Printable width in dots: 576 on 80 mm heads, 384 on 58 mm heads.
    public var dotsPerLine: Int

    public init(usbID: USBDeviceID, interfaceNumber: Int, bulkOutEndpoint: UInt8, bulkInEndpoint: UInt8, dotsPerLine: Int) {
        self.usbID = usbID
        self.interfaceNumber = interfaceNumber
        self.bulkOutEndpoint = bulkOutEndpoint
        self.bulkInEndpoint = bulkInEndpoint
        self.dotsPerLine = dotsPerLine
    }
}

/// Where speech is played.
public struct AudioSettings: Sendable, Hashable {
    public var output: AudioOutput
    /// Volume a session starts at and returns to when it ends, 0…100.
    public var defaultVolume: Int
    /// Speech rate in words per minute a session starts at.
    public var defaultRateWordsPerMinute: Int
    /// True when the citizen listens on headphones: personal data may then be read out digit by digit.
    public var privateListening: Bool

    public init(output: AudioOutput, defaultVolume: Int, defaultRateWordsPerMinute: Int, privateListening: Bool) {
        self.output = output
        self.defaultVolume = defaultVolume
        self.defaultRateWordsPerMinute = defaultRateWordsPerMinute
        self.privateListening = privateListening
    }
}

public enum AudioOutput: Sendable, Hashable {
    /// A real sound device by ALSA name (`default`, `plughw:0,0`).
    case alsa(device: String)
    /// One WAV file per utterance in a folder: tests and the demo, on machines without a sound card.
    case wavDirectory(String)
}

/// The citizen's keypad.
public struct KeypadSettings: Sendable, Hashable {
    public var input: KeypadInput
    public var keyMap: KeyMap

    public init(input: KeypadInput, keyMap: KeyMap) {
        self.input = input
        self.keyMap = keyMap
    }
}

public enum KeypadInput: Sendable, Hashable {
    /// Keys typed on the controlling terminal (demo, bench tests).
    case terminal
    /// A USB keypad read through the Linux input layer, by device path (`/dev/kiosk/keypad`).
    case evdev(devicePath: String)
}

/// What each key means to the menu, following the ATM/telephone 12-key layout.
public enum KeypadAction: String, Sendable, CaseIterable, Hashable {
    case digit0 = "0", digit1 = "1", digit2 = "2", digit3 = "3", digit4 = "4"
    case digit5 = "5", digit6 = "6", digit7 = "7", digit8 = "8", digit9 = "9"
    case confirm, `repeat`, back, help, volumeUp = "volume_up", volumeDown = "volume_down", language
}

/// The key each action is bound to: a terminal character (`#`) or an evdev key name (`KEY_KPENTER`).
public struct KeyMap: Sendable, Hashable {
    public var keys: [KeypadAction: String]

    public init(keys: [KeypadAction: String]) {
        self.keys = keys
    }

    /// The 12-key layout on a terminal: digits, `#` confirms, `*` repeats, and letters for the
    /// keys a 12-key pad has beside its grid.
    public static let terminalDefault = KeyMap(keys: [
        .digit0: "0", .digit1: "1", .digit2: "2", .digit3: "3", .digit4: "4",
        .digit5: "5", .digit6: "6", .digit7: "7", .digit8: "8", .digit9: "9",
        .confirm: "#", .repeat: "*", .back: "b", .help: "h",
        .volumeUp: "+", .volumeDown: "-", .language: "l",
    ])

    /// A USB keypad's keys as the Linux input layer names them (linux/input-event-codes.h).
    public static let evdevDefault = KeyMap(keys: [
        .digit0: "KEY_KP0", .digit1: "KEY_KP1", .digit2: "KEY_KP2", .digit3: "KEY_KP3", .digit4: "KEY_KP4",
        .digit5: "KEY_KP5", .digit6: "KEY_KP6", .digit7: "KEY_KP7", .digit8: "KEY_KP8", .digit9: "KEY_KP9",
        .confirm: "KEY_KPENTER", .repeat: "KEY_KPASTERISK", .back: "KEY_BACKSPACE", .help: "KEY_HELP",
        .volumeUp: "KEY_VOLUMEUP", .volumeDown: "KEY_VOLUMEDOWN", .language: "KEY_LANGUAGE",
    ])

    /// The action bound to `key`, if any.
    public func action(for key: String) -> KeypadAction? {
        keys.first { $0.value == key }?.key
    }
}
