import CCairo
import Foundation
import Printing

/// A scanner-glass image of citizen identity cards, drawn with Cairo and Pango: each card an
/// ID-1 outline (85.6 x 53.98 mm) with the front's headings, a photo box, the holder's printed
/// fields and, top right, a QR code, laid side by side on the white of the lid. It is written as a
/// PGM or PPM file for SANE's pnm backend to scan.
struct CitizenCardImage {
    /// A QR code's modules, from Printing's `QRCodeMatrix` or straight from libqrencode.
    struct Modules {
        let size: Int
        let dark: [Bool]

        init(size: Int, dark: [Bool]) {
            self.size = size
            self.dark = dark
        }

        init(_ matrix: QRCodeMatrix) {
            self.init(size: matrix.size, dark: matrix.modules)
        }
    }

    /// One card: the text printed on it (the QR's fields when there are some) and its code, if any.
    struct Card {
        let qrText: String
        let modules: Modules?

        init(qrText: String, modules: Modules?) {
            self.qrText = qrText
            self.modules = modules
        }

        /// A card whose QR code holds `qrText`, encoded by the ticket printer's encoder (8-bit mode).
        init(qrText: String) throws {
            self.init(qrText: qrText, modules: Modules(try QRCodeMatrix(encoding: qrText)))
        }
    }

    let width: Int
    let height: Int
    /// Row-major RGB, three bytes a pixel.
    private(set) var rgb: [UInt8]

    static let dotsPerInch = 300
    static func dots(_ millimetres: Double) -> Double { millimetres / 25.4 * Double(dotsPerInch) }

