/// Why something a citizen typed or scanned cannot be used: one prompt they hear and see, with its
/// placeholders, and (through `CustomStringConvertible`) a precise detail for logs and `kioskctl`.
/// Neither side ever holds the rejected input itself, which may be personal data.
public protocol CitizenInputProblem: Error, Sendable, CustomStringConvertible {
    /// What the citizen is told.
    var prompt: PromptKey { get }
    /// The prompt's placeholders, numbers written as digits (for the screen; the Session says them
    /// with `SpeakableText`).
    var promptValues: [String: String] { get }
}

extension CitizenInputProblem {
    public var promptValues: [String: String] { [:] }

    /// The prompt's text in `language`, placeholders filled.
    public func text(in language: Language) -> String {
        PromptCatalog.text(prompt, in: language, promptValues)
    }
}
