import Foundation
import KioskCore

/// Sample slips for a technician's preview (`kioskctl preview`): a ticket and a receipt laid out
/// exactly as the kiosk's own, with sample numbers that no citizen holds (number 0, code MAU-0000).
/// Nothing is issued or recorded.
public enum SlipPreview {
    /// A ticket as PNG at the ticket printer's width.
    public static func ticketPNG(profile: KioskProfile, language: Language, now: Date = Date()) throws(PrintingError) -> Data {
        guard let service = profile.queue.services.first else { throw PrintingError("the profile has no queue services") }
        let day = profile.queueDay(containing: now)
        let ticket = IssuedTicket(recordID: 0, kioskID: profile.identity.id, day: day,
                                  number: TicketNumber(prefix: service.prefix, lane: .ordinary, sequence: 0),
                                  priorityClass: nil, issuedAt: now, waitingAhead: 0)
        let layout = TicketLayout.layout(for: ticket, profile: profile, language: language,
                                         dotsPerLine: profile.devices.ticketPrinter?.dotsPerLine ?? 576)
        return try SlipRasterizer.render(layout).pngData()
    }

    /// A receipt as PDF at the receipt roll's width.
    public static func receiptPDF(profile: KioskProfile, language: Language, now: Date = Date()) throws(PrintingError) -> Data {
        guard let procedure = profile.procedures.first else { throw PrintingError("the profile has no procedures") }
        let receipt = ApplicationReceipt(applicationCode: "MAU-0000", procedure: procedure, submittedAt: now,
                                         documents: procedure.requiredDocuments, pageCount: procedure.requiredDocuments.count,
                                         expectedResultDate: nil, delivery: .atCounter, hotline: nil)
        let layout = ReceiptLayout.layout(for: receipt, profile: profile, language: language,
                                          rollWidthMillimetres: profile.devices.receiptPrinter?.rollWidthMillimetres ?? 80)
        return try SlipPDF.render(layout)
    }
}