    /// Draws `cards` side by side; `colour` gives them the pale blue-green of the real card and
    /// dark blue print, otherwise they are white with black print.
    init(cards: [Card], colour: Bool = false, moduleDots: Int = 4) {
        let margin = Int(Self.dots(4))
        let cardWidth = Self.dots(85.6), cardHeight = Self.dots(53.98)
        width = margin + cards.count * (Int(cardWidth) + margin)
        height = Int(cardHeight) + 2 * margin
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        defer { cairo_destroy(context) }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        for (index, card) in cards.enumerated() {
            let left = Double(margin + index * (Int(cardWidth) + margin))
            Self.draw(card, context: context, left: left, top: Double(margin), width: cardWidth, height: cardHeight,
                      colour: colour, moduleDots: moduleDots)
        }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            for column in 0..<width {
                // RGB24 is a native-endian 32-bit 0x00RRGGBB word.
                let word = UnsafeRawPointer(data + row * stride + column * 4).loadUnaligned(as: UInt32.self)
                let pixel = (row * width + column) * 3
                rgb[pixel] = UInt8(truncatingIfNeeded: word >> 16)
                rgb[pixel + 1] = UInt8(truncatingIfNeeded: word >> 8)
                rgb[pixel + 2] = UInt8(truncatingIfNeeded: word)
            }
        }
        self.rgb = rgb
    }

    private init(width: Int, height: Int, rgb: [UInt8]) {
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    private static func draw(_ card: Card, context: OpaquePointer?, left: Double, top: Double, width: Double, height: Double,
                             colour: Bool, moduleDots: Int) {
        // The card: rounded corners (3.18 mm radius per ISO/IEC 7810), filled, outlined.
        let radius = dots(3.18)
        cairo_new_sub_path(context)
        cairo_arc(context, left + width - radius, top + radius, radius, -Double.pi / 2, 0)
        cairo_arc(context, left + width - radius, top + height - radius, radius, 0, Double.pi / 2)
        cairo_arc(context, left + radius, top + height - radius, radius, Double.pi / 2, Double.pi)
        cairo_arc(context, left + radius, top + radius, radius, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(context)
        if colour { cairo_set_source_rgb(context, 0.84, 0.93, 0.95) } else { cairo_set_source_rgb(context, 0.97, 0.97, 0.97) }
        cairo_fill_preserve(context)
        cairo_set_source_rgb(context, 0.45, 0.45, 0.45)
        cairo_set_line_width(context, 3)
        cairo_stroke(context)

        let ink: (Double, Double, Double) = colour ? (0.05, 0.15, 0.45) : (0, 0, 0)
        let fields = card.qrText.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        func field(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
        // Printed as dd/MM/yyyy; the code holds ddMMyyyy.
        func date(_ index: Int) -> String {
            let digits = Array(field(index))
            guard digits.count == 8 else { return field(index) }
            return "\(String(digits[0..<2]))/\(String(digits[2..<4]))/\(String(digits[4...]))"
        }
        text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: left + dots(20), y: top + dots(3), size: 26, bold: true, ink: ink, context: context)
        text("Độc lập - Tự do - Hạnh phúc", x: left + dots(28), y: top + dots(7), size: 24, bold: false, ink: ink, context: context)
        text("CĂN CƯỚC CÔNG DÂN", x: left + dots(26), y: top + dots(12), size: 40, bold: true, ink: (0.75, 0.1, 0.1), context: context)
        text("Số / No.: \(field(0))", x: left + dots(26), y: top + dots(19), size: 32, bold: true, ink: ink, context: context)
        text("Họ và tên / Full name: \(field(2))", x: left + dots(26), y: top + dots(25), size: 26, bold: false, ink: ink, context: context)
        text("Ngày sinh / Date of birth: \(date(3))   Giới tính / Sex: \(field(4))", x: left + dots(26), y: top + dots(30),
             size: 24, bold: false, ink: ink, context: context)
        text("Nơi thường trú / Place of residence: \(field(5))", x: left + dots(26), y: top + dots(36), size: 24, bold: false,
             ink: ink, context: context, wrapWidth: width - dots(30))

        // The photo: a grey box with a head and shoulders.
        cairo_set_source_rgb(context, 0.7, 0.7, 0.72)
        cairo_rectangle(context, left + dots(3), top + dots(16), dots(20), dots(27))
        cairo_fill(context)
        cairo_set_source_rgb(context, 0.35, 0.35, 0.38)
        cairo_arc(context, left + dots(13), top + dots(25), dots(5), 0, 2 * Double.pi)
        cairo_fill(context)
        cairo_arc(context, left + dots(13), top + dots(43), dots(9), Double.pi, 2 * Double.pi)
        cairo_fill(context)

        guard let modules = card.modules else { return }
        // Top right, on a white quiet zone of four modules, as printed on the card.
        let side = Double((modules.size + 8) * moduleDots)
        let qrLeft = left + width - dots(3) - side
        let qrTop = top + dots(3)
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_rectangle(context, qrLeft, qrTop, side, side)
        cairo_fill(context)
        cairo_set_source_rgb(context, 0, 0, 0)
        for row in 0..<modules.size {
            for column in 0..<modules.size where modules.dark[row * modules.size + column] {
                cairo_rectangle(context, qrLeft + Double((column + 4) * moduleDots), qrTop + Double((row + 4) * moduleDots),
                                Double(moduleDots), Double(moduleDots))
            }
        }
        cairo_fill(context)
    }

    private static func text(_ text: String, x: Double, y: Double, size: Int, bold: Bool, ink: (Double, Double, Double),
                             context: OpaquePointer?, wrapWidth: Double? = nil) {
        guard let layout = pango_cairo_create_layout(context) else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let font = pango_font_description_new()
        defer { pango_font_description_free(font) }
        pango_font_description_set_family(font, "Noto Sans")
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(font, Double(size) * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, font)
        if let wrapWidth {
            pango_layout_set_width(layout, Int32(wrapWidth) * PANGO_SCALE)
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD)
        }
        pango_layout_set_text(layout, text, -1)
        cairo_set_source_rgb(context, ink.0, ink.1, ink.2)
        cairo_move_to(context, x, y)
        pango_cairo_show_layout(context, layout)
    }

    /// The image turned clockwise by `quarterTurns` quarter turns, as a card laid sideways or upside down.
    func rotated(quarterTurns: Int) -> CitizenCardImage {
        var image = self
        for _ in 0..<((quarterTurns % 4 + 4) % 4) {
            var turned = [UInt8](repeating: 0, count: image.rgb.count)
            let (oldWidth, oldHeight) = (image.width, image.height)
            for row in 0..<oldHeight {
                for column in 0..<oldWidth {
                    // Clockwise: old (column, row) goes to (oldHeight - 1 - row, column).
                    let target = (column * oldHeight + (oldHeight - 1 - row)) * 3
                    let source = (row * oldWidth + column) * 3
                    turned[target] = image.rgb[source]
                    turned[target + 1] = image.rgb[source + 1]
                    turned[target + 2] = image.rgb[source + 2]
                }
            }
            image = CitizenCardImage(width: oldHeight, height: oldWidth, rgb: turned)
        }
        return image
    }

    /// 8-bit gray (BT.601 luma).
    var gray: [UInt8] {
        (0..<(width * height)).map { pixel in
            let red = UInt32(rgb[pixel * 3]), green = UInt32(rgb[pixel * 3 + 1]), blue = UInt32(rgb[pixel * 3 + 2])
            return UInt8((red * 299 + green * 587 + blue * 114 + 500) / 1000)
        }
    }

    /// Writes a binary PGM (P5) in gray or a PPM (P6) in colour.
    func write(to url: URL, colour: Bool) throws {
        let header = "\(colour ? "P6" : "P5")\n\(width) \(height)\n255\n"
        try (Data(header.utf8) + Data(colour ? rgb : gray)).write(to: url)
    }
}
