import KioskCore
import KioskHarness
import Printing
import Testing

/// libusb, for real, enumerating the umockdev-emulated ESC/POS ticket printer (04b8:0e02).
@Suite struct LibUSBBindingTests {
    static let emulatedPrinter = USBDeviceID(vendor: 0x04b8, product: 0x0e02)

    @Test func libusbEnumeratesTheEmulatedTicketPrinter() async throws {
        _ = try StandIns.fromEnvironment()
        let usb = try USBPrinterDiscovery()
        let devices = try await usb.devices()
        let printer = try #require(devices.first { $0.id == Self.emulatedPrinter },
                                   "libusb sees \(devices.map(\.id.description)); is the test process run with the umockdev preload?")
        #expect(printer.printerInterfaces == [0])
    }

    @Test func ticketPrinterStatusIsOnlineAndAnAbsentOneIsNoDevice() async throws {
        _ = try StandIns.fromEnvironment()
        let usb = try USBPrinterDiscovery()
        let present = await usb.status(for: TicketPrinterSettings(usbID: Self.emulatedPrinter, interfaceNumber: 0,
                                                                  bulkOutEndpoint: 0x01, bulkInEndpoint: 0x82, dotsPerLine: 576))
        #expect(present.state == .online, "\(present.detail)")
        let absent = await usb.status(for: TicketPrinterSettings(usbID: USBDeviceID(vendor: 0x0416, product: 0x5011), interfaceNumber: 0,
                                                                 bulkOutEndpoint: 0x03, bulkInEndpoint: 0x81, dotsPerLine: 384))
        #expect(absent.state == .noDevice)
        let wrongInterface = await usb.status(for: TicketPrinterSettings(usbID: Self.emulatedPrinter, interfaceNumber: 1,
                                                                         bulkOutEndpoint: 0x01, bulkInEndpoint: 0x82, dotsPerLine: 576))
        #expect(wrongInterface.state == .hardwareError)
    }
}
