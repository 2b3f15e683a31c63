import Foundation

/// Writes PCM as a RIFF/WAVE file: the audio "device" of tests and the demo, on machines without a
/// sound card. `sox FILE -n stat` reads what it writes.
public enum WAVFileWriter {
    /// Writes `audio` to `url` atomically (a listener never sees half a file).
    public static func write(_ audio: SpeechAudio, to url: URL) throws {
        try encode(audio).write(to: url, options: .atomic)
    }

    /// The complete file bytes: 44-byte header, then little-endian 16-bit mono samples.
    public static func encode(_ audio: SpeechAudio) -> Data {
        let dataBytes = audio.samples.count * 2
        var data = Data(capacity: 44 + dataBytes)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        append32(UInt32(36 + dataBytes))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)                                  // fmt chunk size
        append16(1)                                   // PCM
        append16(1)                                   // mono
        append32(UInt32(audio.sampleRate))
        append32(UInt32(audio.sampleRate * 2))        // byte rate
        append16(2)                                   // block align
        append16(16)                                  // bits per sample
        data.append(contentsOf: Array("data".utf8))
        append32(UInt32(dataBytes))
        for sample in audio.samples {
            append16(UInt16(bitPattern: sample))
        }
        return data
    }
}
