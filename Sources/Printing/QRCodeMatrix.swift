import Glibc
import CQREncode

/// A QR code as a square of dark and light modules, encoded by libqrencode.
public struct QRCodeMatrix: Sendable, Equatable {
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row-major, `true` = dark module.
    public let modules: [Bool]

    /// Encodes `text` (UTF-8 bytes, 8-bit mode) at error-correction level M: a ticket or receipt QR
    /// must survive a crease or a smudge of thermal paper.
    public init(encoding text: String) throws(PrintingError) {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
            throw PrintingError("libqrencode could not encode \(text.utf8.count) bytes (errno \(errno))")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        // libqrencode's byte per module: bit 0 set = dark.
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(row: Int, column: Int) -> Bool {
        modules[row * size + column]
    }
}
