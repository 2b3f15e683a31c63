import Foundation
import KioskCore

/// Why the outbox could not do what was asked. `detail` is for the log and `kioskctl` (paths, SQLite
/// and errno messages, never personal data); `kind` says what a technician must fix, and every kind
/// means the citizen is told the application cannot be taken now (`functionFailure`).
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The disk is read-only or unwritable, or the store is unreadable: nothing can be accepted until it is fixed.
        case storage
        /// The disk is full (ENOSPC, EDQUOT, SQLITE_FULL): nothing can be accepted until space is freed.
        /// Kept apart from `storage` because the remedy differs: a technician frees space (delivered
        /// applications wiped, other files removed) rather than replacing a disk.
        case storageFull
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
    /// A full disk is told the same way: the citizen can do nothing different about it.
    public var functionFailure: FunctionFailure { .storageFault }

    /// The detail a full disk is reported with, so the log and `kioskctl` say it in plain words.
    static func diskFull(_ operation: String, _ cause: String) -> OutboxError {
        OutboxError(.storageFull, "the disk is full: \(operation): \(cause)")
    }
}
