import CQREncode
import Foundation
import KioskCore
import KioskHarness
import Printing
import Scanning
import Testing

/// The citizen identity card's QR code, from a card on the scanner glass to the card's fields:
/// a card image is drawn, written as a PGM/PPM file, scanned through real libsane with SANE's pnm
/// backend (the stand-ins' private SANE_CONFIG_DIR), decoded with libzbar and parsed.
@Suite(.serialized) struct CardQRReaderTests {
    init() throws {
        _ = try StandIns.fromEnvironment()
    }

    static let today = LocalDate(year: 2026, month: 3, day: 15)

    /// Both of these come back garbled from zbar's own charset guess (checked with zbarimg 0.23.92
    /// on Debian 12): the first as Shift-JIS ("Bﾃｹi Xuﾃ｢n Trﾆｰ盻拵g"), the second as Big5, with
    /// letters lost ("B穫nh Dng"). Read as bytes and decoded as UTF-8 they come back exact.
    static let codeZbarWouldReadAsShiftJIS = "046095001234|191234567|Bùi Xuân Trường|12071995|Nam|Phú Thượng, Phú Vang, Thừa Thiên Huế|25062021"
    static let codeZbarWouldReadAsBig5 = "074095001234||Khúc Thừa Dụ|12071995|Nam|Thuận An, Bình Dương|25062021"

    /// Writes `image` to a file, scans it with the pnm backend and returns the page.
    static func scan(_ image: CitizenCardImage, colour: Bool = false) async throws -> ScannedPage {
        let folder = try PackagePaths.temporaryDirectory("card-qr")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(colour ? "card.ppm" : "card.pgm")
        try image.write(to: file, colour: colour)
        let scanner = SANEScanner(settings: ScannerSettings(deviceName: "pnm:0", source: .flatbed, mode: colour ? .color : .gray,
                                                            resolutionDPI: CitizenCardImage.dotsPerInch, pageSize: .idCard,
                                                            backendOptions: ["filename": file.path]))
        // Closed before the turn passes on: the next scan opens the device afresh.
        let page = try await PNMBackendTurns.take { () async throws -> ScannedPage in
            do {
                let page = try await scanner.scanPage()
                await scanner.close()
                return page
            } catch {
                await scanner.close()
                throw error
            }
        }
        // What was scanned is this image, not the backend's default file.
        #expect(page.width == image.width && page.height == image.height)
        return page
    }

    @Test func aCardScannedInGrayGivesBackEveryFieldExactly() async throws {
        let page = try await Self.scan(CitizenCardImage(cards: [try .init(qrText: Self.codeZbarWouldReadAsShiftJIS)]))
        #expect(page.format == .gray)
        let text = try CardQRReader.read(page)
        #expect(Array(text.utf8) == Array(Self.codeZbarWouldReadAsShiftJIS.utf8), "\(text)")

        let card = try CitizenCardQR(parsing: text, today: Self.today)
        #expect(card.idNumber.digits == "046095001234")
        #expect(card.oldIDNumber == "191234567")
        #expect(card.fullName == "Bùi Xuân Trường")
        #expect(card.dateOfBirth == LocalDate(year: 1995, month: 7, day: 12))
        #expect(card.gender == .male)
        #expect(card.address == "Phú Thượng, Phú Vang, Thừa Thiên Huế")
        #expect(card.issueDate == LocalDate(year: 2021, month: 6, day: 25))
    }

    @Test func aCardScannedInColourIsReadFromItsLuma() async throws {
        let page = try await Self.scan(CitizenCardImage(cards: [try .init(qrText: Self.codeZbarWouldReadAsBig5)], colour: true), colour: true)
        #expect(page.format == .rgb)
        let text = try CardQRReader.read(page)
        #expect(Array(text.utf8) == Array(Self.codeZbarWouldReadAsBig5.utf8), "\(text)")
        let card = try CitizenCardQR(parsing: text, today: Self.today)
        #expect(card.fullName == "Khúc Thừa Dụ" && card.address == "Thuận An, Bình Dương" && card.oldIDNumber == nil)
    }

