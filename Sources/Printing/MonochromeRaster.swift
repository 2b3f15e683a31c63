import CCairo
import Foundation

/// A 1-bit image as a thermal printer takes it: rows of `bytesPerRow` bytes, most significant bit
/// leftmost, 1 = a black dot (the layout of ESC/POS `GS v 0`).
public struct MonochromeRaster: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let bits: [UInt8]

    public var bytesPerRow: Int { (width + 7) / 8 }

    public init(width: Int, height: Int, bits: [UInt8]) {
        precondition(bits.count == (width + 7) / 8 * height, "raster size does not match its bytes")
        self.width = width
        self.height = height
        self.bits = bits
    }

    public func isBlack(x: Int, y: Int) -> Bool {
        bits[y * bytesPerRow + x / 8] & (0x80 >> UInt8(x % 8)) != 0
    }

    /// The share of black dots, 0…1: a blank or all-black slip is a rendering fault.
    public var inkCoverage: Double {
        let black = bits.reduce(0) { $0 + $1.nonzeroBitCount }
        return Double(black) / Double(max(width * height, 1))
    }

    /// The raster as a black-on-white PNG file's bytes.
    public func pngData() throws(PrintingError) -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-png-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PrintingError("cannot make a folder for a PNG: \(error)")
        }
        let path = folder.appendingPathComponent("slip.png").path
        try writePNG(to: path)
        guard let data = FileManager.default.contents(atPath: path) else { throw PrintingError("cannot read back \(path)") }
        return data
    }

    /// Writes the raster as a black-on-white PNG (a technician's preview, a test's evidence).
    public func writePNG(to path: String) throws(PrintingError) {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else {
            throw PrintingError("cannot make a \(width)x\(height) image for \(path)")
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        data.withMemoryRebound(to: UInt32.self, capacity: stride / 4 * height) { pixels in
            for y in 0..<height {
                for x in 0..<width {
                    pixels[y * stride / 4 + x] = isBlack(x: x, y: y) ? 0x000000 : 0xFFFFFF
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        let status = cairo_surface_write_to_png(surface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PrintingError("cannot write \(path): \(String(cString: cairo_status_to_string(status)))")
        }
    }
}
