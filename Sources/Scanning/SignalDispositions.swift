import Foundation

/// The process's handlers for the signals a daemon relies on, saved and put back around SANE calls.
///
/// Seen with SANE 1.1.1's test backend (its reader, started by sane_start through sanei_thread):
/// after a scan, SIGTERM was back to its default action and SIGPIPE no longer ignored, so the
/// next `systemctl stop` killed kioskd outright (exit 143, no graceful shutdown) and a broken pipe
/// would have too. Other backends use the same helper. What they change is put back once a scan
/// is completely over (after sane_cancel, when no reader is left): during the scan the reader
/// needs its own handlers, and taking them away leaves sane_cancel waiting for it for ever.
/// SIGPIPE is always left ignored.
struct SignalDispositions {
    static let kept: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]
    private var saved: [(Int32, sigaction)] = []

    /// Reads the current handlers.
    init() {
        for signal in Self.kept {
            var action = sigaction()
            if sigaction(signal, nil, &action) == 0 { saved.append((signal, action)) }
        }
    }

    /// Puts back whatever was changed since `init`, and leaves SIGPIPE ignored: a backend's reader
    /// writing into a pipe SANE has already closed (after a cancel) must not kill the process, and
    /// a daemon wants EPIPE from a write, never the signal.
    func restore() {
        signal(SIGPIPE, SIG_IGN)
        for (signal, action) in saved {
            var current = sigaction()
            var wanted = action
            guard sigaction(signal, nil, &current) == 0 else { continue }
            if Self.handlerAddress(current) != Self.handlerAddress(wanted) || current.sa_flags != wanted.sa_flags {
                sigaction(signal, &wanted, nil)
            }
        }
    }

    private static func handlerAddress(_ action: sigaction) -> UInt {
        unsafeBitCast(action.__sigaction_handler.sa_handler, to: UInt.self)
    }
}
