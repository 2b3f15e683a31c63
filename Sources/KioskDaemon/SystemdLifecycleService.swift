import Foundation
import Logging
import ServiceLifecycle

/// Tells systemd the daemon is ready, keeps its watchdog fed, and says when it is stopping.
///
/// `READY=1` is sent when this service starts, which the daemon does only after the devices were
/// probed; `WATCHDOG=1` every half `WATCHDOG_USEC` from the cooperative pool, so a wedged runtime
/// stops feeding it and systemd restarts the daemon; `STOPPING=1` as soon as a graceful shutdown begins.
struct SystemdLifecycleService: Service {
    let notifier: SystemdNotifier
    let state: KioskState
    let logger: Logger

    func run() async throws {
        let status = await state.statusLine()
        notifier.notify(["READY=1", "STATUS=\(status)"])
        logger.info("ready", metadata: ["status": "\(status)"])
        let notifier = notifier
        await withGracefulShutdownHandler {
            do {
                try await cancelWhenGracefulShutdown {
                    try await feedWatchdog()
                }
            } catch {
                // Cancelled by the graceful shutdown: the normal way out.
            }
        } onGracefulShutdown: {
            notifier.notify(["STOPPING=1", "STATUS=stopping"])
        }
        logger.info("stopping")
    }

    private func feedWatchdog() async throws {
        guard let interval = notifier.watchdogInterval else {
            // No watchdog: just live until the group shuts down.
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        logger.info("watchdog enabled", metadata: ["interval_ms": "\(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)"])
        while true {
            notifier.notify("WATCHDOG=1")
            try await Task.sleep(for: interval)
        }
    }
}
