import CSANE
import DeviceThread
import KioskCore

/// A scanner SANE can reach, as `sane_get_devices` lists it.
public struct SANEDeviceInfo: Sendable, Hashable {
    /// The name `sane_open` takes (`test:0`, `pnm:0`, `fujitsu:fi-7160:1234`).
    public let name: String
    public let vendor: String
    public let model: String
    public let type: String
}

/// libsane, initialised once per process and driven from one thread.
///
/// SANE keeps process-wide state between `sane_init` and `sane_exit`: two owners would initialise
/// and tear it down under each other (seen: one owner's devices vanishing, a crash), so there is
/// exactly one, `SANEBackend.shared`. `sane_get_devices` can block for seconds while backends look
/// for scanners, so every call runs on this actor's own thread.
public actor SANEBackend {
    /// The process's only owner of libsane.
    public static let shared = SANEBackend()

    private let thread = DeviceThread(name: "kiosk-sane")
    private var isInitialized = false
    /// SANE's version as `major.minor.build`, known once initialised.
    public private(set) var version = ""

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    private init() {}

    /// Initialises libsane if it is not yet; it reads its backends from `SANE_CONFIG_DIR` (or
    /// /etc/sane.d). A failure is thrown and the next call tries again.
    public func start() throws(ScanningError) {
        guard !isInitialized else { return }
        var versionCode: SANE_Int = 0
        let status = sane_init(&versionCode, nil)
        guard status == SANE_STATUS_GOOD else {
            throw ScanningError("sane_init failed: \(String(cString: sane_strstatus(status)))")
        }
        version = "\((versionCode >> 24) & 0xff).\((versionCode >> 16) & 0xff).\(versionCode & 0xffff)"
        isInitialized = true
    }

    /// Every scanner the configured backends find. `localOnly` skips network scanners (saned), which
    /// a kiosk never uses and which make the call slow.
    public func devices(localOnly: Bool = true) throws(ScanningError) -> [SANEDeviceInfo] {
        try start()
        var list: UnsafeMutablePointer<UnsafePointer<SANE_Device>?>?
        let status = sane_get_devices(&list, localOnly ? SANE_TRUE : SANE_FALSE)
        guard status == SANE_STATUS_GOOD else {
            throw ScanningError("sane_get_devices failed: \(String(cString: sane_strstatus(status)))")
        }
        var devices: [SANEDeviceInfo] = []
        var index = 0
        while let device = list?[index] {
            func text(_ field: SANE_String_Const?) -> String { field.map { String(cString: $0) } ?? "" }
            devices.append(SANEDeviceInfo(name: text(device.pointee.name), vendor: text(device.pointee.vendor),
                                          model: text(device.pointee.model), type: text(device.pointee.type)))
            index += 1
        }
        return devices
    }

    /// The scanner's status for the profile's settings: found and named, or why not.
    public func status(for settings: ScannerSettings) -> DeviceStatus {
        let wanted = settings.deviceName ?? "first device found"
        do {
            let devices = try devices()
            let match = settings.deviceName.map { name in devices.first { $0.name == name } } ?? devices.first
            guard let match else {
                let found = devices.isEmpty ? "none" : devices.map(\.name).joined(separator: ",")
                return DeviceStatus(kind: .scanner, state: .noDevice, identity: wanted,
                                    detail: "SANE \(version) lists no such scanner; found: \(found)")
            }
            return DeviceStatus(kind: .scanner, state: .online, identity: match.name,
                                detail: "\(match.vendor) \(match.model) (\(match.type)), SANE \(version)")
        } catch {
            return DeviceStatus(kind: .scanner, state: .hardwareError, identity: wanted, detail: error.detail)
        }
    }
}
