import KioskCore

/// What the playback thread knows of the utterance it is playing.
public struct PlayingUtterance: Sendable {
    public let sequence: Int
    public let utterance: Utterance
    public let sampleRate: Int
}

/// Where speech is heard: a sound device, or a WAV file per utterance. Used only from the
/// `SpeechPlayer`'s own thread, so implementations need no locking of their own.
public protocol AudioDevice: AnyObject {
    /// A new utterance starts.
    func begin(_ utterance: PlayingUtterance) throws(SpeechError)
    /// Plays samples; returns when the device has taken them (a sound card blocks while its buffer is
    /// full, the WAV recorder keeps real time), so the player can stop between two writes.
    func write(_ samples: ArraySlice<Int16>) throws(SpeechError)
    /// The utterance is over: played to its end, or cut short by barge-in (then what is buffered is dropped).
    func end(interrupted: Bool)
}
