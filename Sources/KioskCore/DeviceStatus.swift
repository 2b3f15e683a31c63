/// The kinds of device a kiosk drives, as technicians and logs name them.
public enum DeviceKind: String, Sendable, CaseIterable, Hashable {
    case scanner
    case receiptPrinter = "receipt-printer"
    case ticketPrinter = "ticket-printer"
    case speech
    case keypad
}

/// A device's state, in the vocabulary of CEN XFS4IoT's common status.
public enum DeviceState: String, Sendable, Hashable, CaseIterable {
    case online, offline, hardwareError, userError, busy, noDevice
}

/// Paper supply of a printer (XFS4IoT printer status).
public enum PaperState: String, Sendable, Hashable, CaseIterable {
    case full, low, out, jammed, unknown
}

/// What the kiosk knows of one device: its state, its paper if it has any, and a technical detail
/// for logs and `kioskctl` (never shown or spoken to a citizen as is).
public struct DeviceStatus: Sendable, Hashable {
    public var kind: DeviceKind
    public var state: DeviceState
    public var paper: PaperState?
    /// Which device this is (SANE name, CUPS queue, USB id, voice), for technicians.
    public var identity: String
    public var detail: String

    public init(kind: DeviceKind, state: DeviceState, paper: PaperState? = nil, identity: String, detail: String) {
        self.kind = kind
        self.state = state
        self.paper = paper
        self.identity = identity
        self.detail = detail
    }

    /// Whether the device can do its job now.
    public var isUsable: Bool { state == .online && paper != .out && paper != .jammed }
}
