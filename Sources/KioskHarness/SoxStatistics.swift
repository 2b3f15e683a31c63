import Foundation

/// What `sox FILE -n stat` says of a sound file: its length and loudness.
public struct SoxStatistics: Sendable {
    public let lengthSeconds: Double
    public let rmsAmplitude: Double
    public let maximumAmplitude: Double

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(file: URL) throws {
        let (status, report) = try ChildProcess.run("/usr/bin/sox", [file.path, "-n", "stat"], capture: true)
        guard status == 0 else { throw Failure(description: "sox stat \(file.path) failed: \(report)") }
        func value(_ label: String) throws -> Double {
            guard let line = report.split(separator: "\n").first(where: { $0.hasPrefix(label) }),
                  let number = Double(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) else {
                throw Failure(description: "sox stat has no \(label): \(report)")
            }
            return number
        }
        lengthSeconds = try value("Length (seconds)")
        rmsAmplitude = try value("RMS     amplitude")
        maximumAmplitude = try value("Maximum amplitude")
    }
}
