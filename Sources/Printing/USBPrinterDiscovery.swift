import CLibUSB
import DeviceThread
import Foundation
import KioskCore

/// A USB device as libusb enumerates it.
public struct USBDeviceInfo: Sendable, Hashable {
    public let id: USBDeviceID
    public let busNumber: Int
    public let deviceAddress: Int
    /// Interface numbers of class 7 (printer) in the active or first configuration.
    public let printerInterfaces: [Int]
}

/// Finds USB ticket printers with libusb. One libusb context per instance, used from one thread:
/// enumeration and opening touch usbfs and may block on a device that is being reset.
public actor USBPrinterDiscovery {
    private let thread = DeviceThread(name: "kiosk-usb")
    /// `nonisolated(unsafe)` only so `deinit` can call libusb_exit: libusb documents its contexts as
    /// thread-safe, and nothing else uses the context once the actor is being destroyed.
    nonisolated(unsafe) private let context: OpaquePointer

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    /// Creates the libusb context (see `makeLibUSBContext`).
    public init(attempts: Int = 3) throws(PrintingError) {
        context = try makeLibUSBContext(attempts: attempts)
    }

    deinit {
        libusb_exit(context)
        thread.stop()
    }

    /// Every USB device on the system, with its printer-class interfaces.
    public func devices() throws(PrintingError) -> [USBDeviceInfo] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count >= 0, let list else {
            throw PrintingError("libusb_get_device_list failed: \(String(cString: libusb_error_name(Int32(count))))")
        }
        defer { libusb_free_device_list(list, 1) }
        var devices: [USBDeviceInfo] = []
        for index in 0..<count {
            guard let device = list[index] else { continue }
            var descriptor = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &descriptor) == 0 else { continue }
            devices.append(USBDeviceInfo(id: USBDeviceID(vendor: descriptor.idVendor, product: descriptor.idProduct),
                                         busNumber: Int(libusb_get_bus_number(device)),
                                         deviceAddress: Int(libusb_get_device_address(device)),
                                         printerInterfaces: Self.printerInterfaces(of: device)))
        }
        return devices
    }

    /// The ticket printer's status: present, a printer, and openable by this process.
    public func status(for settings: TicketPrinterSettings) -> DeviceStatus {
        let identity = "usb:\(settings.usbID)"
        do {
            guard let device = try devices().first(where: { $0.id == settings.usbID }) else {
                return DeviceStatus(kind: .ticketPrinter, state: .noDevice, paper: .unknown, identity: identity,
                                    detail: "no USB device \(settings.usbID) is connected")
            }
            let place = "bus \(device.busNumber) address \(device.deviceAddress)"
            guard device.printerInterfaces.contains(settings.interfaceNumber) else {
                return DeviceStatus(kind: .ticketPrinter, state: .hardwareError, paper: .unknown, identity: identity,
                                    detail: "\(place): interface \(settings.interfaceNumber) is not a printer-class interface "
                                        + "(printer interfaces: \(device.printerInterfaces))")
            }
            if let failure = openFailure(settings.usbID) {
                return DeviceStatus(kind: .ticketPrinter, state: .hardwareError, paper: .unknown, identity: identity,
                                    detail: "\(place): cannot open: \(failure)")
            }
            return DeviceStatus(kind: .ticketPrinter, state: .online, paper: .unknown, identity: identity,
                                detail: "\(place), printer interface \(settings.interfaceNumber)")
        } catch {
            return DeviceStatus(kind: .ticketPrinter, state: .hardwareError, paper: .unknown, identity: identity,
                                detail: error.detail)
        }
    }

    /// Opens and closes the device to prove this process may use it; nil on success, else libusb's reason
    /// (LIBUSB_ERROR_ACCESS usually means the udev rule that gives the device to the kiosk group is missing).
    private func openFailure(_ id: USBDeviceID) -> String? {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count >= 0, let list else { return String(cString: libusb_error_name(Int32(count))) }
        defer { libusb_free_device_list(list, 1) }
        for index in 0..<count {
            guard let device = list[index] else { continue }
            var descriptor = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &descriptor) == 0,
                  descriptor.idVendor == id.vendor, descriptor.idProduct == id.product else { continue }
            var handle: OpaquePointer?
            let result = libusb_open(device, &handle)
            guard result == 0 else { return String(cString: libusb_error_name(result)) }
            libusb_close(handle)
            return nil
        }
        return "the device went away"
    }

    private static func printerInterfaces(of device: OpaquePointer) -> [Int] {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        if libusb_get_active_config_descriptor(device, &config) != 0 {
            guard libusb_get_config_descriptor(device, 0, &config) == 0 else { return [] }
        }
        guard let config else { return [] }
        defer { libusb_free_config_descriptor(config) }
        var interfaces: [Int] = []
        for interfaceIndex in 0..<Int(config.pointee.bNumInterfaces) {
            let interface = config.pointee.interface[interfaceIndex]
            for settingIndex in 0..<Int(interface.num_altsetting) {
                let setting = interface.altsetting[settingIndex]
                if setting.bInterfaceClass == UInt8(LIBUSB_CLASS_PRINTER.rawValue),
                   !interfaces.contains(Int(setting.bInterfaceNumber)) {
                    interfaces.append(Int(setting.bInterfaceNumber))
                }
            }
        }
        return interfaces
    }
}

/// Creates a libusb context. libusb_init also starts the hotplug monitor, and enabling the udev
/// monitor's netlink socket fails now and then (seen under umockdev about once in 60 starts, and
/// possible on a busy kiosk); the next attempt succeeds, so a few are made before giving up.
func makeLibUSBContext(attempts: Int) throws(PrintingError) -> OpaquePointer {
    var lastResult: Int32 = 0
    for attempt in 1...max(attempts, 1) {
        var context: OpaquePointer?
        lastResult = libusb_init(&context)
        if lastResult == 0, let context { return context }
        if attempt < attempts { usleep(50_000) }
    }
    throw PrintingError("libusb_init failed \(attempts) times: \(String(cString: libusb_error_name(lastResult)))")
}
