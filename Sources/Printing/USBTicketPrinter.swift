import CLibUSB
import DeviceThread
import Foundation
import KioskCore

/// Why a ticket did not print: what the citizen is told (`failure`), what the log and `kioskctl`
/// show (`detail`), and the printer's status as last seen.
public struct TicketPrintError: Error, Sendable, CustomStringConvertible {
    public let failure: TicketPrintFailure
    public let detail: String
    public let status: DeviceStatus

    public var description: String { "\(failure.rawValue): \(detail)" }
}

/// The USB ESC/POS ticket printer, driven through libusb on a thread this actor owns: every
/// transfer blocks, and a printer that stops answering must not freeze the menu or the voice.
///
/// The printer is found by vendor:product, its printer-class interface claimed (the kernel's usblp
/// detached first), and asked for its status with `DLE EOT` 1-4 before each ticket and whenever
/// `refreshStatus` is called. A ticket goes out in chunks with a timeout each. When a ticket fails
/// part-way (paper out, cover opened, unplugged), the printer's buffers are cleared so the rest of
/// that ticket never prints after the refill for a citizen who has left.
public actor USBTicketPrinter {
    private let thread = DeviceThread(name: "kiosk-ticket")
    /// `nonisolated(unsafe)` only so `deinit` can call libusb_exit: nothing else uses the context once
    /// the actor is being destroyed, and libusb contexts may be used from any thread.
    nonisolated(unsafe) private let context: OpaquePointer
    nonisolated(unsafe) private var handle: OpaquePointer?
    private var settings: TicketPrinterSettings
    private var place = ""
    /// A status read timed out: its answer may still arrive and must not be taken for the next one.
    private var repliesMayBeStale = false
    public private(set) var status: DeviceStatus

    /// Bytes per bulk transfer, and how long the printer may take to accept one before it counts as stuck.
    static let chunkBytes = 16 * 1024
    static let chunkTimeoutMilliseconds: UInt32 = 3000
    static let statusTimeoutMilliseconds: UInt32 = 500
    /// How long a claim refused as BUSY is retried before the printer counts as taken by someone else.
    static let claimBusyWaitMilliseconds = 4000

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    /// Creates the libusb context (see `makeLibUSBContext`). Does not open the printer yet.
    public init(settings: TicketPrinterSettings, attempts: Int = 3) throws(PrintingError) {
        self.settings = settings
        status = DeviceStatus(kind: .ticketPrinter, state: .noDevice, paper: .unknown, identity: "usb:\(settings.usbID)",
                              detail: "not opened yet")
        context = try makeLibUSBContext(attempts: attempts)
    }

    deinit {
        if let handle {
            libusb_release_interface(handle, Int32(settings.interfaceNumber))
            libusb_close(handle)
        }
        libusb_exit(context)
        thread.stop()
    }

    /// Uses new settings (a reloaded profile); the printer is reopened if they changed.
    public func reconfigure(_ newSettings: TicketPrinterSettings) {
        guard newSettings != settings else { return }
        close()
        settings = newSettings
    }

    // MARK: - Status

    /// Opens the printer if needed and asks it for its status; the answer is also kept in `status`.
    @discardableResult
    public func refreshStatus() -> DeviceStatus {
        do {
            let handle = try openIfNeeded()
            let report = try readStatus(handle)
            status = Self.deviceStatus(report, identity: identity, place: place)
        } catch {
            status = error.status
        }
        return status
    }

    private var identity: String { "usb:\(settings.usbID)" }

    static func deviceStatus(_ report: ESCPOSStatus, identity: String, place: String) -> DeviceStatus {
        let state: DeviceState = switch report.fault {
        case nil: .online
        case .coverOpen: .userError
        case .printerFault: .hardwareError
        case .paperOut, .printerOffline, .printerMissing: .offline
        }
        return DeviceStatus(kind: .ticketPrinter, state: state, paper: report.paper, identity: identity,
                            detail: "\(place): \(report.summary)")
    }

    /// Asks `DLE EOT` 1…4, one at a time, each answer one byte on the bulk IN endpoint.
    private func readStatus(_ handle: OpaquePointer) throws(TicketPrintError) -> ESCPOSStatus {
        if repliesMayBeStale { drainReplies(handle) }
        var answers: [UInt8] = []
        for n: UInt8 in 1...4 {
            try write(ESCPOS.statusRequest(n), handle: handle, timeout: Self.statusTimeoutMilliseconds, what: "DLE EOT \(n)")
            var buffer = [UInt8](repeating: 0, count: 64)
            var received: Int32 = 0
            let result = libusb_bulk_transfer(handle, settings.bulkInEndpoint, &buffer, Int32(buffer.count), &received,
                                              Self.statusTimeoutMilliseconds)
            guard result == 0, received > 0 else {
                if result == 0 || result == LIBUSB_ERROR_TIMEOUT.rawValue {
                    repliesMayBeStale = true
                    throw failure(.printerOffline, state: .offline, "no answer to DLE EOT \(n) within \(Self.statusTimeoutMilliseconds) ms")
                }
                throw transferFailure(result, what: "reading the answer to DLE EOT \(n)")
            }
            // More than one byte: an earlier, late answer came first; the last byte answers this request.
            if received > 1 { repliesMayBeStale = true }
            answers.append(buffer[Int(received) - 1])
        }
        guard let report = ESCPOSStatus(printer: answers[0], offlineCause: answers[1], errorCause: answers[2],
                                        paperSensor: answers[3]) else {
            repliesMayBeStale = true
            let hex = answers.map { String($0, radix: 16) }.joined(separator: " ")
            throw failure(.printerFault, state: .hardwareError, "status answers \(hex) are not ESC/POS DLE EOT answers")
        }
        return report
    }

    /// Reads and drops whatever answers are still queued after a timeout.
    private func drainReplies(_ handle: OpaquePointer) {
        var buffer = [UInt8](repeating: 0, count: 64)
        var received: Int32 = 0
        for _ in 0..<8 {
            let result = libusb_bulk_transfer(handle, settings.bulkInEndpoint, &buffer, Int32(buffer.count), &received, 20)
            if result != 0 || received == 0 { break }
        }
        repliesMayBeStale = false
    }

    // MARK: - Printing

    /// Draws `layout` and prints it as one ticket. Returns the number of bytes the printer took.
    /// Throws when the printer is not ready before, fails during, or reports a fault right after.
    @discardableResult
    public func printTicket(_ layout: PrintLayout) throws(TicketPrintError) -> Int {
        let raster: MonochromeRaster
        do {
            raster = try SlipRasterizer.render(layout)
        } catch {
            throw failure(.printerFault, state: status.state, "rendering the ticket failed: \(error.detail)")
        }
        let job = ESCPOS.ticket(raster)
        try send(job)
        return job.count
    }

    /// Sends one whole ESC/POS job, checking the printer before and after.
    public func send(_ job: [UInt8]) throws(TicketPrintError) {
        let handle: OpaquePointer
        do throws(TicketPrintError) {
            handle = try openIfNeeded()
            let before = try readStatus(handle)
            status = Self.deviceStatus(before, identity: identity, place: place)
            if let fault = before.fault {
                throw failure(fault, state: status.state, "not printing: \(before.summary)")
            }
        } catch {
            status = error.status
            throw error
        }
        do throws(TicketPrintError) {
            try transmit(job, handle: handle)
            // A printer that ran out of paper or was opened part-way holds the rest of the ticket.
            let after = try readStatus(handle)
            status = Self.deviceStatus(after, identity: identity, place: place)
            if let fault = after.fault {
                throw failure(fault, state: status.state, "ticket not finished: \(after.summary)")
            }
        } catch {
            if let handle = self.handle {
                // Best effort: a printer that is gone cannot be cleared, and one that comes back
                // after an unplug starts with empty buffers anyway.
                try? write(ESCPOS.clearBuffers, handle: handle, timeout: Self.statusTimeoutMilliseconds, what: "DLE DC4 8")
            }
            status = error.status
            throw error
        }
    }

    /// Sends the job in chunks. A chunk the printer does not take within the timeout means it is
    /// stuck (out of paper with a full buffer, cover open, jammed): a real 80 mm printer takes a
    /// 16 KB chunk in well under a second while printing. The printer may then be inside a raster
    /// command whose rest will never come, where it would take status requests for dots; clearing
    /// its buffers first (a real-time command it recognises anywhere) brings it back in step.
    private func transmit(_ job: [UInt8], handle: OpaquePointer) throws(TicketPrintError) {
        var offset = 0
        var buffer = job
        while offset < buffer.count {
            let length = min(Self.chunkBytes, buffer.count - offset)
            var transferred: Int32 = 0
            let result = buffer.withUnsafeMutableBufferPointer { bytes in
                libusb_bulk_transfer(handle, settings.bulkOutEndpoint, bytes.baseAddress! + offset, Int32(length), &transferred,
                                     Self.chunkTimeoutMilliseconds)
            }
            offset += Int(transferred)
            if result == 0 { continue }
            guard result == LIBUSB_ERROR_TIMEOUT.rawValue else {
                throw transferFailure(result, what: "sending the ticket (\(offset) of \(buffer.count) bytes sent)")
            }
            try? write(ESCPOS.clearBuffers, handle: handle, timeout: Self.statusTimeoutMilliseconds, what: "DLE DC4 8")
            let report = try readStatus(handle)
            let fault = report.fault ?? .printerOffline
            throw failure(fault, state: report.fault == nil ? .offline : Self.deviceStatus(report, identity: identity, place: place).state,
                          "stopped taking the ticket after \(offset) of \(buffer.count) bytes: \(report.summary)")
        }
    }

    private func write(_ bytes: [UInt8], handle: OpaquePointer, timeout: UInt32, what: String) throws(TicketPrintError) {
        var buffer = bytes
        var transferred: Int32 = 0
        let result = libusb_bulk_transfer(handle, settings.bulkOutEndpoint, &buffer, Int32(buffer.count), &transferred, timeout)
        if result == LIBUSB_ERROR_TIMEOUT.rawValue {
            throw failure(.printerOffline, state: .offline, "\(what) not taken within \(timeout) ms")
        }
        guard result == 0 else { throw transferFailure(result, what: what) }
    }

    // MARK: - Opening and closing

    private func openIfNeeded() throws(TicketPrintError) -> OpaquePointer {
        if let handle { return handle }
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count >= 0, let list else {
            throw failure(.printerFault, state: .hardwareError,
                          "libusb_get_device_list: \(String(cString: libusb_error_name(Int32(count))))")
        }
        defer { libusb_free_device_list(list, 1) }
        var found: OpaquePointer?
        for index in 0..<count {
            guard let device = list[index] else { continue }
            var descriptor = libusb_device_descriptor()
            if libusb_get_device_descriptor(device, &descriptor) == 0,
               descriptor.idVendor == settings.usbID.vendor, descriptor.idProduct == settings.usbID.product {
                found = device
                break
            }
        }
        guard let device = found else {
            throw failure(.printerMissing, state: .noDevice, "no USB device \(settings.usbID) is connected")
        }
        let where_ = "bus \(libusb_get_bus_number(device)) address \(libusb_get_device_address(device))"
        try checkEndpoints(device, place: where_)
        var opened: OpaquePointer?
        let openResult = libusb_open(device, &opened)
        guard openResult == 0, let opened else {
            // LIBUSB_ERROR_ACCESS: the udev rule that gives the printer to the kiosk group is missing.
            throw failure(.printerFault, state: .hardwareError, "\(where_): cannot open: \(String(cString: libusb_error_name(openResult)))")
        }
        // The kernel's usblp driver claims printer-class interfaces; libusb detaches it while we hold the
        // interface and gives it back on release. Not every platform supports it; claiming then says so.
        _ = libusb_set_auto_detach_kernel_driver(opened, 1)
        // BUSY is often brief: another process (a CUPS backend probing, or this daemon's previous
        // instance whose file descriptor the kernel is still closing after a crash) lets go within
        // a moment. A citizen waiting for a ticket is better served by a short wait than a failure.
        var claimResult = libusb_claim_interface(opened, Int32(settings.interfaceNumber))
        var waited = 0
        while claimResult == LIBUSB_ERROR_BUSY.rawValue && waited < Self.claimBusyWaitMilliseconds {
            usleep(100_000)
            waited += 100
            claimResult = libusb_claim_interface(opened, Int32(settings.interfaceNumber))
        }
        guard claimResult == 0 else {
            libusb_close(opened)
            throw failure(.printerFault, state: .hardwareError,
                          "\(where_): cannot claim interface \(settings.interfaceNumber): \(String(cString: libusb_error_name(claimResult)))")
        }
        handle = opened
        place = where_
        repliesMayBeStale = true
        // The previous owner (this daemon before a crash) may have stopped inside a raster command.
        do {
            try write(ESCPOS.resynchronize(dotsPerLine: settings.dotsPerLine), handle: opened,
                      timeout: Self.statusTimeoutMilliseconds, what: "resynchronising")
        } catch where error.failure == .printerMissing || error.failure == .printerFault {
            throw error
        } catch {
            // Not taken now (an offline printer with a full buffer): it is harmless whenever it arrives.
        }
        return opened
    }

    /// The profile's interface must be a printer-class interface with the profile's bulk endpoints.
    private func checkEndpoints(_ device: OpaquePointer, place: String) throws(TicketPrintError) {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        if libusb_get_active_config_descriptor(device, &config) != 0 {
            guard libusb_get_config_descriptor(device, 0, &config) == 0 else {
                throw failure(.printerFault, state: .hardwareError, "\(place): no configuration descriptor")
            }
        }
        guard let config else { throw failure(.printerFault, state: .hardwareError, "\(place): no configuration descriptor") }
        defer { libusb_free_config_descriptor(config) }
        var endpoints: [UInt8] = []
        var isPrinter = false
        for interfaceIndex in 0..<Int(config.pointee.bNumInterfaces) {
            let interface = config.pointee.interface[interfaceIndex]
            for settingIndex in 0..<Int(interface.num_altsetting) {
                let setting = interface.altsetting[settingIndex]
                guard Int(setting.bInterfaceNumber) == settings.interfaceNumber else { continue }
                isPrinter = isPrinter || setting.bInterfaceClass == UInt8(LIBUSB_CLASS_PRINTER.rawValue)
                for endpointIndex in 0..<Int(setting.bNumEndpoints) {
                    let endpoint = setting.endpoint[endpointIndex]
                    if endpoint.bmAttributes & 0x03 == UInt8(LIBUSB_TRANSFER_TYPE_BULK.rawValue) {
                        endpoints.append(endpoint.bEndpointAddress)
                    }
                }
            }
        }
        guard isPrinter else {
            throw failure(.printerFault, state: .hardwareError, "\(place): interface \(settings.interfaceNumber) is not a printer-class interface")
        }
        for wanted in [settings.bulkOutEndpoint, settings.bulkInEndpoint] where !endpoints.contains(wanted) {
            let found = endpoints.map { "0x" + String($0, radix: 16) }.joined(separator: ",")
            throw failure(.printerFault, state: .hardwareError,
                          "\(place): interface \(settings.interfaceNumber) has no bulk endpoint 0x\(String(wanted, radix: 16)) (has \(found))")
        }
    }

    /// Lets go of the printer (the next use opens it again).
    public func close() {
        guard let handle else { return }
        libusb_release_interface(handle, Int32(settings.interfaceNumber))
        libusb_close(handle)
        self.handle = nil
    }

    // MARK: - Errors

    private func failure(_ failure: TicketPrintFailure, state: DeviceState, _ detail: String) -> TicketPrintError {
        let paper: PaperState = failure == .paperOut ? .out : (state == .noDevice ? .unknown : status.paper ?? .unknown)
        let status = DeviceStatus(kind: .ticketPrinter, state: state, paper: paper, identity: identity,
                                  detail: place.isEmpty || state == .noDevice ? detail : "\(place): \(detail)")
        return TicketPrintError(failure: failure, detail: status.detail, status: status)
    }

    /// A libusb error other than a timeout: the device went away or the link broke. The handle is
    /// closed so the next attempt finds the printer afresh (it gets a new address when replugged).
    private func transferFailure(_ result: Int32, what: String) -> TicketPrintError {
        let name = String(cString: libusb_error_name(result))
        let gone = result == LIBUSB_ERROR_NO_DEVICE.rawValue
        let error = failure(gone ? .printerMissing : .printerFault, state: gone ? .noDevice : .hardwareError, "\(what): \(name)")
        close()
        if gone { place = "" }
        return error
    }
}
