import CSANE
import Foundation

/// Lets the keypad stop a scan in progress. The SANE standard allows `sane_cancel` to be called
/// asynchronously (even from a signal handler) to make a blocked `sane_read` return CANCELLED, so
/// the call is made at once from the caller's thread, not queued behind the read on SANE's thread.
///
/// `@unchecked Sendable`: `handle` and `isCancelled` are only touched with `lock` held.
public final class ScanCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: SANE_Handle?
    private var cancelled = false

    public init() {}

    /// Stops the scan now (or the next one to start with this token).
    public func cancel() {
        lock.lock()
        defer { lock.unlock() }
        cancelled = true
        if let handle { sane_cancel(handle) }
    }

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// While a scan runs, the handle `cancel` acts on.
    func attach(_ handle: SANE_Handle?) {
        lock.lock()
        defer { lock.unlock() }
        self.handle = handle
    }
}