    @Test(arguments: [1, 2, 3])
    func aCardLaidTurnedOnTheGlassStillReads(quarterTurns: Int) async throws {
        let upright = CitizenCardImage(cards: [try .init(qrText: Self.codeZbarWouldReadAsShiftJIS)])
        let turned = upright.rotated(quarterTurns: quarterTurns)
        if quarterTurns % 2 == 1 { #expect(turned.width == upright.height && turned.height == upright.width) }
        let page = try await Self.scan(turned)
        let text = try CardQRReader.read(page)
        #expect(Array(text.utf8) == Array(Self.codeZbarWouldReadAsShiftJIS.utf8), "\(text)")
        #expect(try CitizenCardQR(parsing: text, today: Self.today).fullName == "Bùi Xuân Trường")
    }

    @Test func aPageWithoutAQRCodeIsSaidToHaveNone() async throws {
        // The card's printed digits and text are there; only the code is missing.
        let page = try await Self.scan(CitizenCardImage(cards: [.init(qrText: Self.codeZbarWouldReadAsShiftJIS, modules: nil)]))
        #expect(throws: CardQRReader.Failure.noCode) { try CardQRReader.read(page) }
        #expect(try CardQRReader.readAll(page).isEmpty)
        #expect(CardQRReader.Failure.noCode.prompt == .cardQRNotFound)
    }

    @Test func twoCardsOnTheGlassAreRefusedAsSeveralCodes() async throws {
        let page = try await Self.scan(CitizenCardImage(cards: [try .init(qrText: Self.codeZbarWouldReadAsShiftJIS), try .init(qrText: Self.codeZbarWouldReadAsBig5)]))
        #expect(throws: CardQRReader.Failure.severalCodes(count: 2)) { try CardQRReader.read(page) }
        // Both are there to be read, each intact.
        #expect(Set(try CardQRReader.readAll(page)) == [Self.codeZbarWouldReadAsShiftJIS, Self.codeZbarWouldReadAsBig5])
    }

    /// What the daemon calls: one scan and the decoding together on the scanner's own thread, the
    /// text or the reason coming back, the page itself not.
    @Test func theScannerReadsTheCardsCodeItselfAndSaysWhenThereIsNone() async throws {
        let folder = try PackagePaths.temporaryDirectory("card-qr-scanner")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("card.pgm")
        let scanner = SANEScanner(settings: ScannerSettings(deviceName: "pnm:0", source: .flatbed, mode: .gray,
                                                            resolutionDPI: CitizenCardImage.dotsPerInch, pageSize: .idCard,
                                                            backendOptions: ["filename": file.path]))
        let (card, none) = try await PNMBackendTurns.take { () async throws -> (Result<String, CardQRReader.Failure>, Result<String, CardQRReader.Failure>) in
            // Closed before the turn passes on, whatever happened: the next scan opens the device afresh.
            do {
                try CitizenCardImage(cards: [try .init(qrText: Self.codeZbarWouldReadAsBig5)]).write(to: file, colour: false)
                let card = try await scanner.readCardQR()
                // The same device, kept open, scans the file afresh: now a card without its code.
                try CitizenCardImage(cards: [.init(qrText: Self.codeZbarWouldReadAsBig5, modules: nil)]).write(to: file, colour: false)
                let none = try await scanner.readCardQR()
                await scanner.close()
                return (card, none)
            } catch {
                await scanner.close()
                throw error
            }
        }
        #expect(try Array(card.get().utf8) == Array(Self.codeZbarWouldReadAsBig5.utf8))
        #expect(none == .failure(.noCode))
    }

    /// Card printers need not put the whole text in one 8-bit segment: libqrencode's own mode
    /// choice writes the digits as numeric segments between byte segments. Read as bytes, the
    /// segments still join into the one text.
    @Test func aCodeMixingNumericAndByteSegmentsReadsWhole() throws {
        guard let code = QRcode_encodeString(Self.codeZbarWouldReadAsShiftJIS, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            Issue.record("libqrencode could not encode the text")
            return
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        let modules = CitizenCardImage.Modules(size: size, dark: (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 })
        let page = Self.page(CitizenCardImage(cards: [.init(qrText: Self.codeZbarWouldReadAsShiftJIS, modules: modules)]))
        #expect(Array(try CardQRReader.read(page).utf8) == Array(Self.codeZbarWouldReadAsShiftJIS.utf8))
    }

    /// A code whose bytes are not UTF-8 (here the name in ISO 8859-1, no ECI) is refused as
    /// unreadable rather than handed on in some guessed charset.
    @Test func aCodeThatIsNotUTF8IsUnreadableNotGuessed() throws {
        let latin1: [UInt8] = Array("046095001234||Nguy".utf8) + [0xEA] + Array("n Van An|12071995|Nam|Hanoi|25062021".utf8)
        guard let code = latin1.withUnsafeBufferPointer({ QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, QR_ECLEVEL_M) }) else {
            Issue.record("libqrencode could not encode the bytes")
            return
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        let modules = CitizenCardImage.Modules(size: size, dark: (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 })
        let page = Self.page(CitizenCardImage(cards: [.init(qrText: "", modules: modules)]))
        do {
            let text = try CardQRReader.read(page)
            Issue.record("a non-UTF-8 code was read as \(text)")
        } catch {
            guard case let .unreadable(detail) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(error.prompt == .cardQRUnreadable)
            #expect(!detail.contains("Nguy"), "\(detail)")
        }
    }

    @Test func everyFailureHasItsPromptInVietnameseAndEnglish() {
        let failures: [CardQRReader.Failure] = [.noCode, .severalCodes(count: 2), .unreadable(detail: "57-byte QR content is not UTF-8")]
        #expect(Set(failures.map(\.prompt)) == [.cardQRNotFound, .cardQRSeveralCodes, .cardQRUnreadable])
        for failure in failures {
            let vietnamese = PromptCatalog.texts[failure.prompt]?[.vietnamese] ?? ""
            let english = PromptCatalog.texts[failure.prompt]?[.english] ?? ""
            #expect(!vietnamese.isEmpty && !english.isEmpty && vietnamese != english, "\(failure.prompt.rawValue)")
        }
    }

    /// The image as a gray page without the scanner, for codes the test builds byte by byte.
    static func page(_ image: CitizenCardImage) -> ScannedPage {
        ScannedPage(width: image.width, height: image.height, format: .gray, dotsPerInch: CitizenCardImage.dotsPerInch, pixels: image.gray)
    }
}
