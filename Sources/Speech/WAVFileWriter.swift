import Foundation

/// Writes PCM as a RIFF/WAVE file: 16-bit signed little-endian mono. `sox FILE -n stat` reads it.
public enum WAVFileWriter {
    /// Writes `audio` to `url` atomically (a listener never sees half a file).
    public static func write(_ audio: SpeechAudio, to url: URL) throws {
        var data = header(sampleRate: audio.sampleRate, sampleCount: audio.samples.count)
        for sample in audio.samples {
            withUnsafeBytes(of: sample.littleEndian) { data.append(contentsOf: $0) }
        }
        try data.write(to: url, options: .atomic)
    }

    /// The 44-byte header for `sampleCount` samples.
    public static func header(sampleRate: Int, sampleCount: Int) -> Data {
        let dataBytes = sampleCount * 2
        var data = Data(capacity: 44)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        append32(UInt32(36 + dataBytes))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)                                  // fmt chunk size
        append16(1)                                   // PCM
        append16(1)                                   // mono
        append32(UInt32(sampleRate))
        append32(UInt32(sampleRate * 2))              // byte rate
        append16(2)                                   // block align
        append16(16)                                  // bits per sample
        data.append(contentsOf: Array("data".utf8))
        append32(UInt32(dataBytes))
        return data
    }
}
