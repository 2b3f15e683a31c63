import Foundation
import KioskHarness
import Speech
import Testing

/// libespeak-ng, for real: Vietnamese speech a citizen would hear, written where the demo writes it.
@Suite(.serialized) struct EspeakBindingTests {
    static let phrase = "Xin chào quý khách. Mời quý khách lấy số thứ tự."

    @Test func vietnamesePhraseIsSynthesisedAsAudibleSpeech() async throws {
        let voice = EspeakVoice.shared
        #expect(await voice.canSelect(voice: "vi"))
        let audio = try await voice.synthesize(Self.phrase, voice: "vi", wordsPerMinute: 150)
        #expect(audio.sampleRate == 22050)
        // Eleven syllables at 150 words per minute: between 1.5 and 8 seconds of speech.
        #expect(audio.durationSeconds > 1.5 && audio.durationSeconds < 8, "duration \(audio.durationSeconds) s")
        let peak = audio.samples.map { abs(Int($0)) }.max() ?? 0
        #expect(peak > 3000, "speech must be audible, peak \(peak)")
    }

    @Test func regionalVoicesAndEnglishAreInstalled() async throws {
        let voice = EspeakVoice.shared
        for name in ["vi", "vi-vn-x-central", "vi-vn-x-south", "en"] {
            #expect(await voice.canSelect(voice: name), "voice \(name)")
        }
        #expect(!(await voice.canSelect(voice: "xx-no-such-voice")))
    }

    @Test func fasterRateGivesShorterSpeech() async throws {
        let voice = EspeakVoice.shared
        let slow = try await voice.synthesize(Self.phrase, voice: "vi", wordsPerMinute: 120)
        let fast = try await voice.synthesize(Self.phrase, voice: "vi", wordsPerMinute: 240)
        #expect(fast.durationSeconds < slow.durationSeconds * 0.8)
    }

    @Test func speechWrittenAsWAVIsReadBySox() async throws {
        let standIns = try StandIns.fromEnvironment()
        let voice = EspeakVoice.shared
        let audio = try await voice.synthesize(Self.phrase, voice: "vi")
        let file = URL(fileURLWithPath: standIns.audioDirectory).appendingPathComponent("binding-test-\(getpid()).wav")
        try WAVFileWriter.write(audio, to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let sox = Process()
        sox.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
        sox.arguments = [file.path, "-n", "stat"]
        let pipe = Pipe()
        sox.standardError = pipe
        try sox.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sox.waitUntilExit()
        #expect(sox.terminationStatus == 0, "\(report)")
        let lengthLine = try #require(report.split(separator: "\n").first { $0.hasPrefix("Length (seconds)") })
        let length = try #require(Double(lengthLine.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)))
        #expect(abs(length - audio.durationSeconds) < 0.01)
    }
}
