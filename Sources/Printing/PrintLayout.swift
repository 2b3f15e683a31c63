/// What a printed slip (queue ticket, receipt) holds, top to bottom, before it is drawn: the layout
/// model. Tests read it to check the words on a ticket without OCR; the renderers draw it.
public struct PrintLayout: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable {
        case left, center
    }

    public enum Block: Sendable, Equatable {
        /// Text shaped by Pango (Vietnamese diacritics stacked correctly), wrapped to the width.
        /// `size` is the font size in dots (pixels at the printer's resolution).
        case text(String, size: Int, bold: Bool, alignment: Alignment)
        /// White text on a black band: the priority mark.
        case banner(String, size: Int)
        /// A QR code, each module `moduleSize` dots square, centred, with a 4-module quiet zone.
        case qrCode(String, moduleSize: Int)
        /// A horizontal line across the width.
        case rule
        /// Blank space, in dots.
        case space(Int)
    }

    /// Printable width in dots.
    public var width: Int
    /// Left and right margin in dots.
    public var margin: Int
    public var blocks: [Block]

    public init(width: Int, margin: Int, blocks: [Block]) {
        self.width = width
        self.margin = margin
        self.blocks = blocks
    }

    /// Every text on the slip, in order (texts of text and banner blocks).
    public var texts: [String] {
        blocks.compactMap {
            switch $0 {
            case let .text(text, _, _, _), let .banner(text, _): text
            default: nil
            }
        }
    }

    /// Every QR code's content, in order.
    public var qrContents: [String] {
        blocks.compactMap { if case let .qrCode(content, _) = $0 { content } else { nil } }
    }
}
