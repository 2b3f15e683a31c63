import CCairo
import CTurboJPEG
import Foundation

/// A scanned page compressed for storage and sending: JPEG (libjpeg-turbo) at the highest quality
/// that keeps it within the size budget.
public struct EncodedPage: Sendable, Equatable {
    public let jpeg: [UInt8]
    public let width: Int
    public let height: Int
    public let dotsPerInch: Int
    /// The JPEG quality the kiosk chose; 0 for a page that arrived already encoded.
    public let quality: Int
    /// The page's area as a share of A4, so sizes compare across page formats.
    public let a4Fraction: Double

    /// Kilobytes per A4-equivalent area: the figure the budget is set in.
    public var kilobytesPerA4: Double { Double(jpeg.count) / 1000 / max(a4Fraction, 0.01) }
}

/// Turns scanned pages into JPEG and a set of pages into one PDF. Everything stays in memory: a
/// citizen's documents never touch the disk unencrypted (the outbox encrypts what it stores).
public enum PageEncoder {
    /// The budget per A4 page: 250 KB keeps a 200 dpi gray page legible and an application of ten
    /// pages small enough for a van's mobile link.
    public static let defaultBudgetPerA4 = 250_000
    /// Qualities tried, best first; the first that fits the budget is kept.
    static let qualities = [85, 75, 65, 55, 45, 35, 25]

    public static func jpeg(_ page: ScannedPage, budgetPerA4: Int = defaultBudgetPerA4) throws(ScanFailure) -> EncodedPage {
        guard let compressor = tjInitCompress() else { throw ScanFailure(fault: .outOfMemory, detail: "tjInitCompress failed") }
        defer { tjDestroy(compressor) }
        let budget = Int(Double(budgetPerA4) * max(page.a4Fraction, 0.01))
        var best: [UInt8] = []
        var bestQuality = 0
        for quality in qualities {
            var output: UnsafeMutablePointer<UInt8>?
            var size: UInt = 0
            let result = page.pixels.withUnsafeBufferPointer { pixels in
                tjCompress2(compressor, pixels.baseAddress, Int32(page.width), 0, Int32(page.height),
                            page.format == .gray ? Int32(TJPF_GRAY.rawValue) : Int32(TJPF_RGB.rawValue), &output, &size,
                            page.format == .gray ? Int32(TJSAMP_GRAY.rawValue) : Int32(TJSAMP_420.rawValue), Int32(quality),
                            TJFLAG_FASTDCT)
            }
            defer { tjFree(output) }
            guard result == 0, let output else {
                throw ScanFailure(fault: .other, detail: "JPEG compression failed: \(String(cString: tjGetErrorStr2(compressor)))")
            }
            best = Array(UnsafeBufferPointer(start: output, count: Int(size)))
            bestQuality = quality
            if best.count <= budget { break }
        }
        return EncodedPage(jpeg: best, width: page.width, height: page.height, dotsPerInch: page.dotsPerInch, quality: bestQuality,
                           a4Fraction: page.a4Fraction)
    }

    /// A page that arrives already encoded (a paper form scanned elsewhere and filed on the control
    /// socket): its header is read by libjpeg-turbo, so anything that is not a JPEG it can decode is
    /// refused here rather than producing a PDF no viewer opens.
    public static func page(fromJPEG jpeg: [UInt8], dotsPerInch: Int) throws(ScanFailure) -> EncodedPage {
        guard (50...1200).contains(dotsPerInch) else {
            throw ScanFailure(fault: .other, detail: "a page's resolution must be 50 to 1200 dpi, not \(dotsPerInch)")
        }
        guard let decompressor = tjInitDecompress() else { throw ScanFailure(fault: .outOfMemory, detail: "tjInitDecompress failed") }
        defer { tjDestroy(decompressor) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let status = jpeg.withUnsafeBufferPointer {
            tjDecompressHeader3(decompressor, $0.baseAddress, UInt(jpeg.count), &width, &height, &subsampling, &colorspace)
        }
        guard status == 0, width > 0, height > 0 else {
            throw ScanFailure(fault: .other, detail: "the page is not a readable JPEG image")
        }
        let millimetres = { (dots: Int32) in Double(dots) / Double(dotsPerInch) * 25.4 }
        return EncodedPage(jpeg: jpeg, width: Int(width), height: Int(height), dotsPerInch: dotsPerInch, quality: 0,
                           a4Fraction: millimetres(width) * millimetres(height) / (210 * 297))
    }

    /// One PDF with a page per scan, each page the size of the paper scanned. Cairo embeds the JPEG
    /// data as it is (its JPEG MIME data), so the PDF is barely larger than the JPEGs.
    public static func pdf(_ pages: [EncodedPage]) throws(ScanFailure) -> Data {
        guard let first = pages.first else { throw ScanFailure(fault: .other, detail: "no pages to put in a PDF") }
        let sink = PDFSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue().data.append(data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        func points(_ dots: Int, _ dpi: Int) -> Double { Double(dots) * 72 / Double(dpi) }
        let surface = cairo_pdf_surface_create_for_stream(write, unmanaged.toOpaque(), points(first.width, first.dotsPerInch),
                                                          points(first.height, first.dotsPerInch))
        let context = cairo_create(surface)
        for page in pages {
            cairo_pdf_surface_set_size(surface, points(page.width, page.dotsPerInch), points(page.height, page.dotsPerInch))
            // A one-pixel stand-in carries the JPEG: cairo's PDF output uses the JPEG data (its own
            // size is read from the JPEG header) and never looks at the pixels, so a page-sized
            // surface (10 MB to allocate and scan at 200 dpi) would be pure cost.
            let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
            // The PDF takes the JPEG bytes; cairo frees its copy with the image.
            let copy = malloc(page.jpeg.count)!
            page.jpeg.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: page.jpeg.count) }
            cairo_surface_set_mime_data(image, CAIRO_MIME_TYPE_JPEG, copy.assumingMemoryBound(to: UInt8.self),
                                        UInt(page.jpeg.count), { free($0) }, copy)
            cairo_save(context)
            cairo_scale(context, points(page.width, page.dotsPerInch), points(page.height, page.dotsPerInch))
            cairo_set_source_surface(context, image, 0, 0)
            cairo_paint(context)
            cairo_restore(context)
            cairo_show_page(context)
            cairo_surface_destroy(image)
        }
        cairo_destroy(context)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw ScanFailure(fault: .other, detail: "PDF assembly failed: \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.data
    }
}

/// Where cairo's PDF stream is collected. Touched only by cairo's write callback during `pdf`.
private final class PDFSink {
    var data = Data()
}
