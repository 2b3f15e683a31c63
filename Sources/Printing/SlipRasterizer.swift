import CCairo
import Foundation

/// Draws a `PrintLayout` into a 1-bit raster at the printer's resolution with Cairo, shaping text
/// with Pango. Vietnamese is drawn as pixels on the host because the code pages of ESC/POS printers
/// (TCVN-3, CP1258 with combining accents) print it wrongly on many models.
///
/// Pango keeps one font map per thread, so the first slip drawn on a thread pays for loading the
/// fonts; the ticket printer draws on its own long-lived thread.
public enum SlipRasterizer {
    public static func render(_ layout: PrintLayout) throws(PrintingError) -> MonochromeRaster {
        // Pass 1: measure every block on a scratch surface, so the slip is exactly as long as its content.
        let scratch = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)
        let measuring = cairo_create(scratch)
        defer {
            cairo_destroy(measuring)
            cairo_surface_destroy(scratch)
        }
        let heights = try SlipDrawing.heights(of: layout, context: measuring)
        let totalHeight = max(heights.reduce(0, +), 1)

        // Pass 2: draw with opaque ink on an alpha-only surface, then keep the dots at least half inked.
        let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(layout.width), Int32(totalHeight))
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw PrintingError("cannot make a \(layout.width)x\(totalHeight) drawing surface")
        }
        let context = cairo_create(surface)
        defer { cairo_destroy(context) }
        var top = 0
        for (block, blockHeight) in zip(layout.blocks, heights) {
            try SlipDrawing.draw(block, at: top, height: blockHeight, layout: layout, context: context, surface: .inkMask)
            top += blockHeight
        }
        cairo_surface_flush(surface)
        return pack(surface, width: layout.width, height: totalHeight)
    }

    /// Alpha ≥ 50 % becomes a black dot, packed most significant bit first.
    private static func pack(_ surface: OpaquePointer?, width: Int, height: Int) -> MonochromeRaster {
        let stride = Int(cairo_image_surface_get_stride(surface))
        let bytesPerRow = (width + 7) / 8
        var bits = [UInt8](repeating: 0, count: bytesPerRow * height)
        if let data = cairo_image_surface_get_data(surface) {
            for y in 0..<height {
                let row = data + y * stride
                for x in 0..<width where row[x] >= 128 {
                    bits[y * bytesPerRow + x / 8] |= 0x80 >> UInt8(x % 8)
                }
            }
        }
        return MonochromeRaster(width: width, height: height, bits: bits)
    }
}
