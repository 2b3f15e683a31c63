/// Why speech failed: technical detail for logs and `kioskctl`. Speech failing cannot itself be
/// spoken, so the screen shows it and the daemon keeps serving with text only.
public struct SpeechError: Error, Sendable, CustomStringConvertible {
    public let detail: String

    public init(_ detail: String) {
        self.detail = detail
    }

    public var description: String { detail }
}
