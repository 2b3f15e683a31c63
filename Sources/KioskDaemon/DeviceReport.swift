import KioskCore
import Logging

/// Logs one line per device: what it is, its state, and the technical detail.
enum DeviceReport {
    static func log(_ devices: [DeviceStatus], logger: Logger) {
        for device in devices {
            var metadata: Logger.Metadata = [
                "device": "\(device.kind.rawValue)",
                "state": "\(device.state.rawValue)",
                "id": "\(device.identity)",
                "detail": "\(device.detail)",
            ]
            if let paper = device.paper { metadata["paper"] = "\(paper.rawValue)" }
            if device.isUsable {
                logger.info("device found", metadata: metadata)
            } else {
                logger.warning("device unavailable", metadata: metadata)
            }
        }
    }
}
