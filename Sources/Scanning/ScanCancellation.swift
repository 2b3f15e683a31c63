import Foundation

/// Lets the keypad stop a scan in progress. The stop acts at once from the caller's thread, not
/// queued behind the read: in kioskd it tells the scanner's helper process, which calls
/// `sane_cancel` (the SANE standard allows it asynchronously, even from a signal handler) so a
/// blocked `sane_read` returns CANCELLED.
///
/// `@unchecked Sendable`: `stopScanInProgress` and `cancelled` are only touched with `lock` held.
public final class ScanCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var stopScanInProgress: (@Sendable () -> Void)?
    private var cancelled = false

    public init() {}

    /// Stops the scan now (or the next one to start with this token).
    public func cancel() {
        lock.lock()
        defer { lock.unlock() }
        cancelled = true
        // Called with the lock held: once `attach(nil)` has returned, the stop is never called again
        // (in the helper it acts on a device handle that may be closed next).
        stopScanInProgress?()
    }

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// While a scan runs, how to stop it; nil once it is over.
    func attach(_ stop: (@Sendable () -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        stopScanInProgress = stop
    }
}
