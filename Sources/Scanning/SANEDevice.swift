import CSANE
import Foundation
import KioskCore

/// One SANE scanner driven in this process: opens the profile's device (or the first found), sets
/// source, mode, resolution and scan area, and scans one page or a feeder's whole stack.
///
/// It lives in kiosk-scan-helper, never in kioskd itself (see `SANEScanner` for why). It runs on
/// libsane's own thread (the one `SANEBackend` owns), so SANE is driven from one thread. A scan is
/// stopped with a `ScanCancellation` from another thread. After any fault but an empty feeder or a
/// cancel, the device is closed and opened afresh for the next scan: some backends stay stuck until
/// reopened.
actor SANEDevice {
    nonisolated(unsafe) private var handle: SANE_Handle?
    private(set) var settings: ScannerSettings
    private var openedName: String?
    /// The area actually scanned, in millimetres, after clamping to what the scanner can reach;
    /// zero for a device that has no scan-area options (its pages tell their size).
    private(set) var scanArea: (width: Double, height: Double) = (0, 0)
    /// What the reads have delivered so far, told at most every `progressInterval`: the helper's sign
    /// of life while a long page comes in.
    private let progressInterval: Duration = .milliseconds(250)

    nonisolated var unownedExecutor: UnownedSerialExecutor {
        SANEBackend.shared.unownedExecutor
    }

    init(settings: ScannerSettings) {
        self.settings = settings
    }

    deinit {
        if let handle { sane_close(handle) }
    }

    /// Uses new settings; the device is reopened if they changed.
    func reconfigure(_ newSettings: ScannerSettings) {
        guard newSettings != settings else { return }
        close()
        settings = newSettings
    }

    /// Which device is open, once one is.
    var deviceName: String? { openedName }

    // MARK: - Scanning

    /// Scans one page (from the glass, or the next sheet of the feeder) or, with `feeder`, every
    /// sheet until the feeder is empty (SANE_STATUS_NO_DOCS after at least one page). Each page is
    /// handed to `pageRead` as soon as it is complete, so a fault part-way loses none of them.
    /// `endScan` must follow, whatever the outcome.
    func scan(feeder: Bool, cancellation: ScanCancellation, maximumPages: Int,
              pageRead: (ScannedPage) -> Void, progress: (Int) -> Void) async throws(ScanFailure) {
        let handle = try await openIfNeeded()
        var pages = 0
        while pages < (feeder ? maximumPages : 1) {
            do {
                pageRead(try readPage(handle, cancellation: cancellation, pagesBefore: pages, progress: progress))
                pages += 1
            } catch where feeder && error.fault == .noDocuments && pages > 0 {
                break
            }
        }
    }

    /// Ends a scan (or a batch) the standard's way, returning the device to idle. Backends wait here
    /// for their reader to stop.
    func endScan(cancellation: ScanCancellation) {
        cancellation.attach(nil)
        if let handle { sane_cancel(handle) }
    }

    /// One page: sane_start, the parameters, then sane_read until EOF.
    private func readPage(_ handle: SANE_Handle, cancellation: ScanCancellation, pagesBefore: Int,
                          progress: (Int) -> Void) throws(ScanFailure) -> ScannedPage {
        let stoppable = StoppableHandle(handle: handle)
        cancellation.attach { sane_cancel(stoppable.handle) }
        guard !cancellation.isCancelled else {
            throw ScanFailure(fault: .cancelled, detail: "cancelled before the page started")
        }
        var status = sane_start(handle)
        guard status == SANE_STATUS_GOOD else { throw fail(status, "sane_start", pagesBefore: pagesBefore) }
        var parameters = SANE_Parameters()
        status = sane_get_parameters(handle, &parameters)
        guard status == SANE_STATUS_GOOD else { throw fail(status, "sane_get_parameters", pagesBefore: pagesBefore) }
        let format: ScannedPage.Format
        switch parameters.format {
        case SANE_FRAME_GRAY: format = .gray
        case SANE_FRAME_RGB: format = .rgb
        default:
            throw fail(SANE_STATUS_UNSUPPORTED, "frame format \(parameters.format.rawValue) (three-pass colour is not supported)",
                       pagesBefore: pagesBefore)
        }
        var data: [UInt8] = []
        if parameters.lines > 0 { data.reserveCapacity(Int(parameters.bytes_per_line) * Int(parameters.lines)) }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        let clock = ContinuousClock()
        var lastProgress = clock.now
        while true {
            var length: SANE_Int = 0
            status = sane_read(handle, &buffer, SANE_Int(buffer.count), &length)
            if status == SANE_STATUS_EOF { break }
            guard status == SANE_STATUS_GOOD else {
                throw fail(status, "sane_read after \(data.count) bytes", pagesBefore: pagesBefore)
            }
            data.append(contentsOf: buffer[0..<Int(length)])
            if clock.now - lastProgress >= progressInterval {
                lastProgress = clock.now
                progress(data.count)
            }
        }
        // Some backends end a cancelled page with EOF instead of CANCELLED: a part page is not a page.
        if cancellation.isCancelled {
            throw fail(SANE_STATUS_CANCELLED, "sane_read after \(data.count) bytes", pagesBefore: pagesBefore)
        }
        if parameters.lines > 0, data.count < Int(parameters.bytes_per_line) * Int(parameters.lines) {
            throw fail(SANE_STATUS_IO_ERROR, "page ended after \(data.count / max(Int(parameters.bytes_per_line), 1)) of \(parameters.lines) lines",
                       pagesBefore: pagesBefore)
        }
        return try Self.page(from: data, parameters: parameters, format: format, dotsPerInch: settings.resolutionDPI,
                             pagesBefore: pagesBefore)
    }

    /// Converts what SANE delivered (1, 8 or 16 bits per sample, rows padded to bytes_per_line) to
    /// 8-bit samples.
    static func page(from data: [UInt8], parameters: SANE_Parameters, format: ScannedPage.Format, dotsPerInch: Int,
                     pagesBefore: Int) throws(ScanFailure) -> ScannedPage {
        let width = Int(parameters.pixels_per_line)
        let rowBytes = Int(parameters.bytes_per_line)
        guard width > 0, rowBytes > 0 else {
            throw ScanFailure(fault: .other, detail: "the scanner reported a page \(width) pixels wide")
        }
        let height = data.count / rowBytes
        let samples = width * format.bytesPerPixel
        // The usual case, 8-bit rows without padding, is already what a page holds: no copy.
        if parameters.depth == 8, rowBytes == samples {
            return ScannedPage(width: width, height: height, format: format, dotsPerInch: dotsPerInch,
                               pixels: data.count == samples * height ? data : Array(data.prefix(samples * height)))
        }
        var pixels = [UInt8](repeating: 0, count: samples * height)
        switch parameters.depth {
        case 8:
            for row in 0..<height {
                pixels.replaceSubrange((row * samples)..<((row + 1) * samples), with: data[(row * rowBytes)..<(row * rowBytes + samples)])
            }
        case 16:
            // Host byte order; the high byte is enough for a document image.
            for row in 0..<height {
                for sample in 0..<samples {
                    let offset = row * rowBytes + sample * 2
                    let value = UInt16(data[offset]) | UInt16(data[offset + 1]) << 8
                    pixels[row * samples + sample] = UInt8(value >> 8)
                }
            }
        case 1:
            // Line art: a set bit is black.
            for row in 0..<height {
                for sample in 0..<samples {
                    let byte = data[row * rowBytes + sample / 8]
                    pixels[row * samples + sample] = byte & (0x80 >> UInt8(sample % 8)) != 0 ? 0 : 255
                }
            }
        default:
            throw ScanFailure(fault: .other, detail: "unsupported depth \(parameters.depth)")
        }
        return ScannedPage(width: width, height: height, format: format, dotsPerInch: dotsPerInch, pixels: pixels)
    }

    /// A SANE status as a failure. Devices in an unknown state are closed, to be reopened next time.
    private func fail(_ status: SANE_Status, _ what: String, pagesBefore: Int) -> ScanFailure {
        let fault = ScanFailure.fault(for: status)
        if fault != .noDocuments && fault != .cancelled { close() }
        return ScanFailure(fault: fault, detail: "\(openedName ?? "scanner"): \(what): \(String(cString: sane_strstatus(status)))")
    }

    // MARK: - Opening and options

    private func openIfNeeded() async throws(ScanFailure) -> SANE_Handle {
        if let handle { return handle }
        let name: String
        do {
            try await SANEBackend.shared.start()
            if let wanted = settings.deviceName {
                name = wanted
            } else {
                guard let first = try await SANEBackend.shared.devices().first else {
                    throw ScanFailure(fault: .missing, detail: "SANE finds no scanner")
                }
                name = first.name
            }
        } catch let failure as ScanFailure {
            throw failure
        } catch {
            throw ScanFailure(fault: .missing, detail: "\(error)")
        }
        var opened: SANE_Handle?
        let status = sane_open(name, &opened)
        guard status == SANE_STATUS_GOOD, let opened else {
            let fault: ScanFault = status == SANE_STATUS_INVAL ? .missing : ScanFailure.fault(for: status)
            throw ScanFailure(fault: fault, detail: "sane_open \(name): \(String(cString: sane_strstatus(status)))")
        }
        handle = opened
        openedName = name
        do {
            try configure(opened)
        } catch {
            close()
            throw error
        }
        return opened
    }

    private func configure(_ handle: SANE_Handle) throws(ScanFailure) {
        let options = SANEOptions(handle: handle, deviceName: openedName ?? "scanner")
        if options.has("source") {
            let wanted: [String] = settings.source == .automaticDocumentFeeder
                ? ["automatic document feeder", "adf", "feeder", "adf front"] : ["flatbed", "normal"]
            try options.setChoice("source", preferring: wanted, describing: settings.source.rawValue)
        } else if settings.source == .automaticDocumentFeeder {
            throw ScanFailure(fault: .other, detail: "\(openedName ?? "scanner") has no source option, so no document feeder")
        }
        // A device with no mode option scans in its one mode (SANE's pnm backend: the image file's
        // own); each page's format says which it was.
        if options.has("mode") {
            try options.setChoice("mode", preferring: settings.mode == .gray ? ["gray", "grayscale"] : ["color", "colour"],
                                  describing: settings.mode.rawValue)
        }
        try options.setNumber("resolution", Double(settings.resolutionDPI))
        for (name, value) in settings.backendOptions.sorted(by: { $0.key < $1.key }) {
            try options.setText(name, value)
        }
        // A device with no scan-area options scans all it can see (the pnm backend: the whole
        // image); the area is then only known from a page.
        guard ["tl-x", "tl-y", "br-x", "br-y"].allSatisfy(options.has) else {
            scanArea = (0, 0)
            return
        }
        // The scan area: the page size, clamped to what the scanner reaches (SANE's test backend
        // stops at 200 x 200 mm).
        let size = settings.pageSize.millimetres
        try options.setNumber("tl-x", 0)
        try options.setNumber("tl-y", 0)
        let width = try options.setNumber("br-x", size.width, clamp: true)
        let height = try options.setNumber("br-y", size.height, clamp: true)
        scanArea = (width, height)
    }

    /// Closes the device; the next scan opens it again.
    func close() {
        guard let handle else { return }
        sane_close(handle)
        self.handle = nil
    }
}

/// A device handle handed to the thread that cancels a scan. `@unchecked Sendable`: SANE allows
/// `sane_cancel` from any thread (even a signal handler) while a scan runs, and `ScanCancellation`
/// stops calling it before the handle can be closed (`endScan` detaches it first).
private struct StoppableHandle: @unchecked Sendable {
    let handle: SANE_Handle
}
