import Foundation
import KioskCore
import Logging
import ProfileLoading
import ServiceLifecycle
import UnixSignals

/// Reloads the profile on SIGHUP. A new profile that does not validate is refused, every problem
/// is logged, and the old profile keeps serving: a typo during maintenance must not close the kiosk.
struct ProfileReloadService: Service {
    let state: KioskState
    let probe: DeviceProbe
    let notifier: SystemdNotifier
    let logger: Logger
    /// Called once a new profile is in force: the citizen's session starts over with it, and READY=1
    /// is sent only when its welcome screen is up.
    let reloaded: @Sendable () async -> Void
    /// SIGHUP, trapped by the composition root before READY=1: a reload asked for the moment systemd
    /// calls the kiosk ready is queued here, not lost before this service has started.
    let hangups: UnixSignalsSequence

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    /// Reloads the profile from its file; returns the problems that made it refuse (none: reloaded).
    @discardableResult
    func reload() async -> [String] {
        var timestamp = timespec()
        clock_gettime(CLOCK_MONOTONIC, &timestamp)
        let monotonicMicroseconds = Int64(timestamp.tv_sec) * 1_000_000 + Int64(timestamp.tv_nsec) / 1000
        notifier.notify(["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds)", "STATUS=reloading profile"])
        let path = await state.profilePath
        logger.info("reloading profile", metadata: ["path": "\(path)"])
        do {
            let profile = try ProfileLoader.load(path: path)
            let devices = await probe.probe(profile)
            await state.replace(profile: profile, devices: devices)
            await reloaded()
            logger.info("profile reloaded", metadata: ["kiosk": "\(profile.identity.id)"])
            DeviceReport.log(devices, logger: logger)
            notifier.notify(["READY=1", "STATUS=\(await state.statusLine())"])
            return []
        } catch {
            for diagnostic in error.diagnostics {
                logger.error("profile reload refused", metadata: ["diagnostic": "\(diagnostic)"])
            }
            let kept = await state.profile.identity.id
            logger.warning("keeping the previous profile", metadata: ["kiosk": "\(kept)", "problems": "\(error.diagnostics.count)"])
            let count = error.diagnostics.count
            notifier.notify(["READY=1", "STATUS=reload refused (\(count) problem\(count == 1 ? "" : "s")); serving previous profile \(kept)"])
            return error.diagnostics.map(\.description)
        }
    }
}
