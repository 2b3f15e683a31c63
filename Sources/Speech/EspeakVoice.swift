import CEspeakNG
import DeviceThread
import Foundation
import KioskCore

/// PCM audio produced by synthesis: 16-bit signed mono samples at `sampleRate`.
public struct SpeechAudio: Sendable, Equatable {
    public var samples: [Int16]
    public var sampleRate: Int

    public init(samples: [Int16], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    public var durationSeconds: Double { Double(samples.count) / Double(sampleRate) }
}

/// A voice eSpeak NG offers, as its voice files name it.
public struct EspeakVoiceInfo: Sendable, Hashable {
    /// The file name eSpeak selects it by (`vi`, `vi-vn-x-central`, `gmw/en`).
    public let identifier: String
    public let name: String
    /// Language codes the voice speaks, most preferred first (`vi`, `en-gb`).
    public let languages: [String]
}

/// The kiosk's one speech synthesiser: libespeak-ng, owned by one thread.
///
/// eSpeak NG keeps global state and is not re-entrant, so all of its calls run on this actor's own
/// `DeviceThread`; synthesis blocks that thread, never the cooperative pool. The library runs in
/// synchronous mode: `espeak_ng_Synthesize` returns when the text is done, having handed PCM to the
/// synth callback chunk by chunk. Because the state is process-wide there is exactly one owner,
/// `EspeakVoice.shared`.
public actor EspeakVoice {
    /// The process's only owner of libespeak-ng.
    public static let shared = EspeakVoice()

    private let thread = DeviceThread(name: "kiosk-espeak")
    private var isInitialized = false
    private var sampleRate = 0
    private var currentVoice: String?

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    private init() {}

    /// Initialises the library from the distribution's espeak-ng-data if it is not yet; a failure
    /// is thrown and the next call tries again. Uses the `espeak_ng_*` initialisers because the
    /// older `espeak_Initialize` calls exit(1) when its data files are missing, which would take
    /// the whole daemon down.
    public func start() throws(SpeechError) {
        guard !isInitialized else { return }
        let dataPath: String? = nil
        espeak_ng_InitializePath(dataPath)
        var errorContext: espeak_ng_ERROR_CONTEXT?
        let status = espeak_ng_Initialize(&errorContext)
        espeak_ng_ClearErrorContext(&errorContext)
        guard status == ENS_OK else {
            throw SpeechError("espeak_ng_Initialize failed: \(Self.message(for: status)) data=\(dataPath ?? "default")")
        }
        // 20 ms chunks: the first audio reaches the player after 20 ms of speech has been synthesised.
        let outputStatus = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 20, nil)
        guard outputStatus == ENS_OK else {
            throw SpeechError("espeak_ng_InitializeOutput failed: \(Self.message(for: outputStatus))")
        }
        sampleRate = Int(espeak_ng_GetSampleRate())
        espeak_SetSynthCallback(collectSynthesizedAudio)
        isInitialized = true
    }

    /// The library's version string (`1.51`) and data folder.
    public func versionAndDataPath() -> (version: String, dataPath: String) {
        var path: UnsafePointer<CChar>?
        let version = espeak_Info(&path).map { String(cString: $0) } ?? "unknown"
        return (version, path.map { String(cString: $0) } ?? "unknown")
    }

    /// Every voice installed.
    public func voices() -> [EspeakVoiceInfo] {
        guard (try? start()) != nil else { return [] }
        guard let list = espeak_ListVoices(nil) else { return [] }
        var voices: [EspeakVoiceInfo] = []
        var index = 0
        while let voice = list[index] {
            voices.append(EspeakVoiceInfo(identifier: voice.pointee.identifier.map { String(cString: $0) } ?? "",
                                          name: voice.pointee.name.map { String(cString: $0) } ?? "",
                                          languages: Self.languageCodes(voice.pointee.languages)))
            index += 1
        }
        return voices
    }

    /// Whether eSpeak NG can select the voice named `voiceName` (`vi`, `vi-vn-x-south`, `en`).
    public func canSelect(voice voiceName: String) -> Bool {
        guard (try? start()) != nil else { return false }
        let selected = espeak_ng_SetVoiceByName(voiceName) == ENS_OK
        if selected { currentVoice = voiceName }
        return selected
    }

