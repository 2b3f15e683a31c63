import KioskCore

/// The ESC/POS commands the kiosk sends to a thermal ticket printer (Epson TM and compatible).
public enum ESCPOS {
    /// `ESC @`: back to power-on settings.
    public static let initialize: [UInt8] = [0x1B, 0x40]
    /// `GS V 66 n`: feed `n` dots past the print, then partial cut (leaves a hinge the citizen tears).
    public static func feedAndCut(dots: UInt8 = 80) -> [UInt8] { [0x1D, 0x56, 66, dots] }
    /// `DLE EOT n`: real-time status; n = 1 printer, 2 offline cause, 3 error cause, 4 paper sensor.
    public static func statusRequest(_ n: UInt8) -> [UInt8] { [0x10, 0x04, n] }
    /// `DLE DC4 fn=8`: clear the receive and print buffers. A printer that went offline mid-ticket keeps
    /// the rest of the ticket in its buffer and would print it after the refill, for a citizen who
    /// has left; this throws it away. Real-time, so it works while the printer is offline.
    public static let clearBuffers: [UInt8] = [0x10, 0x14, 0x08, 0x01, 0x03, 0x14, 0x01, 0x06, 0x02, 0x08]

    /// Bytes that bring a printer back in step after a host died part-way through a raster command
    /// (kill -9, power cut): the printer still counts image bytes and would swallow our next
    /// commands, status requests included, as dots. NUL is no command, so in step it is ignored;
    /// out of step it completes the pending image with white. `ESC @` then starts afresh.
    public static func resynchronize(dotsPerLine: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: (dotsPerLine + 7) / 8 * rasterBandRows) + initialize
    }

    /// Rows per `GS v 0` command. Some printers cap one raster command's height; bands of 128 rows
    /// also let the printer start on the top of the ticket while the rest is still arriving.
    public static let rasterBandRows = 128

    /// `GS v 0 0 xL xH yL yH d…`, one command per band of the raster.
    public static func raster(_ image: MonochromeRaster) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(image.bits.count + image.height / rasterBandRows * 8 + 8)
        let widthBytes = image.bytesPerRow
        var row = 0
        while row < image.height {
            let rows = min(rasterBandRows, image.height - row)
            bytes += [0x1D, 0x76, 0x30, 0x00, UInt8(widthBytes & 0xFF), UInt8(widthBytes >> 8), UInt8(rows & 0xFF), UInt8(rows >> 8)]
            bytes += image.bits[(row * widthBytes)..<((row + rows) * widthBytes)]
            row += rows
        }
        return bytes
    }

    /// A whole ticket: initialise, the image, feed and cut.
    public static func ticket(_ image: MonochromeRaster) -> [UInt8] {
        initialize + raster(image) + feedAndCut()
    }
}

/// A printer's answer to `DLE EOT` 1…4, decoded. Each answer byte has the fixed form 0xx1xx10.
public struct ESCPOSStatus: Sendable, Equatable {
    public var offline: Bool
    public var coverOpen: Bool
    public var stoppedByPaperEnd: Bool
    public var errorOccurred: Bool
    public var cutterError: Bool
    public var unrecoverableError: Bool
    public var autoRecoverableError: Bool
    public var paperNearEnd: Bool
    public var paperEnd: Bool

    /// Decodes the four answer bytes (to n = 1, 2, 3, 4); nil when one does not have the fixed form,
    /// which means the printer is not answering status requests (or the bytes got out of step).
    public init?(printer: UInt8, offlineCause: UInt8, errorCause: UInt8, paperSensor: UInt8) {
        for byte in [printer, offlineCause, errorCause, paperSensor] where byte & 0x93 != 0x12 {
            return nil
        }
        offline = printer & 0x08 != 0
        coverOpen = offlineCause & 0x04 != 0
        stoppedByPaperEnd = offlineCause & 0x20 != 0
        errorOccurred = offlineCause & 0x40 != 0
        cutterError = errorCause & 0x08 != 0
        unrecoverableError = errorCause & 0x20 != 0
        autoRecoverableError = errorCause & 0x40 != 0
        paperNearEnd = paperSensor & 0x0C != 0
        paperEnd = paperSensor & 0x60 != 0
    }

    /// Paper supply in the kiosk's status vocabulary.
    public var paper: PaperState {
        if paperEnd || stoppedByPaperEnd { return .out }
        return paperNearEnd ? .low : .full
    }

    /// The reason a ticket cannot print now, or nil when the printer is ready.
    public var fault: TicketPrintFailure? {
        if coverOpen { return .coverOpen }
        if paperEnd || stoppedByPaperEnd { return .paperOut }
        if cutterError || unrecoverableError { return .printerFault }
        if autoRecoverableError || errorOccurred || offline { return .printerOffline }
        return nil
    }

    /// What a technician reads in `kioskctl status`: every condition that is set.
    public var summary: String {
        var words: [String] = []
        if offline { words.append("offline") }
        if coverOpen { words.append("cover-open") }
        if paperEnd || stoppedByPaperEnd { words.append("paper-end") } else if paperNearEnd { words.append("paper-near-end") }
        if cutterError { words.append("cutter-error") }
        if unrecoverableError { words.append("unrecoverable-error") }
        if autoRecoverableError { words.append("auto-recoverable-error") }
        if errorOccurred && !cutterError && !unrecoverableError && !autoRecoverableError { words.append("error") }
        return words.isEmpty ? "ready" : words.joined(separator: ",")
    }
}
