import Foundation

/// Reads QR codes from images with `zbarimg`, the way a counter's scanner would. Only QR codes are
/// looked for: one crash-test run read two more codes than there were tickets, neither of them a
/// ticket's, and zbar's linear symbologies taking large printed digits for a barcode is the likely
/// cause; no test here wants anything but QR codes.
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
        let (status, output) = try ChildProcess.run("/usr/bin/zbarimg", ["-q", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable"] + paths, capture: true)
        guard status == 0 || status == 4 else { throw Failure(description: "zbarimg exited \(status): \(output)") }
        return output.split(separator: "\n").map(String.init)
    }
}
