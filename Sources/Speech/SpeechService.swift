import Foundation
import KioskCore

/// The kiosk's voice: synthesises with eSpeak NG and plays through the profile's audio output,
/// streaming (the first chunk plays while the rest is synthesised) and stopping at once on barge-in.
public final class SpeechService: Sendable {
    private let voice: EspeakVoice
    private let player: SpeechPlayer
    private let sampleRate: Int
    private let vietnameseVoice: String
    private let failure: @Sendable (SpeechError) -> Void

    /// Opens the audio output the profile names; throws when it cannot (no sound card, no folder).
    public init(output: AudioOutput, vietnameseVoice: VietnameseVoice, timing: (@Sendable (SpeechTiming) -> Void)? = nil,
                failure: @escaping @Sendable (SpeechError) -> Void) async throws(SpeechError) {
        voice = EspeakVoice.shared
        sampleRate = try await voice.outputSampleRate()
        let device: AudioDevice = switch output {
        case let .wavDirectory(path): try WAVSpeechRecorder(directory: URL(fileURLWithPath: path))
        case let .alsa(name): try PCAudioOutput(device: name, sampleRate: sampleRate)
        }
        player = SpeechPlayer(device: device, timing: timing, failure: failure)
        self.vietnameseVoice = vietnameseVoice.rawValue
        self.failure = failure
    }

    /// Says `utterance`, interrupting anything being said. Returns when synthesis is done (long
    /// before playback ends).
    public func speak(_ utterance: Utterance, wordsPerMinute: Int, volume: Int, requestedAt: ContinuousClock.Instant = .now) async {
        let sequence = player.begin(utterance, sampleRate: sampleRate, requestedAt: requestedAt)
        let player = player
        let gain = Double(min(max(volume, 0), 100)) / 100
        do {
            try await voice.stream(utterance.text, voice: voiceName(for: utterance.language), wordsPerMinute: wordsPerMinute) { chunk in
                player.append(chunk.map { Int16(clamping: Int((Double($0) * gain).rounded())) }, to: sequence)
            }
        } catch {
            failure(error)
        }
        player.finish(sequence)
    }

    /// Barge-in: stop speaking now.
    public func stop() {
        player.interrupt()
    }

    private func voiceName(for language: Language) -> String {
        language == .vietnamese ? vietnameseVoice : "en"
    }
}
