import Foundation
import KioskCore

/// What the running daemon serves with now: the profile in force and the devices' last status.
/// Replaced whole on reload, so readers never see a new profile with old devices.
public actor KioskState {
    /// The profile as the file says; `profile` is what the kiosk serves with (a technician's starting volume applied).
    private var profileAsRead: KioskProfile
    /// A technician's starting volume (`kioskctl volume`), overriding the profile's `default_volume`;
    /// kept in the state directory so it survives restarts and profile reloads.
    public private(set) var technicianVolume: Int?
    public var profile: KioskProfile {
        var served = profileAsRead
        if let technicianVolume { served.devices.audio.defaultVolume = technicianVolume }
        return served
    }
    public var profileVolume: Int { profileAsRead.devices.audio.defaultVolume }
    public private(set) var profilePath: String
    public private(set) var devices: [DeviceStatus]
    /// A technician has put the kiosk under maintenance (kioskctl maintenance on).
    public private(set) var underMaintenance = false
    public let startedAt: Date
    /// Where the Prometheus endpoint is listening, once it is.
    public private(set) var metricsURL: String?
    /// Why the Prometheus endpoint is not listening, when the profile asks for one and it is not.
    public private(set) var metricsFault: String?

    public init(profile: KioskProfile, profilePath: String, devices: [DeviceStatus], startedAt: Date = Date()) {
        profileAsRead = profile
        self.profilePath = profilePath
        self.devices = devices
        self.startedAt = startedAt
    }

    public func setMetricsEndpoint(url: String?, fault: String?) {
        metricsURL = url
        metricsFault = fault
    }

    public func setTechnicianVolume(_ level: Int?) {
        technicianVolume = level
    }

    public func setMaintenance(_ on: Bool) {
        underMaintenance = on
    }

    /// Records a device's new status; returns true when what a citizen can use changed (state or paper),
    /// not merely its technical detail.
    @discardableResult
    public func update(_ device: DeviceStatus) -> Bool {
        guard let index = devices.firstIndex(where: { $0.kind == device.kind }) else { return false }
        let old = devices[index]
        devices[index] = device
        return old.state != device.state || old.paper != device.paper
    }

    public func replace(profile: KioskProfile, devices: [DeviceStatus]) {
        profileAsRead = profile
        self.devices = devices
    }

    /// One line for `systemctl status` (`STATUS=`): devices usable and what is offered.
    public func statusLine(at instant: Date = Date()) -> String {
        let usable = devices.filter(\.isUsable).count
        let functions = KioskFunction.available(profile: profile, devices: devices, at: instant, underMaintenance: underMaintenance).map(\.rawValue)
        let faults = devices.filter { !$0.isUsable }.map { "\($0.kind.rawValue)=\($0.state.rawValue)" }
        var line = "\(profile.identity.id): \(usable)/\(devices.count) devices ok; offering \(functions.joined(separator: ","))"
        if !faults.isEmpty { line += "; faults: \(faults.joined(separator: ","))" }
        if underMaintenance { line += "; under maintenance" }
        return line
    }
}
