import DeviceThread
import Foundation
import KioskCore
import Synchronization

/// The kiosk's document scanner, as kioskd uses it: scans one page or a feeder's whole stack with
/// the profile's settings, and reports whether the scanner is there.
///
/// libsane itself runs in a helper process, kiosk-scan-helper (as SANE's own saned keeps backends
/// out of its clients). A backend is foreign code with threads and signal handling of its own, and
/// when it misbehaves a separate process is what can be stopped. Seen with SANE's test backend: it
/// ends every scan by cancelling its reader thread (`pthread_cancel`), and a reader cancelled inside
/// malloc leaves the allocator locked, freezing every thread of the process; it also reset the
/// process's SIGTERM handler. In the helper, such a freeze costs one restart: a helper that gives no
/// sign of life for the profile's `answer_timeout_seconds` is killed, the scan in hand fails as an I/O
/// error with the pages already received kept, and the next request starts a fresh helper.
///
/// The actor runs on a thread of its own, since waiting for the helper blocks.
public actor SANEScanner {
    private let thread = DeviceThread(name: "kiosk-scanner")
    private var settings: ScannerSettings
    private var helper: ScanHelperProcess? {
        didSet { runningHelperID.withLock { $0 = helper?.processID } }
    }
    /// The helper's process ID, readable while a scan holds the actor.
    private nonisolated let runningHelperID = Mutex<Int32?>(nil)
    /// The helper has ended a scan but not yet said the device is at rest.
    private var awaitingRest = false
    /// The area actually scanned, in millimetres, after clamping to what the scanner can reach;
    /// zero for a device that has no scan-area options (its pages tell their size).
    public private(set) var scanArea: (width: Double, height: Double) = (0, 0)
    /// Which device the last scan used.
    public private(set) var deviceName: String?
    /// How many times a helper had to be stopped or was found gone, and the last reason.
    public private(set) var helperRestarts = 0
    public private(set) var lastHelperFault: String?

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    public init(settings: ScannerSettings) {
        self.settings = settings
    }

    deinit {
        helper?.stop()
        thread.stop()
    }

    /// The running helper's process ID, if one runs (for technicians and tests); answered at once,
    /// even while a scan is in progress.
    public nonisolated var helperProcessID: Int32? { runningHelperID.withLock { $0 } }

    /// Uses new settings (a reloaded profile); the helper reopens the device when they differ.
    public func reconfigure(_ newSettings: ScannerSettings) {
        settings = newSettings
    }

    // MARK: - Scanning

    /// Scans one page: from the glass, or the next sheet of the feeder.
    public func scanPage(cancellation: ScanCancellation = ScanCancellation()) throws(ScanFailure) -> ScannedPage {
        let pages = try scan(feeder: false, maximumPages: 1, cancellation: cancellation)
        return pages[0]
    }

    /// Scans every sheet in the feeder until it is empty. A fault part-way throws with the pages
    /// already scanned kept in the failure.
    public func scanFeeder(cancellation: ScanCancellation = ScanCancellation(), maximumPages: Int = 200) throws(ScanFailure)
        -> [ScannedPage] {
        try scan(feeder: true, maximumPages: maximumPages, cancellation: cancellation)
    }

    private func scan(feeder: Bool, maximumPages: Int, cancellation: ScanCancellation) throws(ScanFailure) -> [ScannedPage] {
        guard !cancellation.isCancelled else {
            throw ScanFailure(fault: .cancelled, detail: "cancelled before the page started")
        }
        let helper: ScanHelperProcess
        do throws(HelperFault) {
            helper = try readyHelper()
            try send(.scan(ScanHelperWire.Settings(settings), feeder: feeder, maximumPages: maximumPages), to: helper)
        } catch {
            throw ScanFailure(fault: error.fault, detail: error.detail)
        }
        let cancelFrame = (try? ScanHelperWire.encode(ScanHelperWire.Request.cancel)) ?? []
        let socket = helper.socket
        cancellation.attach { socket.send(cancelFrame) }
        defer { cancellation.attach(nil) }
        var pages: [ScannedPage] = []
        while true {
            let answer: ScanHelperWire.Answer
            let payload: [UInt8]
            do {
                (answer, payload) = try nextAnswer(from: helper)
            } catch {
                throw ScanFailure(fault: error.fault, detail: error.detail, pagesBefore: pages)
            }
            switch answer {
            case .progress:
                continue
            case let .page(width, height, rgb, dotsPerInch):
                let format: ScannedPage.Format = rgb ? .rgb : .gray
                guard width > 0, height > 0, payload.count == width * height * format.bytesPerPixel else {
                    let detail = discard(helper, because: "the scanner's SANE process sent a page whose pixels do not match its size")
                    throw ScanFailure(fault: .other, detail: detail, pagesBefore: pages)
                }
                pages.append(ScannedPage(width: width, height: height, format: format, dotsPerInch: dotsPerInch, pixels: payload))
            case let .ended(fault, detail, name, scanWidth, scanHeight):
                deviceName = name ?? deviceName
                scanArea = (scanWidth, scanHeight)
                // The citizen has their outcome now; the helper's clean-up is awaited off their time.
                awaitingRest = true
                Task { self.settle() }
                if let fault {
                    throw ScanFailure(fault: ScanFault(rawValue: fault) ?? .other, detail: detail, pagesBefore: pages)
                }
                guard !pages.isEmpty else {
                    throw ScanFailure(fault: .other, detail: "\(name ?? "scanner"): the scan ended without a page")
                }
                return pages
            case .status, .idle, .refused:
                let detail = discard(helper, because: "the scanner's SANE process answered a scan with \(answer)")
                throw ScanFailure(fault: .other, detail: detail, pagesBefore: pages)
            }
        }
    }

    // MARK: - Status and closing

    /// The scanner's status for the current settings: found and named, or why not.
    public func status() -> DeviceStatus {
        let identity = settings.deviceName ?? "first device found"
        let restarts = helperRestarts == 0 ? "" : "; its SANE process was restarted \(helperRestarts) time(s), last because \(lastHelperFault ?? "?")"
        do throws(HelperFault) {
            let helper = try readyHelper()
            try send(.status(ScanHelperWire.Settings(settings)), to: helper)
            let (answer, _) = try nextAnswer(from: helper)
            guard case let .status(state, reported, detail) = answer, let deviceState = DeviceState(rawValue: state) else {
                throw HelperFault(detail: discard(helper, because: "the scanner's SANE process answered a status request with \(answer)"))
            }
            return DeviceStatus(kind: .scanner, state: deviceState, identity: reported, detail: detail + restarts)
        } catch {
            let state: DeviceState = error.fault == .missing ? .noDevice : .hardwareError
            return DeviceStatus(kind: .scanner, state: state, identity: identity, detail: error.detail + restarts)
        }
    }

    /// Closes the device; the next scan opens it again.
    public func close() {
        guard let helper else { return }
        do throws(HelperFault) {
            settle()
            guard helper.send(.close) else { return }
            _ = try nextAnswer(from: helper)
        } catch {
            // Discarded already; the next request starts afresh.
        }
    }

    // MARK: - The helper

    /// A reason the helper could not serve; it has been stopped and forgotten when this is thrown.
    private struct HelperFault: Error {
        var fault: ScanFault = .ioError
        let detail: String
    }

    /// The running helper, at rest; started if there is none.
    private func readyHelper() throws(HelperFault) -> ScanHelperProcess {
        settle()
        if let helper { return helper }
        do {
            let started = try ScanHelperProcess()
            helper = started
            return started
        } catch {
            throw HelperFault(fault: .other, detail: error.detail)
        }
    }

    /// Waits for the helper to report the device at rest after a scan, if it has not yet.
    private func settle() {
        guard awaitingRest, let helper else { return }
        awaitingRest = false
        do throws(HelperFault) {
            while true {
                let (answer, _) = try nextAnswer(from: helper)
                if answer == .idle { return }
            }
        } catch {
            // Wedged in its clean-up, or gone: discarded; the next request starts a fresh helper.
        }
    }

    /// The helper's next answer within the answer time; a helper that is silent, gone or garbled is
    /// stopped and forgotten, and the reason thrown.
    private func nextAnswer(from helper: ScanHelperProcess) throws(HelperFault) -> (ScanHelperWire.Answer, [UInt8]) {
        let limit = settings.answerTimeoutSeconds
        switch helper.socket.receive(within: .seconds(limit)) {
        case let .frame(header, payload):
            guard let answer = try? JSONDecoder().decode(ScanHelperWire.Answer.self, from: header) else {
                throw HelperFault(detail: discard(helper, because: "the scanner's SANE process sent an answer this kioskd cannot read"))
            }
            return (answer, payload)
        case .timedOut:
            throw HelperFault(detail: discard(helper, because: "the scanner gave no sign of life for \(limit) s; its SANE process (pid \(helper.processID)) was stopped and will be started afresh"))
        case .closed:
            throw HelperFault(detail: discard(helper, because: Self.exited(helper)))
        case let .corrupt(why):
            throw HelperFault(detail: discard(helper, because: "the scanner's SANE process sent garbled frames (\(why))"))
        }
    }

    /// Sends a request; a helper that is gone is forgotten and how it ended thrown.
    private func send(_ request: ScanHelperWire.Request, to helper: ScanHelperProcess) throws(HelperFault) {
        guard helper.send(request) else { throw HelperFault(detail: discard(helper, because: Self.exited(helper))) }
    }

    /// How a helper that is gone ended, for the status and the citizen's failure detail.
    private static func exited(_ helper: ScanHelperProcess) -> String {
        "the scanner's SANE process (pid \(helper.processID)) \(helper.collect())"
    }

    /// Stops and forgets `helper`; the reason is kept for the status and returned.
    private func discard(_ helper: ScanHelperProcess, because reason: String) -> String {
        helper.stop()
        if self.helper === helper { self.helper = nil }
        awaitingRest = false
        helperRestarts += 1
        lastHelperFault = reason
        return reason
    }
}
