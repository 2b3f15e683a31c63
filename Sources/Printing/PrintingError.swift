/// A printer fault: technical detail for logs and `kioskctl`; the menu turns it into a prompt.
public struct PrintingError: Error, Sendable, CustomStringConvertible {
    public let detail: String

    public init(_ detail: String) {
        self.detail = detail
    }

    public var description: String { detail }
}
