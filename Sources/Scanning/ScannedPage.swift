/// One page as the scanner delivered it: 8-bit gray or RGB pixels, row by row.
public struct ScannedPage: Sendable, Equatable {
    public enum Format: Sendable, Equatable {
        case gray
        case rgb

        public var bytesPerPixel: Int { self == .gray ? 1 : 3 }
    }

    public let width: Int
    public let height: Int
    public let format: Format
    public let dotsPerInch: Int
    /// `height` rows of `width * format.bytesPerPixel` bytes, no padding.
    public let pixels: [UInt8]

    public init(width: Int, height: Int, format: Format, dotsPerInch: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * format.bytesPerPixel, "page size does not match its pixels")
        self.width = width
        self.height = height
        self.format = format
        self.dotsPerInch = dotsPerInch
        self.pixels = pixels
    }

    /// The page's size on paper, in millimetres.
    public var millimetres: (width: Double, height: Double) {
        (Double(width) * 25.4 / Double(dotsPerInch), Double(height) * 25.4 / Double(dotsPerInch))
    }

    /// Its area as a share of an A4 sheet (the unit page budgets are set in).
    public var a4Fraction: Double {
        let size = millimetres
        return size.width * size.height / (210 * 297)
    }
}
