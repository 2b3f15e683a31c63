import Foundation
import KioskCore
import ProfileLoading
import Testing

/// The profiles the project ships are the ones technicians copy: each must load, and say what it claims.
@Suite struct ShippedProfileTests {
    static let profilesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("kiosk-profiles")

    static let shippedNames = ["demo", "supermarket", "cultural-house", "mobile-van", "service-center"]

    @Test(arguments: shippedNames)
    func shippedProfileValidates(name: String) throws {
        let path = Self.profilesDirectory.appendingPathComponent("\(name).yaml").path
        let profile = try ProfileLoader.load(path: path)
        #expect(profile.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(profile.languages.defaultLanguage == .vietnamese)
        #expect(profile.languages.offered == [.vietnamese, .english])
        for service in profile.queue.services {
            #expect(!service.name.text(in: .vietnamese).isEmpty && !service.name.text(in: .english).isEmpty)
        }
    }

    @Test func everyShippedProfileIsChecked() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.profilesDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(Set(files) == Set(Self.shippedNames))
    }

    @Test func demoProfileNamesTheLocalStandIns() throws {
        let profile = try ProfileLoader.load(path: Self.profilesDirectory.appendingPathComponent("demo.yaml").path)
        #expect(profile.devices.scanner?.deviceName == "test:0")
        #expect(profile.devices.receiptPrinter?.cupsQueue == "receipt")
        #expect(profile.devices.ticketPrinter?.usbID == USBDeviceID(vendor: 0x04b8, product: 0x0e02))
        #expect(profile.devices.ticketPrinter?.bulkInEndpoint == 0x82)
        #expect(profile.devices.audio.output == .wavDirectory("/tmp/kioskd-demo/audio"))
        #expect(profile.queue.services.map(\.prefix) == ["A", "B", "C", "D"])
        #expect(profile.queue.services[0].name.text(in: .vietnamese) == "Hộ tịch")
        #expect(profile.procedures.first?.code == "1.001193")
        #expect(profile.procedures.first?.name.text(in: .vietnamese) == "Đăng ký khai sinh")
    }

    @Test func serviceCentreOpensOnlyInOfficeHoursInVietnamTime() throws {
        let profile = try ProfileLoader.load(path: Self.profilesDirectory.appendingPathComponent("service-center.yaml").path)
        // Monday 2026-11-23 in Asia/Ho_Chi_Minh (UTC+7): 08:00 local is 01:00 UTC.
        let mondayMorning = Date(timeIntervalSince1970: 1_795_395_600)  // 2026-11-23T01:00:00Z
        #expect(profile.hours.isOpen(at: mondayMorning, in: profile.timeZone))
        // 12:00 local: lunch break.
        #expect(!profile.hours.isOpen(at: mondayMorning.addingTimeInterval(4 * 3600), in: profile.timeZone))
        // Sunday 2026-11-22 10:00 local is closed.
        #expect(!profile.hours.isOpen(at: mondayMorning.addingTimeInterval(-22 * 3600), in: profile.timeZone))
        // New Year's Day 2027 (a Friday) is a closed date.
        let newYearMorning = Date(timeIntervalSince1970: 1_798_768_800)  // 2027-01-01T02:00:00Z = 09:00 local
        #expect(!profile.hours.isOpen(at: newYearMorning, in: profile.timeZone))
    }

    @Test func supermarketKeypadUsesEvdevKeyNames() throws {
        let profile = try ProfileLoader.load(path: Self.profilesDirectory.appendingPathComponent("supermarket.yaml").path)
        #expect(profile.devices.keypad.input == .evdev(devicePath: "/dev/kiosk/keypad"))
        #expect(profile.devices.keypad.keyMap.action(for: "KEY_KPENTER") == .confirm)
        #expect(profile.devices.keypad.keyMap.action(for: "KEY_KPASTERISK") == .repeat)
        #expect(profile.devices.ticketPrinter == nil)
        #expect(profile.privacy.encryptionKeySource == .systemdCredential("kiosk-outbox-key"))
    }
}
