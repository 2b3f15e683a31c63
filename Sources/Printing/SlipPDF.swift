import CCairo
import Foundation

/// Draws a `PrintLayout` as a one-page PDF exactly as long as its content, for a receipt printer
/// behind CUPS (which rasterises it for the printer) and for a technician's preview. Text stays
/// text (selectable, searchable), shaped by Pango; the layout's dots become points at `dotsPerInch`.
public enum SlipPDF {
    public static func render(_ layout: PrintLayout, dotsPerInch: Double = 203) throws(PrintingError) -> Data {
        let scratch = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)
        let measuring = cairo_create(scratch)
        let heights: [Int]
        do {
            heights = try SlipDrawing.heights(of: layout, context: measuring)
        } catch {
            cairo_destroy(measuring)
            cairo_surface_destroy(scratch)
            throw error
        }
        cairo_destroy(measuring)
        cairo_surface_destroy(scratch)

        let scale = 72 / dotsPerInch
        let sink = PDFBytes()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<PDFBytes>.fromOpaque(closure).takeUnretainedValue().data.append(data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        let total = max(heights.reduce(0, +), 1)
        let surface = cairo_pdf_surface_create_for_stream(write, unmanaged.toOpaque(), Double(layout.width) * scale, Double(total) * scale)
        let context = cairo_create(surface)
        cairo_scale(context, scale, scale)
        var top = 0
        var failure: PrintingError?
        for (block, height) in zip(layout.blocks, heights) {
            do {
                try SlipDrawing.draw(block, at: top, height: height, layout: layout, context: context, surface: .page)
            } catch {
                failure = error
                break
            }
            top += height
        }
        cairo_show_page(context)
        cairo_destroy(context)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        if let failure { throw failure }
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PrintingError("PDF rendering failed: \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.data
    }
}

/// Collects cairo's PDF stream; touched only by its write callback during `render`.
private final class PDFBytes {
    var data = Data()
}
