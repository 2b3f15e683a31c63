import CCUPS
import DeviceThread
import KioskCore

/// A print queue as the CUPS scheduler describes it.
public struct CUPSQueueInfo: Sendable, Hashable {
    public let name: String
    /// IPP printer-state: 3 idle, 4 processing, 5 stopped.
    public let state: Int
    /// IPP printer-state-reasons, such as `media-empty-error` or `paused`; `none` is dropped.
    public let stateReasons: [String]
    public let isAcceptingJobs: Bool

    public init(name: String, state: Int, stateReasons: [String], isAcceptingJobs: Bool) {
        self.name = name
        self.state = state
        self.stateReasons = stateReasons
        self.isAcceptingJobs = isAcceptingJobs
    }
}

/// The CUPS scheduler the kiosk prints receipts through (the system one, or `CUPS_SERVER`'s).
///
/// libcups calls block on the scheduler's socket, so they run on this actor's own thread.
public actor CUPSQueues {
    private let thread = DeviceThread(name: "kiosk-cups")

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    public init() {}

    deinit {
        thread.stop()
    }

    /// The scheduler libcups talks to: a host name or a socket path.
    public func serverName() -> String {
        String(cString: cupsServer())
    }

    /// Every queue the scheduler has.
    public func queues() throws(PrintingError) -> [CUPSQueueInfo] {
        var destinations: UnsafeMutablePointer<cups_dest_t>?
        let count = cupsGetDests2(nil, &destinations)
        defer { cupsFreeDests(count, destinations) }
        if count == 0, cupsLastError().rawValue > IPP_STATUS_OK_EVENTS_COMPLETE.rawValue {
            throw PrintingError("CUPS at \(serverName()) cannot be asked for its queues: \(String(cString: cupsLastErrorString()))")
        }
        guard let destinations else { return [] }
        return (0..<Int(count)).map { index in
            let destination = destinations[index]
            func option(_ name: String) -> String? {
                cupsGetOption(name, destination.num_options, destination.options).map { String(cString: $0) }
            }
            let reasons = (option("printer-state-reasons") ?? "none").split(separator: ",").map(String.init).filter { $0 != "none" }
            return CUPSQueueInfo(name: String(cString: destination.name), state: Int(option("printer-state") ?? "") ?? 0,
                                 stateReasons: reasons, isAcceptingJobs: option("printer-is-accepting-jobs") != "false")
        }
    }

    /// The receipt printer's status: the queue exists, accepts jobs, and its reasons say nothing is wrong.
    public func status(for settings: ReceiptPrinterSettings) -> DeviceStatus {
        let identity = "\(settings.cupsQueue)@\(serverName())"
        do {
            let queues = try queues()
            guard let queue = queues.first(where: { $0.name == settings.cupsQueue }) else {
                let found = queues.isEmpty ? "none" : queues.map(\.name).joined(separator: ",")
                return DeviceStatus(kind: .receiptPrinter, state: .noDevice, identity: identity,
                                    detail: "CUPS has no queue \(settings.cupsQueue); queues: \(found)")
            }
            return Self.status(of: queue, identity: identity)
        } catch {
            return DeviceStatus(kind: .receiptPrinter, state: .offline, identity: identity, detail: error.detail)
        }
    }

    /// Maps IPP printer-state and printer-state-reasons to the kiosk's status vocabulary.
    public static func status(of queue: CUPSQueueInfo, identity: String) -> DeviceStatus {
        let reasons = queue.stateReasons.map { reason in
            // Reasons carry a severity suffix (-error, -warning, -report) that does not change their meaning here.
            ["-error", "-warning", "-report"].reduce(reason) { name, suffix in
                name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
            }
        }
        var paper: PaperState = .full
        if reasons.contains("media-empty") || reasons.contains("media-needed") { paper = .out }
        else if reasons.contains("media-jam") { paper = .jammed }
        else if reasons.contains("media-low") { paper = .low }
        var state: DeviceState = queue.state == 4 ? .busy : .online
        if queue.state == 5 || reasons.contains("paused") || !queue.isAcceptingJobs { state = .offline }
        if reasons.contains("offline") || reasons.contains("connecting-to-device") { state = .offline }
        if reasons.contains("door-open") || reasons.contains("cover-open") { state = .userError }
        let detail = "printer-state=\(queue.state) reasons=\(queue.stateReasons.isEmpty ? "none" : queue.stateReasons.joined(separator: ","))"
            + " accepting=\(queue.isAcceptingJobs)"
        return DeviceStatus(kind: .receiptPrinter, state: state, paper: paper, identity: identity, detail: detail)
    }
}
