import CPCAudio
import Foundation

/// A real sound output through pcaudiolib (PulseAudio when it runs, otherwise ALSA), the library
/// eSpeak NG itself plays through. Opened once for the daemon's life.
public final class PCAudioOutput: AudioDevice {
    private let object: OpaquePointer
    private let device: String

    /// Opens `device` (an ALSA name such as `default`) for 16-bit mono at `sampleRate`.
    public init(device: String, sampleRate: Int) throws(SpeechError) {
        guard let object = create_audio_device_object(device, "kioskd", "Kiosk speech") else {
            throw SpeechError("no audio output could be created for \(device)")
        }
        let result = audio_object_open(object, AUDIO_OBJECT_FORMAT_S16LE, UInt32(sampleRate), 1)
        guard result == 0 else {
            let reason = audio_object_strerror(object, result).map { String(cString: $0) } ?? "error \(result)"
            audio_object_destroy(object)
            throw SpeechError("cannot open audio device \(device): \(reason)")
        }
        self.object = object
        self.device = device
    }

    deinit {
        audio_object_close(object)
        audio_object_destroy(object)
    }

    public func begin(_ utterance: PlayingUtterance) throws(SpeechError) {}

    public func write(_ samples: ArraySlice<Int16>) throws(SpeechError) {
        let result = samples.withUnsafeBytes { bytes in
            audio_object_write(object, bytes.baseAddress, bytes.count)
        }
        guard result == 0 else {
            let reason = audio_object_strerror(object, result).map { String(cString: $0) } ?? "error \(result)"
            throw SpeechError("audio device \(device) write failed: \(reason)")
        }
    }

    public func end(interrupted: Bool) {
        // Barge-in drops what the device still holds; a finished utterance plays out.
        _ = interrupted ? audio_object_flush(object) : audio_object_drain(object)
    }
}
