import ControlProtocol
import Foundation
import Hummingbird
import KioskCore
import Logging
import ServiceLifecycle

/// Serves `GET /metrics` (Prometheus text format 0.0.4) on the profile's loopback address.
///
/// If the address cannot be bound (the port is taken), the fault is logged and shown in
/// `kioskctl status`, and the kiosk keeps serving citizens: metrics are for watching the kiosk,
/// never a reason to stop it.
final class MetricsEndpoint: Service, Sendable {
    private let address: LoopbackAddress
    private let metrics: KioskMetrics
    private let state: KioskState
    private let status: @Sendable () async -> KioskStatusReport
    private let logger: Logger

    init(address: LoopbackAddress, metrics: KioskMetrics, state: KioskState, logger: Logger,
         status: @escaping @Sendable () async -> KioskStatusReport) {
        self.address = address
        self.metrics = metrics
        self.state = state
        self.status = status
        self.logger = logger
    }

    func run() async throws {
        let router = Router()
        router.get("metrics") { [metrics, status] _, _ -> Response in
            let body = metrics.exposition(of: await status())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        // Hummingbird's own request lines stay out of the kiosk's log unless it is debugging.
        var quiet = logger
        quiet.logLevel = .warning
        let host = address.host == "localhost" ? "127.0.0.1" : address.host
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: address.port), serverName: "kioskd"),
            onServerRunning: { [state, logger] channel in
                let port = channel.localAddress?.port ?? 0
                let url = host.contains(":") ? "http://[\(host)]:\(port)/metrics" : "http://\(host):\(port)/metrics"
                await state.setMetricsEndpoint(url: url, fault: nil)
                logger.info("metrics endpoint listening", metadata: ["url": "\(url)"])
            },
            logger: quiet)
        do {
            try await application.run()
        } catch {
            let fault = "cannot serve metrics on \(address): \(error)"
            await state.setMetricsEndpoint(url: nil, fault: fault)
            logger.error("metrics endpoint unavailable", metadata: ["address": "\(address)", "detail": "\(error)"])
            try? await gracefulShutdown()
        }
    }
}
