import Foundation
import KioskCore
import KioskHarness
import ProfileLoading
import Speech

/// Key press → first PCM frame of the answering prompt at the audio device, and key press →
/// interrupted speech stopped, through the real Session, eSpeak NG and the WAV recorder (which
/// plays in real time like a sound card), side by side with the `espeak-ng` command's own wall
/// time for the same prompts.
struct SpeechLatencyBenchmark {
    let presses: Int
    let cliRuns: Int

    struct Figures {
        var firstAudio = Samples()
        var bargeIn = Samples()
        var espeakCommand = Samples()
    }

    /// Latencies reported by the player's thread, keyed by utterance.
    final class TimingLog: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        private let lock = NSLock()
        private var firstAudio: [Int: Duration] = [:]
        private var stopped: [Int: Duration] = [:]

        func record(_ timing: SpeechTiming) {
            lock.lock()
            defer { lock.unlock() }
            switch timing {
            case let .firstAudio(sequence, latency): firstAudio[sequence] = latency
            case let .stopped(sequence, latency): stopped[sequence] = latency
            }
        }

        func values() -> (firstAudio: [Duration], stopped: [Duration]) {
            lock.lock()
            defer { lock.unlock() }
            return (Array(firstAudio.values), Array(stopped.values))
        }
    }

    func measure() async throws -> Figures {
        let profile = try ProfileLoader.load(path: PackagePaths.profile("demo").path)
        let folder = try PackagePaths.temporaryDirectory("bench-speech")
        defer { try? FileManager.default.removeItem(at: folder) }
        let timings = TimingLog()
        let speech = try await SpeechService(output: .wavDirectory(folder.path), vietnameseVoice: profile.languages.vietnameseVoice,
                                             timing: { timings.record($0) },
                                             failure: { error in FileHandle.standardError.write(Data("speech: \(error)\n".utf8)) })
        let devices = DeviceKind.allCases.map { DeviceStatus(kind: $0, state: .online, paper: .full, identity: "bench", detail: "") }
        let context = SessionContext(profile: profile, devices: devices, now: Date())
        var session = Session(profile: profile)
        var volume = profile.devices.audio.defaultVolume
        var rate = profile.devices.audio.defaultRateWordsPerMinute
        var prompts = Set<String>()

        func perform(_ effects: [SessionEffect], pressedAt: ContinuousClock.Instant) async {
            for effect in effects {
                switch effect {
                case .stopSpeaking: speech.stop()
                case let .speak(utterance):
                    prompts.insert(utterance.text)
                    await speech.speak(utterance, wordsPerMinute: rate, volume: volume, requestedAt: pressedAt)
                case let .setVolume(level): volume = level
                case let .setRate(wordsPerMinute): rate = wordsPerMinute
                default: break
                }
            }
        }

        await perform(session.start(context: context), pressedAt: .now)
        await perform(session.handle(.key(.confirm), context: context), pressedAt: .now)
        // Between the main menu and the look-up screen and back: every press interrupts a prompt
        // that has been playing for a while and starts the next one.
        for press in 0..<presses {
            try await Task.sleep(for: .milliseconds(60))
            let pressedAt = ContinuousClock.now
            let key: KeypadAction = press % 2 == 0 ? .digit3 : .back
            await perform(session.handle(.key(key), context: context), pressedAt: pressedAt)
        }
        speech.stop()
        try await Task.sleep(for: .milliseconds(200))

        var figures = Figures()
        let (firstAudio, stopped) = timings.values()
        firstAudio.forEach { figures.firstAudio.append(milliseconds($0)) }
        stopped.forEach { figures.bargeIn.append(milliseconds($0)) }

        // The command-line tool on the same prompts, writing WAV like our recorder.
        let promptList = Array(prompts)
        let output = folder.appendingPathComponent("espeak-cli.wav").path
        for run in 0..<cliRuns {
            let text = promptList[run % promptList.count]
            let started = ContinuousClock.now
            let (status, message) = try ChildProcess.run("/usr/bin/espeak-ng",
                                                         ["-v", profile.languages.vietnameseVoice.rawValue, "-s", "\(rate)", "-w", output, text],
                                                         capture: true)
            guard status == 0 else { throw BenchmarkFailure("espeak-ng failed: \(message)") }
            figures.espeakCommand.append(milliseconds(.now - started))
        }
        return figures
    }
}
