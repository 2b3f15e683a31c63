import Foundation

/// Lets the forwarder sleep until its next retry is due, and be woken early when a new application
/// is accepted (a citizen's application should leave at once, not at the next timer).
actor WakeSignal {
    private var waiter: CheckedContinuation<Void, Never>?
    private var pending = false

    /// Returns after `seconds`, at the next `signal()`, or at once if a signal came since the last wait.
    func wait(seconds: TimeInterval) async {
        if pending {
            pending = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(max(0, seconds)))
            await self?.signal()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Cancelled before we got here: the onCancel signal may already have come and gone.
                if Task.isCancelled { continuation.resume() } else { waiter = continuation }
            }
        } onCancel: {
            Task { await self.signal() }
        }
        timer.cancel()
        pending = false
    }

    func signal() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }
}
