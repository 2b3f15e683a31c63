import Foundation
import KioskCore

/// The technician's starting volume on disk (`<state directory>/starting-volume`, one number), so a
/// kiosk in a noisy supermarket keeps the louder voice it was given across restarts and reloads.
struct StartingVolumeFile: Sendable {
    let path: String

    init(stateDirectory: String) {
        path = stateDirectory + "/starting-volume"
    }

    /// The stored volume; nil when none is stored. A file that does not hold a volume the citizen can
    /// hear (10…100) is reported rather than trusted.
    func read() throws(StartingVolumeFileError) -> Int? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StartingVolumeFileError(detail: "\(path) cannot be read")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let level = Int(trimmed), Session.volumeRange.contains(level) else {
            throw StartingVolumeFileError(detail: "\(path) holds \"\(trimmed.prefix(20))\", not a volume from 10 to 100")
        }
        return level
    }

    /// Stores `level`, or removes the file (back to the profile's volume) for nil.
    func write(_ level: Int?) throws(StartingVolumeFileError) {
        do {
            if let level {
                try Data("\(level)\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } else if FileManager.default.fileExists(atPath: path) {
                try FileManager.default.removeItem(atPath: path)
            }
        } catch {
            throw StartingVolumeFileError(detail: "\(path) cannot be written: \((error as NSError).localizedDescription)")
        }
    }
}

struct StartingVolumeFileError: Error {
    let detail: String
}
