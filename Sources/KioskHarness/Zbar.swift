import Foundation

/// Reads barcodes and QR codes from images with `zbarimg`, the way a counter's scanner would.
public enum Zbar {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Every code found in `paths`, one string per code, in file order. zbarimg exits 4 when it
    /// finds nothing, which is an empty answer here, not an error.
    public static func decode(_ paths: String...) throws -> [String] {
        try decode(paths)
    }

    public static func decode(_ paths: [String]) throws -> [String] {
        let (status, output) = try ChildProcess.run("/usr/bin/zbarimg", ["-q", "--raw", "--nodbus"] + paths, capture: true)
        guard status == 0 || status == 4 else { throw Failure(description: "zbarimg exited \(status): \(output)") }
        return output.split(separator: "\n").map(String.init)
    }
}
