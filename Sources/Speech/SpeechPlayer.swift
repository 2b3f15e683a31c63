import Foundation
import KioskCore

/// How long speech took to start and to stop, as measured at the audio device.
public enum SpeechTiming: Sendable {
    /// From the request to speak to the first samples reaching the device.
    case firstAudio(sequence: Int, latency: Duration)
    /// From the interruption (barge-in) to the device having stopped playing that utterance.
    case stopped(sequence: Int, latency: Duration)
}

/// Plays synthesised speech on its own thread, so the device's real-time pace never holds up
/// synthesis, the menu or the keys; and stops it at once on barge-in.
///
/// Synthesis hands samples in as they are produced; the player writes them in short periods, and
/// between two periods checks whether the utterance has been interrupted. A stop therefore takes at
/// most one period (10 ms) plus what the device still buffers, which `end(interrupted:)` drops.
///
/// `@unchecked Sendable`: all mutable state (`queue`, `currentSequence`, `interruptedAt`) is read and
/// written with `condition` locked; `device` is touched only by the playback thread.
public final class SpeechPlayer: @unchecked Sendable {
    private enum Item {
        case begin(PlayingUtterance, requestedAt: ContinuousClock.Instant)
        case samples(sequence: Int, [Int16])
        case end(sequence: Int)
    }

    /// Samples per write: 10 ms at 22050 Hz.
    static let periodSamples = 220

    private let condition = NSCondition()
    private var queue: [Item] = []
    private var currentSequence = 0
    private var interruptedAt: [Int: ContinuousClock.Instant] = [:]
    private let device: AudioDevice
    private let timing: (@Sendable (SpeechTiming) -> Void)?
    private let failure: @Sendable (SpeechError) -> Void

    /// `timing` receives latency figures (for the benchmark); `failure` device errors (for the log).
    public init(device: AudioDevice, timing: (@Sendable (SpeechTiming) -> Void)? = nil,
                failure: @escaping @Sendable (SpeechError) -> Void) {
        self.device = device
        self.timing = timing
        self.failure = failure
        let thread = Thread { [self] in self.play() }
        thread.name = "kiosk-speech-playback"
        thread.start()
    }

    /// Starts a new utterance, interrupting the one playing; returns its sequence number.
    public func begin(_ utterance: Utterance, sampleRate: Int, requestedAt: ContinuousClock.Instant = .now) -> Int {
        condition.lock()
        defer { condition.unlock() }
        interruptLocked()
        currentSequence += 1
        queue.append(.begin(PlayingUtterance(sequence: currentSequence, utterance: utterance, sampleRate: sampleRate),
                            requestedAt: requestedAt))
        condition.signal()
        return currentSequence
    }

    /// Adds samples to utterance `sequence`; false once it has been interrupted (synthesis may stop).
    public func append(_ samples: [Int16], to sequence: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard sequence == currentSequence, interruptedAt[sequence] == nil else { return false }
        queue.append(.samples(sequence: sequence, samples))
        condition.signal()
        return true
    }

    /// No more samples will come for `sequence`.
    public func finish(_ sequence: Int) {
        condition.lock()
        queue.append(.end(sequence: sequence))
        condition.signal()
        condition.unlock()
    }

    /// Barge-in: whatever is playing or queued stops now.
    public func interrupt() {
        condition.lock()
        interruptLocked()
        condition.signal()
        condition.unlock()
    }

    /// Whether utterance `sequence` may still be played.
    public func isCurrent(_ sequence: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return sequence == currentSequence && interruptedAt[sequence] == nil
    }

    private func interruptLocked() {
        if interruptedAt[currentSequence] == nil { interruptedAt[currentSequence] = .now }
        // Drop queued samples of interrupted utterances; their begin/end markers stay so the device
        // closes what it opened.
        queue.removeAll { if case .samples = $0 { true } else { false } }
    }

    private func play() {
        var playing: PlayingUtterance?
        var announcedFirstAudio = false
        var requestedAt = ContinuousClock.now
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let item = queue.removeFirst()
            condition.unlock()

            switch item {
            case let .begin(utterance, requested):
                if let previous = playing { finishPlaying(previous, announcedAudio: announcedFirstAudio) }
                playing = utterance
                announcedFirstAudio = false
                requestedAt = requested
                do {
                    try device.begin(utterance)
                } catch {
                    failure(error)
                    playing = nil
                }
            case let .samples(sequence, samples):
                guard let current = playing, current.sequence == sequence else { continue }
                var offset = 0
                while offset < samples.count {
                    guard isCurrent(sequence) else { break }
                    let end = min(offset + Self.periodSamples, samples.count)
                    do {
                        try device.write(samples[offset..<end])
                    } catch {
                        failure(error)
                        break
                    }
                    if !announcedFirstAudio {
                        announcedFirstAudio = true
                        timing?(.firstAudio(sequence: sequence, latency: .now - requestedAt))
                    }
                    offset = end
                }
            case let .end(sequence):
                if let current = playing, current.sequence == sequence {
                    finishPlaying(current, announcedAudio: announcedFirstAudio)
                    playing = nil
                }
            }
        }
    }

    private func finishPlaying(_ utterance: PlayingUtterance, announcedAudio: Bool) {
        condition.lock()
        let interrupted = interruptedAt.removeValue(forKey: utterance.sequence)
        condition.unlock()
        device.end(interrupted: interrupted != nil)
        if let interrupted {
            timing?(.stopped(sequence: utterance.sequence, latency: .now - interrupted))
        }
    }
}