    /// Synthesises `text` (UTF-8, plain) with the voice named `voiceName` at `wordsPerMinute`.
    public func synthesize(_ text: String, voice voiceName: String, wordsPerMinute: Int = 150) throws(SpeechError) -> SpeechAudio {
        let collected = SampleCollection()
        try stream(text, voice: voiceName, wordsPerMinute: wordsPerMinute) { chunk in
            collected.append(chunk)
            return true
        }
        return SpeechAudio(samples: collected.samples, sampleRate: sampleRate)
    }

    /// The sample rate of what is synthesised (22050 Hz for eSpeak NG's voices).
    public func outputSampleRate() throws(SpeechError) -> Int {
        try start()
        return sampleRate
    }

    /// Synthesises `text`, handing each chunk of PCM to `chunk` as soon as it is produced, on this
    /// actor's thread. `chunk` returns false to abort (barge-in): the synth callback then returns 1
    /// and eSpeak stops, which is the only way to stop it in synchronous mode.
    public func stream(_ text: String, voice voiceName: String, wordsPerMinute: Int,
                       chunk: @escaping @Sendable ([Int16]) -> Bool) throws(SpeechError) {
        try start()
        if currentVoice != voiceName {
            let status = espeak_ng_SetVoiceByName(voiceName)
            guard status == ENS_OK else {
                throw SpeechError("voice \(voiceName) cannot be selected: \(Self.message(for: status))")
            }
            currentVoice = voiceName
        }
        let rate = min(max(wordsPerMinute, Int(espeakRATE_MINIMUM)), Int(espeakRATE_MAXIMUM))
        _ = espeak_ng_SetParameter(espeakRATE, Int32(rate), 0)

        let receiver = ChunkReceiver(chunk)
        let userData = Unmanaged.passRetained(receiver)
        defer { userData.release() }
        let status = text.withCString { cText in
            espeak_ng_Synthesize(cText, strlen(cText) + 1, 0, POS_CHARACTER, 0,
                                 UInt32(espeakCHARS_UTF8), nil, userData.toOpaque())
        }
        // An aborted synthesis is not a failure: the citizen pressed a key.
        guard status == ENS_OK || receiver.aborted else {
            throw SpeechError("espeak_ng_Synthesize failed: \(Self.message(for: status))")
        }
    }

    private static func message(for status: espeak_ng_STATUS) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        espeak_ng_GetStatusCodeMessage(status, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// eSpeak's `languages` field is a run of (priority byte, NUL-terminated name) pairs ending in a 0 byte.
    private static func languageCodes(_ field: UnsafePointer<CChar>?) -> [String] {
        guard var cursor = field else { return [] }
        var codes: [String] = []
        while cursor.pointee != 0 {
            cursor += 1  // skip the priority byte
            let code = String(cString: cursor)
            codes.append(code)
            cursor += code.utf8.count + 1
        }
        return codes
    }
}

/// Samples gathered by `synthesize`. `@unchecked Sendable`: appended only on the eSpeak thread
/// inside `espeak_ng_Synthesize`, read after it has returned on the same thread.
private final class SampleCollection: @unchecked Sendable {
    private(set) var samples: [Int16] = []

    func append(_ chunk: [Int16]) {
        samples.append(contentsOf: chunk)
    }
}

/// Hands the PCM of one utterance from the synth callback to its consumer. Touched only on the
/// eSpeak thread, inside `espeak_ng_Synthesize`.
private final class ChunkReceiver {
    let consume: @Sendable ([Int16]) -> Bool
    var aborted = false

    init(_ consume: @escaping @Sendable ([Int16]) -> Bool) {
        self.consume = consume
    }
}

/// The synth callback eSpeak calls, on the synthesising thread, with each chunk of PCM.
/// Returning 0 asks for more; 1 aborts the synthesis (barge-in).
private func collectSynthesizedAudio(samples: UnsafeMutablePointer<Int16>?, count: Int32,
                                     events: UnsafeMutablePointer<espeak_EVENT>?) -> Int32 {
    guard let userData = events?.pointee.user_data else { return 0 }
    let receiver = Unmanaged<ChunkReceiver>.fromOpaque(userData).takeUnretainedValue()
    if receiver.aborted { return 1 }
    if let samples, count > 0 {
        if !receiver.consume(Array(UnsafeBufferPointer(start: samples, count: Int(count)))) {
            receiver.aborted = true
            return 1
        }
    }
    return 0
}
