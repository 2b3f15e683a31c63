import Foundation
import KioskCore
import Logging
import ProfileLoading
import ServiceLifecycle
import UnixSignals
import Speech
import Printing
import Scanning
import Console
import ControlProtocol

/// The composition root: loads the profile, probes the devices, then runs the daemon's services
/// until SIGTERM or SIGINT.
public enum KioskDaemon {
    /// Exit status when the profile is refused (sysexits.h EX_CONFIG).
    public static let configurationErrorStatus = ProfileRejection.exitStatus

    /// Installs the one-line key=value log handler; call once per process.
    public static func bootstrapLogging() {
        LoggingSystem.bootstrap { label in KeyValueLogHandler(label: label) }
    }

    /// Validates the profile and prints the outcome; returns the exit status.
    public static func check(profilePath: String) -> Int32 {
        do {
            let profile = try ProfileLoader.load(path: profilePath)
            print("\(profilePath): valid profile for kiosk \(profile.identity.id)")
            return 0
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            return configurationErrorStatus
        }
    }

    /// Opens the profile's audio output for speech. Without it the kiosk still serves, on screen only.
    static func startSpeech(_ profile: KioskProfile, logger: Logger) async -> SpeechService? {
        do {
            return try await SpeechService(output: profile.devices.audio.output, vietnameseVoice: profile.languages.vietnameseVoice,
                                           timing: { timing in
                                               if case let .firstAudio(_, latency) = timing { KioskMetrics.recordSpeechLatency(latency) }
                                           },
                                           failure: { error in logger.error("speech failed", metadata: ["detail": "\(error.detail)"]) })
        } catch {
            logger.error("speech unavailable, serving on screen only", metadata: ["detail": "\(error.detail)"])
            return nil
        }
    }

    /// The version `kioskctl status` and logs report.
    public static let version = "0.1.0"

    /// Runs the daemon; returns the exit status.
    /// Where durable state lives when nothing says otherwise: systemd's StateDirectory= sets
    /// STATE_DIRECTORY; a hand-started daemon uses /var/lib/kiosk.
    public static var defaultStateDirectory: String {
        ProcessInfo.processInfo.environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init) ?? "/var/lib/kiosk"
    }

    public static func run(profilePath: String, controlSocketPath: String = ControlProtocol.defaultSocketPath,
                           stateDirectory: String = defaultStateDirectory) async -> Int32 {
        let logger = Logger(label: "kioskd")
        let notifier = SystemdNotifier()
        // SIGHUP is handled by the reload service; until it starts, a SIGHUP must not kill the daemon.
        signal(SIGHUP, SIG_IGN)

        let profile: KioskProfile
        do {
            profile = try ProfileLoader.load(path: profilePath)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            logger.critical("profile refused", metadata: ["path": "\(profilePath)", "problems": "\(error.diagnostics.count)"])
            return configurationErrorStatus
        }
        logger.info("starting", metadata: ["kiosk": "\(profile.identity.id)", "profile": "\(profilePath)", "pid": "\(getpid())",
                                    "version": "\(version)"])
        notifier.notify("STATUS=probing devices")
        let metrics = KioskMetrics()
        metrics.bootstrap()

        let probe = DeviceProbe()
        let devices = await probe.probe(profile)
        let state = KioskState(profile: profile, profilePath: profilePath, devices: devices)
        DeviceReport.log(devices, logger: logger)
        let volumeFile = StartingVolumeFile(stateDirectory: stateDirectory)
        do {
            if let level = try volumeFile.read() {
                await state.setTechnicianVolume(level)
                logger.info("starting volume set by a technician", metadata: ["volume": "\(level)", "profile_volume": "\(profile.devices.audio.defaultVolume)"])
            }
        } catch {
            logger.warning("technician's starting volume ignored; the profile's is used", metadata: ["detail": "\(error.detail)"])
        }
        let speech = await startSpeech(profile, logger: logger)
        let citizen = CitizenSessionService(state: state, profile: await state.profile, renderer: TerminalRenderer(), speech: speech,
                                            logger: logger)
        let tickets = TicketService(state: state, stateDirectory: stateDirectory, printer: await probe.ticketPrinter, logger: logger,
                                    devicesChanged: { [citizen] in citizen.devicesChanged() })
        citizen.tickets = tickets
        citizen.scanner = await probe.scanner
        let receiptPrinter = CUPSReceiptPrinter()
        let applications = ApplicationService(profile: profile, stateDirectory: stateDirectory, receiptPrinter: receiptPrinter,
                                              logger: logger)
        citizen.applications = applications
        let reloader = ProfileReloadService(state: state, probe: probe, notifier: notifier, logger: logger,
                                            reloaded: {
                                                await applications.profileReloaded(await state.profile)
                                                await citizen.restart()
                                            },
                                            hangups: await UnixSignalsSequence(trapping: .sighup))
        let control = ControlServer(path: controlSocketPath, state: state, version: version, logger: logger,
                                    reloadProfile: { await reloader.reload() },
                                    setMaintenance: { await citizen.setMaintenance($0) },
                                    say: { citizen.say($0, language: $1) },
                                    setStartingVolume: { level throws(StartingVolumeFileError) in
                                        try volumeFile.write(level)
                                        await state.setTechnicianVolume(level)
                                        return await citizen.startingVolumeChanged()
                                    },
                                    tickets: tickets,
                                    selfTest: SelfTest(state: state, ticketPrinter: await probe.ticketPrinter, scanner: citizen.scanner,
                                                       receiptPrinter: receiptPrinter, say: { citizen.say($0, language: $1) }),
                                    applications: applications)
        // The control socket is up before the welcome screen, and both before READY=1.
        await citizen.showWelcome()

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: SystemdLifecycleService(notifier: notifier, state: state, logger: logger),
                  successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "systemd"),
            .init(service: citizen, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "citizen-session"),
            .init(service: control, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "control"),
            .init(service: tickets, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "tickets"),
            .init(service: applications, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "applications"),
            .init(service: reloader, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "profile-reload"),
        ]
        // The address comes from the profile at start; a reload that changes it takes a restart.
        if let address = profile.operations.metricsListen {
            let endpoint = MetricsEndpoint(address: address, metrics: metrics, state: state, logger: logger,
                                           status: { await control.statusReport() })
            services.append(.init(service: endpoint, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "metrics"))
        }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger)
        // Shutdown must finish within 2 s (systemd's stop is not waited on forever by a kiosk's power-off).
        configuration.maximumGracefulShutdownDuration = .milliseconds(1500)
        let group = ServiceGroup(configuration: configuration)
        do {
            try await group.run()
        } catch {
            logger.error("service group failed", metadata: ["error": "\(error)"])
            return 1
        }
        logger.info("stopped")
        return 0
    }
}
