import Foundation
import KioskCore

/// The citizen's receipt for an accepted application, laid out for the receipt roll: the kiosk,
/// the procedure, the application code in large type, date and time, the documents received, the
/// expected result date and delivery, the fee, the hotline, and a QR code of the application code.
/// In the citizen's language; nothing personal is printed.
public enum ReceiptLayout {
    /// Printable dots across the roll at 203 dpi: 576 on 80 mm paper, 384 on 58 mm.
    public static func dots(rollWidthMillimetres: Int) -> Int {
        rollWidthMillimetres >= 80 ? 576 : 384
    }

    public static func layout(for receipt: ApplicationReceipt, profile: KioskProfile, language: Language,
                              rollWidthMillimetres: Int) -> PrintLayout {
        let width = dots(rollWidthMillimetres: rollWidthMillimetres)
        let scale = Double(width) / 576
        func size(_ value: Int) -> Int { max(Int((Double(value) * scale).rounded()), 1) }
        func text(_ key: PromptKey, _ values: [String: String] = [:]) -> String { PromptCatalog.text(key, in: language, values) }
        let (date, time) = TicketLayout.localDateAndTime(receipt.submittedAt, timeZone: profile.timeZone)
        // A kiosk code is printed in its groups (easier to read out and type); the QR holds the digits.
        let shownCode = (try? ApplicationCode.parse(receipt.applicationCode).get())?.grouped ?? receipt.applicationCode

        var blocks: [PrintLayout.Block] = [
            .text(profile.identity.name.text(in: language), size: size(26), bold: true, alignment: .center),
            .text(profile.identity.location.text(in: language), size: size(22), bold: false, alignment: .center),
            .rule,
            .text(text(.receiptTitle), size: size(30), bold: true, alignment: .center),
            .text(text(.receiptCodeLabel), size: size(24), bold: false, alignment: .center),
            .text(shownCode, size: size(shownCode.count > 12 ? 44 : 56), bold: true, alignment: .center),
            .space(size(6)),
            .text(text(.receiptProcedure, ["name": receipt.procedure.name.text(in: language), "code": receipt.procedure.code]),
                  size: size(24), bold: true, alignment: .left),
            .text(text(.receiptSubmittedAt, ["time": time, "date": date]), size: size(22), bold: false, alignment: .left),
            .text(text(.receiptDocuments), size: size(22), bold: false, alignment: .left),
        ]
        for document in receipt.documents {
            blocks.append(.text("• " + document.text(in: language), size: size(22), bold: false, alignment: .left))
        }
        blocks.append(.text(text(.receiptPages, ["count": "\(receipt.pageCount)"]), size: size(22), bold: false, alignment: .left))
        if let expected = receipt.expectedResultDate {
            let shown = String(format: "%02d/%02d/%d", expected.day, expected.month, expected.year)
            blocks.append(.text(text(.receiptExpected, ["date": shown]), size: size(24), bold: true, alignment: .left))
        }
        blocks.append(.text(text(.receiptDelivery, ["method": text(receipt.delivery.prompt)]), size: size(22), bold: false, alignment: .left))
        if let fee = receipt.procedure.feeDong, fee > 0 {
            blocks.append(.text(text(.receiptFee, ["amount": Self.dong(fee)]), size: size(22), bold: false, alignment: .left))
        } else {
            blocks.append(.text(text(.receiptFree), size: size(22), bold: false, alignment: .left))
        }
        blocks += [
            .qrCode(receipt.applicationCode, moduleSize: size(6)),
            .text(text(.receiptLookUp), size: size(20), bold: false, alignment: .center),
        ]
        if let hotline = receipt.hotline {
            blocks.append(.text(text(.receiptHotline, ["number": hotline]), size: size(24), bold: true, alignment: .center))
        }
        blocks.append(.space(size(24)))
        return PrintLayout(width: width, margin: size(12), blocks: blocks)
    }

    /// 1.500.000 đ: Vietnamese groups thousands with dots.
    static func dong(_ amount: Int) -> String {
        var digits = String(amount)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return groups.joined(separator: ".") + " đ"
    }
}
