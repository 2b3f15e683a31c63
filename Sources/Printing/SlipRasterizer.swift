import CCairo
import Foundation

/// Draws a `PrintLayout` into a 1-bit raster at the printer's resolution with Cairo, shaping text
/// with Pango. Vietnamese is drawn as pixels on the host because the code pages of ESC/POS printers
/// (TCVN-3, CP1258 with combining accents) print it wrongly on many models.
///
/// Pango keeps one font map per thread, so the first slip drawn on a thread pays for loading the
/// fonts; the ticket printer draws on its own long-lived thread.
public enum SlipRasterizer {
    /// Noto Sans covers Vietnamese (Debian's fonts-noto-core).
    public static let fontFamily = "Noto Sans"

    public static func render(_ layout: PrintLayout) throws(PrintingError) -> MonochromeRaster {
        let contentWidth = layout.width - 2 * layout.margin
        guard contentWidth > 32 else { throw PrintingError("print width \(layout.width) dots leaves no room for text") }

        // Pass 1: measure every block on a scratch surface, so the slip is exactly as long as its content.
        let scratch = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)
        let measuring = cairo_create(scratch)
        defer {
            cairo_destroy(measuring)
            cairo_surface_destroy(scratch)
        }
        var heights: [Int] = []
        for block in layout.blocks {
            heights.append(try height(of: block, contentWidth: contentWidth, context: measuring))
        }
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
            try draw(block, at: top, height: blockHeight, layout: layout, context: context)
            top += blockHeight
        }
        cairo_surface_flush(surface)
        return pack(surface, width: layout.width, height: totalHeight)
    }

    private static func height(of block: PrintLayout.Block, contentWidth: Int, context: OpaquePointer?) throws(PrintingError) -> Int {
        switch block {
        case let .text(text, size, bold, alignment):
            return try withTextLayout(text, size: size, bold: bold, alignment: alignment, width: contentWidth, context: context) { _, height in height }
        case let .banner(text, size):
            let textHeight = try withTextLayout(text, size: size, bold: true, alignment: .center, width: contentWidth - 16,
                                                context: context) { _, height in height }
            return textHeight + 12
        case let .qrCode(content, moduleSize):
            let code = try QRCodeMatrix(encoding: content)
            return (code.size + 8) * moduleSize
        case .rule:
            return 14
        case let .space(dots):
            return max(dots, 0)
        }
    }

    private static func draw(_ block: PrintLayout.Block, at top: Int, height: Int, layout: PrintLayout,
                             context: OpaquePointer?) throws(PrintingError) {
        let contentWidth = layout.width - 2 * layout.margin
        cairo_set_operator(context, CAIRO_OPERATOR_OVER)
        cairo_set_source_rgba(context, 0, 0, 0, 1)
        switch block {
        case let .text(text, size, bold, alignment):
            try withTextLayout(text, size: size, bold: bold, alignment: alignment, width: contentWidth, context: context) { pango, _ in
                cairo_move_to(context, Double(layout.margin), Double(top))
                pango_cairo_show_layout(context, pango)
            }
        case let .banner(text, size):
            cairo_rectangle(context, Double(layout.margin), Double(top) + 2, Double(contentWidth), Double(height - 4))
            cairo_fill(context)
            // Clearing the ink where the glyphs are leaves white text on the black band.
            cairo_set_operator(context, CAIRO_OPERATOR_CLEAR)
            try withTextLayout(text, size: size, bold: true, alignment: .center, width: contentWidth - 16, context: context) { pango, _ in
                cairo_move_to(context, Double(layout.margin + 8), Double(top + 6))
                pango_cairo_show_layout(context, pango)
            }
            cairo_set_operator(context, CAIRO_OPERATOR_OVER)
        case let .qrCode(content, moduleSize):
            let code = try QRCodeMatrix(encoding: content)
            let side = (code.size + 8) * moduleSize
            let left = (layout.width - side) / 2 + 4 * moduleSize
            let origin = top + 4 * moduleSize
            for row in 0..<code.size {
                for column in 0..<code.size where code.isDark(row: row, column: column) {
                    cairo_rectangle(context, Double(left + column * moduleSize), Double(origin + row * moduleSize),
                                    Double(moduleSize), Double(moduleSize))
                }
            }
            cairo_fill(context)
        case .rule:
            cairo_rectangle(context, Double(layout.margin), Double(top + 6), Double(contentWidth), 2)
            cairo_fill(context)
        case .space:
            break
        }
    }

    /// Builds a Pango layout for `text` and hands it, with its height in dots, to `body`. Refuses text
    /// the font cannot show: a ticket with empty boxes instead of Vietnamese letters must not print.
    @discardableResult
    private static func withTextLayout<Result>(_ text: String, size: Int, bold: Bool, alignment: PrintLayout.Alignment,
                                               width: Int, context: OpaquePointer?,
                                               _ body: (OpaquePointer?, Int) -> Result) throws(PrintingError) -> Result {
        guard let pango = pango_cairo_create_layout(context) else { throw PrintingError("Pango could not make a text layout") }
        defer { g_object_unref(UnsafeMutableRawPointer(pango)) }
        let font = pango_font_description_new()
        defer { pango_font_description_free(font) }
        pango_font_description_set_family(font, fontFamily)
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(font, Double(size) * Double(PANGO_SCALE))
        pango_layout_set_font_description(pango, font)
        pango_layout_set_width(pango, Int32(width) * PANGO_SCALE)
        pango_layout_set_wrap(pango, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_alignment(pango, alignment == .center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT)
        pango_layout_set_text(pango, text, -1)
        let unknown = pango_layout_get_unknown_glyphs_count(pango)
        guard unknown == 0 else {
            throw PrintingError("font \(fontFamily) lacks \(unknown) glyph(s) for a \(text.count)-character text; install fonts-noto-core")
        }
        var pixelWidth: Int32 = 0
        var pixelHeight: Int32 = 0
        pango_layout_get_pixel_size(pango, &pixelWidth, &pixelHeight)
        return body(pango, Int(pixelHeight))
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
