import CCairo
import Foundation

/// Measures and draws the blocks of a `PrintLayout` on any Cairo surface, so the ticket raster and
/// the receipt PDF are one layout drawn the same way.
enum SlipDrawing {
    /// Noto Sans covers Vietnamese (Debian's fonts-noto-core).
    static let fontFamily = "Noto Sans"

    /// What is drawn on: an alpha-only ink mask (thermal raster) or a page with colour (PDF).
    enum Surface {
        case inkMask, page
    }

    /// Each block's height in layout units, measured with Pango on `context`.
    static func heights(of layout: PrintLayout, context: OpaquePointer?) throws(PrintingError) -> [Int] {
        let contentWidth = layout.width - 2 * layout.margin
        guard contentWidth > 32 else { throw PrintingError("print width \(layout.width) dots leaves no room for text") }
        var heights: [Int] = []
        for block in layout.blocks {
            heights.append(try height(of: block, contentWidth: contentWidth, context: context))
        }
        return heights
    }

    static func height(of block: PrintLayout.Block, contentWidth: Int, context: OpaquePointer?) throws(PrintingError) -> Int {
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

    static func draw(_ block: PrintLayout.Block, at top: Int, height: Int, layout: PrintLayout,
                     context: OpaquePointer?, surface: Surface) throws(PrintingError) {
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
            // White text on the band: on an ink mask, the ink is cleared where the glyphs are.
            if surface == .inkMask {
                cairo_set_operator(context, CAIRO_OPERATOR_CLEAR)
            } else {
                cairo_set_source_rgb(context, 1, 1, 1)
            }
            try withTextLayout(text, size: size, bold: true, alignment: .center, width: contentWidth - 16, context: context) { pango, _ in
                cairo_move_to(context, Double(layout.margin + 8), Double(top + 6))
                pango_cairo_show_layout(context, pango)
            }
            cairo_set_operator(context, CAIRO_OPERATOR_OVER)
            cairo_set_source_rgba(context, 0, 0, 0, 1)
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
    static func withTextLayout<Result>(_ text: String, size: Int, bold: Bool, alignment: PrintLayout.Alignment,
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
}
