import KioskCore
import KioskHarness
import Scanning
import Testing

/// libsane, for real, against SANE's own test backend configured by the stand-ins.
@Suite struct SANEBindingTests {
    @Test func saneListsTheTestBackendsScanners() async throws {
        _ = try StandIns.fromEnvironment()
        let sane = SANEBackend.shared
        let devices = try await sane.devices()
        let names = devices.map(\.name)
        #expect(names.contains("test:0"))
        #expect(names.contains("test:1"))
        let first = try #require(devices.first { $0.name == "test:0" })
        #expect(first.vendor == "Noname")
        #expect(first.model == "frontend-tester")
        #expect(await sane.version.hasPrefix("1."))
    }

    @Test func configuredScannerIsOnlineAndAMissingOneIsReportedAsNoDevice() async throws {
        _ = try StandIns.fromEnvironment()
        let sane = SANEBackend.shared
        let present = await sane.status(for: ScannerSettings(deviceName: "test:0", source: .flatbed, mode: .gray,
                                                             resolutionDPI: 200, pageSize: .a4))
        #expect(present.state == .online)
        #expect(present.identity == "test:0")
        let absent = await sane.status(for: ScannerSettings(deviceName: "fujitsu:fi-800R:1", source: .flatbed, mode: .gray,
                                                            resolutionDPI: 200, pageSize: .a4))
        #expect(absent.state == .noDevice)
        #expect(absent.detail.contains("test:0"), "the technician sees which scanners were found instead")
    }
}
