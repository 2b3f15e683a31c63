import Foundation
import KioskCore
import Testing

/// Scanning the documents of an application: what the citizen is told before, during and after
/// each page, a fault with the pages kept, a cancel from the keypad, and nothing sent with no page.
@Suite struct ScanSessionTests {
    typealias Driver = SessionTests.Driver

    /// Menu → application → procedure 1 → ID (typed: 2 on a flatbed kiosk's identity choice) → phone:
    /// the first scan screen.
    static func atTheScanner(feeder: Bool = false) -> Driver {
        var profile = TestProfiles.kiosk()
        profile.devices.scanner = ScannerSettings(deviceName: "test:0", source: feeder ? .automaticDocumentFeeder : .flatbed, mode: .gray,
                                                  resolutionDPI: 200, pageSize: .a4)
        var driver = Driver(profile: profile)
        driver.press(.confirm, .digit2, .digit1)
        if !feeder { driver.press(.digit2) }
        driver.type("001199012345")
        driver.press(.confirm)
        driver.type("0912345678")
        driver.press(.confirm)
        return driver
    }

    @Test func theCitizenIsToldHowToPlaceThePageAndThatEachPageWasScanned() {
        var driver = Self.atTheScanner()
        #expect(driver.screen == .scanDocuments)
        #expect(driver.spoken?.text.hasPrefix("Đặt trang giấy tờ thứ nhất úp mặt xuống mặt kính máy quét, rồi nhấn phím thăng.") == true)
        // Zero does nothing before a page is scanned: an application without documents is not sent.
        driver.press(.digit0)
        #expect(driver.screen == .scanDocuments)
        driver.press(.confirm)
        #expect(driver.screen == .scanning)
        #expect(driver.effects.contains(.scanDocuments))
        #expect(driver.spoken?.text == "Đang quét, xin chờ. Phím quay lại để dừng quét.")
        driver.send(.pagesScanned(total: 1))
        #expect(driver.shown?.title == "Đã quét 1 trang")
        #expect(driver.spoken?.text.hasPrefix("Đã quét một trang. Đặt trang tiếp theo rồi nhấn phím thăng để quét thêm, hoặc nhấn phím không khi xong.") == true)
        driver.press(.digit0)
        #expect(driver.screen == .confirmApplication)
    }

    @Test func aJamIsExplainedAndThePagesAlreadyScannedAreKept() {
        var driver = Self.atTheScanner(feeder: true)
        #expect(driver.spoken?.text.hasPrefix("Đặt xấp giấy tờ vào khay nạp giấy của máy quét") == true)
        driver.press(.confirm)
        driver.send(.scanFailed(.jammed, total: 3))
        #expect(driver.screen == .scanDocuments)
        #expect(driver.shown?.error == "Giấy bị kẹt trong máy quét. Xin nhờ cán bộ hỗ trợ lấy giấy ra. Các trang đã quét vẫn được giữ.")
        #expect(driver.shown?.title == "Đã quét 3 trang")
        let spoken = driver.spoken?.text ?? ""
        #expect(spoken.hasPrefix("Giấy bị kẹt trong máy quét.") && spoken.contains("Đã quét ba trang."))
        // Scanning again clears the error; the count goes on.
        driver.press(.confirm)
        driver.send(.pagesScanned(total: 5))
        #expect(driver.shown?.error == nil && driver.shown?.title == "Đã quét 5 trang")
    }

    @Test func theBackKeyStopsTheScanAndTheCancelIsSaid() {
        var driver = Self.atTheScanner()
        driver.press(.confirm)
        driver.press(.back)
        #expect(driver.effects == [.stopSpeaking, .cancelScan, .armInactivityTimer(seconds: 60)])
        driver.send(.scanFailed(.cancelled, total: 0))
        #expect(driver.spoken?.text.hasPrefix("Đã dừng quét. Các trang đã quét vẫn được giữ.") == true)
        #expect(driver.screen == .scanDocuments)
    }

    @Test func aScanOutcomeAfterTheCitizenLeftIsIgnored() {
        var driver = Self.atTheScanner()
        driver.press(.confirm)
        driver.send(.inactivityTimeout)
        driver.send(.inactivityTimeout)
        #expect(driver.effects.contains(.wipePersonalData))
        driver.send(.pagesScanned(total: 1))
        #expect(driver.effects.isEmpty && driver.screen == .welcome)
    }
}
