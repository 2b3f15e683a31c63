import Foundation
import KioskCore

/// What kioskd and kiosk-scan-helper say to each other over their socket pair.
///
/// Each frame is a 4-byte big-endian header length, a 4-byte big-endian payload length, the header
/// as JSON and the payload as raw bytes (a page's pixels; empty otherwise). Pages are megabytes, so
/// they travel as bytes, not inside JSON.
enum ScanHelperWire {
    /// The most a header or a payload may be: a frame beyond it means the stream is corrupt.
    static let maximumHeaderBytes = 1 << 20
    static let maximumPayloadBytes = 1 << 30

    /// The scanner settings as they travel.
    struct Settings: Codable, Equatable {
        var deviceName: String?
        var source: String
        var mode: String
        var resolutionDPI: Int
        var pageSize: String
        var backendOptions: [String: String]

        init(_ settings: ScannerSettings) {
            deviceName = settings.deviceName
            source = settings.source.rawValue
            mode = settings.mode.rawValue
            resolutionDPI = settings.resolutionDPI
            pageSize = settings.pageSize.rawValue
            backendOptions = settings.backendOptions
        }

        /// Nil when a value is not one this build knows (a helper from another build).
        var scannerSettings: ScannerSettings? {
            guard let source = ScanSource(rawValue: source), let mode = ScanMode(rawValue: mode),
                  let pageSize = PageSize(rawValue: pageSize) else { return nil }
            return ScannerSettings(deviceName: deviceName, source: source, mode: mode, resolutionDPI: resolutionDPI,
                                   pageSize: pageSize, backendOptions: backendOptions)
        }
    }

    /// kioskd → helper.
    enum Request: Codable, Equatable {
        /// Is the profile's scanner there? Answered with `.status`.
        case status(Settings)
        /// One page, or the feeder's stack: answered with `.progress` and `.page` frames, then
        /// `.ended`, then `.idle` once the device is back at rest.
        case scan(Settings, feeder: Bool, maximumPages: Int)
        /// Stop the scan in progress (acted on at once, not queued). No answer of its own.
        case cancel
        /// Close the device (a reloaded profile); answered with `.idle`.
        case close
    }

    /// helper → kioskd.
    enum Answer: Codable, Equatable {
        case status(state: String, identity: String, detail: String)
        /// Bytes of the current page read so far: the helper is alive and the scanner delivering.
        case progress(bytes: Int)
        /// A whole page; its pixels are the frame's payload.
        case page(width: Int, height: Int, rgb: Bool, dotsPerInch: Int)
        /// The scan is over: `fault` nil when it went well. Pages already sent stand either way.
        case ended(fault: String?, detail: String, deviceName: String?, scanWidth: Double, scanHeight: Double)
        /// The device is at rest and the helper ready for the next request.
        case idle
        /// A request the helper could not understand (a helper from another build).
        case refused(detail: String)
    }

    /// A frame's lengths and header; the payload (`payloadBytes` of it) follows on the wire.
    static func encode<Header: Encodable>(_ header: Header, payloadBytes: Int = 0) throws -> [UInt8] {
        let json = try JSONEncoder().encode(header)
        var frame: [UInt8] = []
        frame.reserveCapacity(8 + json.count)
        for length in [UInt32(json.count), UInt32(payloadBytes)] {
            withUnsafeBytes(of: length.bigEndian) { frame.append(contentsOf: $0) }
        }
        frame.append(contentsOf: json)
        return frame
    }

    /// The two lengths at the start of a frame, checked against the limits.
    static func lengths(of prefix: [UInt8]) -> (header: Int, payload: Int)? {
        guard prefix.count == 8 else { return nil }
        func word(_ offset: Int) -> Int {
            prefix[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        let header = word(0), payload = word(4)
        guard header > 0, header <= maximumHeaderBytes, payload <= maximumPayloadBytes else { return nil }
        return (header, payload)
    }
}
