import Foundation
import KioskCore
import KioskHarness
import Speech
import Testing

/// Speech as a listener hears it: synthesised by libespeak-ng, played in real time into WAV files
/// (the stand-in for a speaker), measured with sox.
@Suite struct SpeechPlaybackTests {
    static let shortPhrase = Utterance(text: "Mời quý khách lấy số thứ tự.", language: .vietnamese)
    static let longPhrase = Utterance(text: "Quý khách cần làm gì? Nhấn một: Lấy số thứ tự. Nhấn hai: Nộp hồ sơ. "
                                      + "Nhấn ba: Tra cứu hồ sơ. Nhấn bốn: Trợ giúp.", language: .vietnamese)

    /// eSpeak NG keeps state between calls, so the same text synthesised twice can differ by a chunk
    /// of trailing silence (seen: 10.2 ms); a recording within this of a fresh synthesis is whole.
    static let wholeUtteranceTolerance = 0.05

    /// A speech service recording into a fresh folder.
    static func recordingService() async throws -> (SpeechService, DemoFolder) {
        let folder = try DemoFolder()
        let service = try await SpeechService(output: .wavDirectory(folder.url.path), vietnameseVoice: .northern,
                                              failure: { error in Issue.record("speech failed: \(error)") })
        return (service, folder)
    }

    /// One line of the speech log.
    struct Played {
        let file: URL
        let text: String
        let language: String
        let seconds: Double
        let interrupted: Bool
    }

    /// Reads the speech log until `count` utterances have been played out or cut short.
    static func playedUtterances(in folder: DemoFolder, count: Int, timeout: Duration = .seconds(20)) async -> [Played] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let log = (try? String(contentsOf: folder.url.appendingPathComponent(WAVSpeechRecorder.logName), encoding: .utf8)) ?? ""
            let entries: [Played] = log.split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let file = object["file"] as? String, let text = object["text"] as? String,
                      let language = object["language"] as? String, let seconds = object["seconds"] as? Double,
                      let interrupted = object["interrupted"] as? Bool else { return nil }
                return Played(file: folder.url.appendingPathComponent(file), text: text, language: language,
                              seconds: seconds, interrupted: interrupted)
            }
            if entries.count >= count { return entries }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return []
    }

    @Test func aPromptIsRecordedWholeAudibleAndAsLongAsItsSynthesis() async throws {
        let (service, folder) = try await Self.recordingService()
        await service.speak(Self.shortPhrase, wordsPerMinute: 150, volume: 100)
        let entries = await Self.playedUtterances(in: folder, count: 1)
        let entry = try #require(entries.first)
        #expect(entry.interrupted == false)
        #expect(entry.text == Self.shortPhrase.text)
        let expected = try await EspeakVoice.shared.synthesize(Self.shortPhrase.text, voice: "vi", wordsPerMinute: 150)
        let stats = try SoxStatistics(file: entry.file)
        #expect(abs(stats.lengthSeconds - expected.durationSeconds) < Self.wholeUtteranceTolerance, "recorded \(stats.lengthSeconds) s, synthesised \(expected.durationSeconds) s")
        #expect(stats.lengthSeconds > 1 && stats.lengthSeconds < 5, "plausible length for nine syllables")
        #expect(stats.rmsAmplitude > 0.02, "not silent")
    }

    @Test func bargeInCutsTheUtteranceShort() async throws {
        let (service, folder) = try await Self.recordingService()
        let spoken = ContinuousClock.now
        await service.speak(Self.longPhrase, wordsPerMinute: 150, volume: 100)
        // The key comes 600 ms later from a thread of its own, as the keypad's reader thread sends
        // it: a cooperative pool kept busy by other suites cannot make the key late.
        let keyPressedAfter: Duration = await withCheckedContinuation { continuation in
            Thread {
                Thread.sleep(forTimeInterval: 0.6)
                service.stop()
                continuation.resume(returning: .now - spoken)
            }.start()
        }
        let entry = try #require(await Self.playedUtterances(in: folder, count: 1).first)
        #expect(entry.interrupted == true)
        let full = try await EspeakVoice.shared.synthesize(Self.longPhrase.text, voice: "vi", wordsPerMinute: 150)
        let stats = try SoxStatistics(file: entry.file)
        // Played in real time: what was heard can be no longer than the time to the key press.
        let pressed = Double(keyPressedAfter.components.seconds) + Double(keyPressedAfter.components.attoseconds) / 1e18
        #expect(stats.lengthSeconds <= pressed + 0.15, "heard \(stats.lengthSeconds) s, the key came after \(pressed) s")
        #expect(stats.lengthSeconds < full.durationSeconds - 1, "cut at \(stats.lengthSeconds) s of \(full.durationSeconds) s")
        #expect(stats.lengthSeconds > 0.3, "what was heard before the key is kept")
        #expect(abs(stats.lengthSeconds - entry.seconds) < 0.01)
    }

    @Test func newSpeechInterruptsTheOldAndIsHeardWhole() async throws {
        let (service, folder) = try await Self.recordingService()
        await service.speak(Self.longPhrase, wordsPerMinute: 150, volume: 100)
        try await Task.sleep(for: .milliseconds(300))
        await service.speak(Self.shortPhrase, wordsPerMinute: 150, volume: 100)
        let entries = await Self.playedUtterances(in: folder, count: 2)
        #expect(entries.map(\.interrupted) == [true, false])
        #expect(entries.last?.text == Self.shortPhrase.text)
    }

    @Test func volumeScalesWhatIsHeard() async throws {
        let (service, folder) = try await Self.recordingService()
        await service.speak(Self.shortPhrase, wordsPerMinute: 150, volume: 100)
        _ = await Self.playedUtterances(in: folder, count: 1)
        await service.speak(Self.shortPhrase, wordsPerMinute: 150, volume: 50)
        let entries = await Self.playedUtterances(in: folder, count: 2)
        try #require(entries.count == 2)
        let loud = try SoxStatistics(file: entries[0].file)
        let quiet = try SoxStatistics(file: entries[1].file)
        #expect(abs(quiet.maximumAmplitude / loud.maximumAmplitude - 0.5) < 0.02)
    }

    @Test func englishIsSpokenWithTheEnglishVoice() async throws {
        let (service, folder) = try await Self.recordingService()
        let english = Utterance(text: "Please take a queue number.", language: .english)
        await service.speak(english, wordsPerMinute: 150, volume: 100)
        let entry = try #require(await Self.playedUtterances(in: folder, count: 1).first)
        #expect(entry.language == "en")
        #expect(entry.file.lastPathComponent.hasSuffix("-en.wav"))
        let expected = try await EspeakVoice.shared.synthesize(english.text, voice: "en", wordsPerMinute: 150)
        let stats = try SoxStatistics(file: entry.file)
        #expect(abs(stats.lengthSeconds - expected.durationSeconds) < Self.wholeUtteranceTolerance)
    }

    @Test func anAudioDeviceThatCannotBeOpenedIsAClearError() async {
        do {
            _ = try await SpeechService(output: .alsa(device: "kiosk-no-such-device"), vietnameseVoice: .northern, failure: { _ in })
            Issue.record("an audio device that does not exist was opened")
        } catch {
            #expect(error.detail.hasPrefix("cannot open audio device kiosk-no-such-device"), "\(error.detail)")
        }
    }
}

/// A temporary folder removed when the test is done with it.
final class DemoFolder: Sendable {
    let url: URL

    init() throws {
        url = try PackagePaths.temporaryDirectory("speech")
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
