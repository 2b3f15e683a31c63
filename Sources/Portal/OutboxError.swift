import Foundation
import KioskCore

/// Why the outbox could not do what was asked. `detail` is for the log and `kioskctl` (paths, SQLite
/// and errno messages, never personal data); `isStorageFault` says the citizen must be told the
/// application cannot be taken now.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The disk is full, read-only or unwritable: nothing can be accepted until it is fixed.
        case storage
        /// The key that seals personal data is missing, unreadable, too open or malformed.
        case key
        /// A stored application could not be opened (wrong key, damaged file).
        case damaged
        /// The portal could not be asked (no connection, timeout, an error answer).
        case unreachable
        /// This kiosk has already taken `ApplicationCode.maximumSequence` applications today.
        case dayFull
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail }

    /// How the Session is told: every outbox failure means the application could not be recorded.
    public var functionFailure: FunctionFailure { .storageFault }
}
