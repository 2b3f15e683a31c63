import Console
import Foundation
import KioskCore
import Testing

/// The screen must fit an 80x24 console and keep what a citizen needs to act when space runs short.
@Suite struct TerminalRendererTests {
    static func visible(_ line: String) -> String {
        // Drop ANSI escape sequences (CSI … letter, and ESC # n) to see what is printed.
        var text = ""
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if character == "\u{1B}" {
                guard let next = iterator.next() else { break }
                if next == "[" {
                    while let code = iterator.next(), !code.isLetter {}
                } else if next == "#" {
                    _ = iterator.next()
                }
                continue
            }
            text.append(character)
        }
        return text
    }

    static let longScreen = ScreenContent(
        title: "Trợ giúp",
        lines: (1...30).map { "Dòng giải thích số \($0) về cách dùng ki-ốt dịch vụ công bằng bàn phím mười hai phím." },
        choices: [.init(key: "7", label: "Nói chậm hơn"), .init(key: "9", label: "Nói nhanh hơn")],
        input: "•••• ••", error: "Số định danh cá nhân phải có mười hai chữ số; quý khách đã nhập 6.",
        hints: ["Nhấn phím thăng để trở lại."], language: .vietnamese, spoken: "")

    @Test func aLongScreenFitsEightyByTwentyFourAndKeepsChoicesEntryErrorAndHints() {
        let lines = TerminalRenderer.layout(Self.longScreen, columns: 80, rows: 24, largeTitle: false).map(Self.visible)
        #expect(lines.count <= 23, "one row stays free so the terminal never scrolls")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.map(\.count))")
        let text = lines.joined(separator: "\n")
        #expect(text.contains("Trợ giúp"))
        #expect(text.contains(" 7   Nói chậm hơn") && text.contains(" 9   Nói nhanh hơn"))
        #expect(text.contains("•••• ••"))
        #expect(text.contains("Số định danh cá nhân phải có mười hai chữ số"))
        #expect(text.contains("Nhấn phím thăng để trở lại."))
        #expect(text.contains("Dòng giải thích số 1 "), "body lines show as far as there is room")
    }

    @Test func longWordsWrapAtWordBoundaries() {
        let wrapped = TerminalRenderer.wrap("Nhập số định danh cá nhân gồm mười hai chữ số, rồi nhấn phím thăng.", width: 30)
        #expect(wrapped == ["Nhập số định danh cá nhân gồm", "mười hai chữ số, rồi nhấn phím", "thăng."])
    }

    @Test func doubleHeightTitleIsDrawnTwiceWithDECLineAttributes() {
        let lines = TerminalRenderer.layout(Self.longScreen, columns: 80, rows: 24, largeTitle: true)
        #expect(lines[1].hasPrefix("\u{1B}#3") && lines[2].hasPrefix("\u{1B}#4"))
        #expect(Self.visible(lines[1]) == Self.visible(lines[2]))
    }

    @Test func plainTextForLogsAndPipes() {
        let text = TerminalRenderer.plainText(ScreenContent(title: "Quý khách cần làm gì?", choices: [.init(key: "1", label: "Lấy số thứ tự")],
                                                            hints: ["Chọn bằng phím số."], language: .vietnamese, spoken: ""))
        #expect(text == "== Quý khách cần làm gì? ==\n[1] Lấy số thứ tự\nChọn bằng phím số.")
    }
}
