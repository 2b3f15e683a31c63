import Foundation
import KioskCore

/// The audio device of tests and the demo, on machines without a sound card: each utterance becomes
/// one WAV file holding exactly what a listener would have heard, played in real time, so speech
/// cut short by a key press is cut short in the file too. `speech-log.jsonl` beside the files says
/// what was said, when, and whether it was interrupted.
public final class WAVSpeechRecorder: AudioDevice {
    public let directory: URL
    private var file: FileHandle?
    private var fileURL: URL?
    private var current: PlayingUtterance?
    private var samplesWritten = 0
    private var startedAt = Date()
    /// When the first sample of the current utterance was played, on the monotonic clock.
    private var playbackStart: ContinuousClock.Instant?
    /// Timestamps for the speech log; one per recorder, used only on its playback thread.
    private let timestampFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    public init(directory: URL) throws(SpeechError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SpeechError("cannot create the WAV folder \(directory.path): \(error.localizedDescription)")
        }
    }

    public static let logName = "speech-log.jsonl"

    public func begin(_ utterance: PlayingUtterance) throws(SpeechError) {
        let url = directory.appendingPathComponent(String(format: "%06d-%@.wav", utterance.sequence, utterance.utterance.language.rawValue))
        guard FileManager.default.createFile(atPath: url.path, contents: WAVFileWriter.header(sampleRate: utterance.sampleRate, sampleCount: 0)),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw SpeechError("cannot write \(url.path)")
        }
        handle.seekToEndOfFile()
        file = handle
        fileURL = url
        current = utterance
        samplesWritten = 0
        startedAt = Date()
        playbackStart = nil
    }

    public func write(_ samples: ArraySlice<Int16>) throws(SpeechError) {
        guard let file, let current else { return }
        // Keep real time like a sound card: a period is written when the previous one has "played".
        let now = ContinuousClock.now
        if let start = playbackStart {
            let due = start + .microseconds(Int64(samplesWritten) * 1_000_000 / Int64(current.sampleRate))
            if due > now {
                let wait = (due - now).components
                Thread.sleep(forTimeInterval: Double(wait.seconds) + Double(wait.attoseconds) / 1e18)
            }
        } else {
            playbackStart = now
        }
        var bytes = Data(capacity: samples.count * 2)
        for sample in samples {
            withUnsafeBytes(of: sample.littleEndian) { bytes.append(contentsOf: $0) }
        }
        file.write(bytes)
        samplesWritten += samples.count
    }

    public func end(interrupted: Bool) {
        guard let file, let current, let fileURL else { return }
        // Patch the RIFF and data sizes now that the length is known.
        file.seek(toFileOffset: 0)
        file.write(WAVFileWriter.header(sampleRate: current.sampleRate, sampleCount: samplesWritten))
        try? file.close()
        appendToLog(file: fileURL.lastPathComponent, utterance: current, interrupted: interrupted)
        self.file = nil
        self.fileURL = nil
        self.current = nil
    }

    private func appendToLog(file: String, utterance: PlayingUtterance, interrupted: Bool) {
        let entry: [String: Any] = [
            "file": file,
            "language": utterance.utterance.language.rawValue,
            "text": utterance.utterance.text,
            "started": timestampFormatter.string(from: startedAt),
            "ended": timestampFormatter.string(from: Date()),
            "seconds": Double(samplesWritten) / Double(utterance.sampleRate),
            "interrupted": interrupted,
        ]
        guard var line = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0a)
        let logURL = directory.appendingPathComponent(Self.logName)
        if !FileManager.default.fileExists(atPath: logURL.path) {
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        if let log = try? FileHandle(forWritingTo: logURL) {
            log.seekToEndOfFile()
            log.write(line)
            try? log.close()
        }
    }
}
