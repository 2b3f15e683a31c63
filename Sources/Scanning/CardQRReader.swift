import CZbar
import KioskCore

/// Finds and decodes the QR code on a scanned page with libzbar: the code printed on a citizen
/// identity card, read from the card laid on the scanner glass in any orientation.
///
/// Only QR codes are looked for: zbar's linear symbologies take rows of large printed digits for
/// barcodes (seen in the ticket tests), and a card has plenty of those.
///
/// Text encoding: the codes are read with `ZBAR_CFG_BINARY`, as raw bytes, and decoded as UTF-8
/// here. Without it, zbar guesses the charset of a byte-mode code that names none (no ECI), trying
/// Shift-JIS first, then ISO 8859-1, Big5 and only then UTF-8, keeping the first that converts
/// without error. Vietnamese UTF-8 often is valid Shift-JIS or Big5, so names came back garbled:
/// "Bùi Xuân Trường" as "Bﾃｹi Xuﾃ｢n Trﾆｰ盻拵g", "Khánh Hòa" as "Kh獺nh H簷a", "Nữ Hoàng" as
/// "Ná»¯ HoÃ ng" (zbar 0.23.92, Debian 12). Whether it happened depended on the letters of the
/// name, so a test with one name could pass by luck. Citizen identity cards write UTF-8; a code
/// that states its charset with an ECI is still converted to UTF-8 by zbar itself.
///
/// Decoding is CPU work (tens of milliseconds for an ID-card-sized page, more for a whole A4 page
/// at high resolution): call it from a thread that may wait, such as the scanner's, not from the
/// cooperative pool.
public enum CardQRReader {
    /// Why no single readable code came off the page: the prompt the citizen hears and the detail
    /// technicians read. Neither holds the code's content.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// zbar found no QR code (none there, or too blurred or damaged to locate and decode).
        case noCode
        /// More than one QR code where one card's code was expected.
        case severalCodes(count: Int)
        /// A code was found but its content cannot be used (not UTF-8, part of an incomplete
        /// structured-append set) or zbar failed.
        case unreadable(detail: String)

        /// What the citizen is told.
        public var prompt: PromptKey {
            switch self {
            case .noCode: .cardQRNotFound
            case .severalCodes: .cardQRSeveralCodes
            case .unreadable: .cardQRUnreadable
            }
        }

        /// The technical detail for logs and `kioskctl`.
        public var description: String {
            switch self {
            case .noCode: "no QR code found on the page"
            case let .severalCodes(count): "\(count) QR codes on the page, expected one"
            case let .unreadable(detail): "QR code unreadable: \(detail)"
            }
        }
    }

    /// The text of the one QR code on `page`.
    public static func read(_ page: ScannedPage) throws(Failure) -> String {
        let texts = try readAll(page)
        guard let text = texts.first else { throw .noCode }
        guard texts.count == 1 else { throw .severalCodes(count: texts.count) }
        return text
    }

    /// The texts of every QR code on `page`, in zbar's order; empty when there is none.
    public static func readAll(_ page: ScannedPage) throws(Failure) -> [String] {
        let gray = page.format == .gray ? page.pixels : luma(of: page)
        guard let scanner = zbar_image_scanner_create() else { throw .unreadable(detail: "zbar_image_scanner_create failed") }
        defer { zbar_image_scanner_destroy(scanner) }
        // Every symbology off, then QR on and left as bytes (see the type's documentation).
        guard zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0) == 0,
              zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1) == 0,
              zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1) == 0 else {
            throw .unreadable(detail: "zbar refused the QR-only binary configuration")
        }
        guard let image = zbar_image_create() else { throw .unreadable(detail: "zbar_image_create failed") }
        // The image is destroyed before `gray` can go: zbar reads the pixels in place, and with no
        // cleanup handler it never frees them.
        defer { zbar_image_destroy(image) }
        zbar_image_set_format(image, y800)
        zbar_image_set_size(image, UInt32(page.width), UInt32(page.height))
        var raw: [[UInt8]] = []
        var partial = false
        let found: Int32 = gray.withUnsafeBytes { pixels in
            zbar_image_set_data(image, pixels.baseAddress, UInt(pixels.count), nil)
            let found = zbar_scan_image(scanner, image)
            // Symbols belong to the image: copied out before the pixels are let go.
            var symbol = zbar_image_first_symbol(image)
            while let current = symbol {
                if zbar_symbol_get_type(current) == ZBAR_QRCODE, let data = zbar_symbol_get_data(current) {
                    let length = Int(zbar_symbol_get_data_length(current))
                    raw.append(data.withMemoryRebound(to: UInt8.self, capacity: length) {
                        Array(UnsafeBufferPointer(start: $0, count: length))
                    })
                } else if zbar_symbol_get_type(current) == ZBAR_PARTIAL {
                    partial = true
                }
                symbol = zbar_symbol_next(current)
            }
            zbar_image_set_data(image, nil, 0, nil)
            return found
        }
        guard found >= 0 else { throw .unreadable(detail: "zbar_scan_image failed (\(found))") }
        if partial { throw .unreadable(detail: "only part of a structured-append QR set is on the page") }
        return try raw.map { bytes throws(Failure) -> String in
            // A leading byte-order mark is how some encoders say "UTF-8" without an ECI.
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            guard let text = String(validating: body, as: UTF8.self) else {
                throw .unreadable(detail: "\(bytes.count)-byte QR content is not UTF-8")
            }
            return text
        }
    }

    /// zbar's name for 8-bit gray, fourcc "Y800" (the `zbar_fourcc` macro does not reach Swift).
    private static let y800: UInt = UInt(UInt8(ascii: "Y")) | UInt(UInt8(ascii: "8")) << 8
        | UInt(UInt8(ascii: "0")) << 16 | UInt(UInt8(ascii: "0")) << 24

    /// An RGB page as 8-bit luma (ITU-R BT.601 weights, which zbar's own RGB converter approximates).
    static func luma(of page: ScannedPage) -> [UInt8] {
        var gray = [UInt8](repeating: 0, count: page.width * page.height)
        page.pixels.withUnsafeBufferPointer { rgb in
            for index in 0..<gray.count {
                let red = UInt32(rgb[index * 3]), green = UInt32(rgb[index * 3 + 1]), blue = UInt32(rgb[index * 3 + 2])
                gray[index] = UInt8((red * 299 + green * 587 + blue * 114 + 500) / 1000)
            }
        }
        return gray
    }
}

extension SANEScanner {
    /// Scans one page (the identity card on the glass) and reads the one QR code on it, both on the
    /// scanner's own thread: zbar's decoding is CPU work that must not hold up the cooperative pool.
    /// The page is let go here; only the code's text leaves, and the caller should parse it and let
    /// it go too. A scanner fault throws; a page without one readable code is the returned failure.
    public func readCardQR(cancellation: ScanCancellation = ScanCancellation()) async throws(ScanFailure)
        -> Result<String, CardQRReader.Failure> {
        let page = try scanPage(cancellation: cancellation)
        do {
            return .success(try CardQRReader.read(page))
        } catch {
            return .failure(error)
        }
    }
}
