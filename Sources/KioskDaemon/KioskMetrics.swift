import ControlProtocol
import CoreMetrics
import Foundation
import KioskCore
import Metrics
import Portal
import Prometheus

/// The kiosk's metrics in the Prometheus text format, for the city's Prometheus to scrape.
///
/// Events are counted where they happen through swift-metrics (`Counter`, `Timer`: the ticket
/// service, the application service, the forwarder, speech), which this registry backs once
/// `bootstrap` has run. What is a state rather than an event (devices, outbox depth, maintenance)
/// is read at each scrape from the same report `kioskctl status` gives, so the two never disagree.
/// Nothing personal is ever a label: services, procedures, device kinds and states only.
final class KioskMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// Metric names counted through swift-metrics (kept here so they are spelled once).
    enum Name {
        static let ticketsIssued = "kiosk_tickets_issued_total"
        static let applicationsAccepted = "kiosk_applications_accepted_total"
        static let speechLatency = "kiosk_speech_latency_seconds"
    }

    /// Speech latency is short when all is well (first audio within ~100 ms) and the buckets say
    /// how short; the last ones catch a stalled synthesiser.
    static let speechLatencyBuckets: [Duration] = [
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(150), .milliseconds(200), .milliseconds(300),
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]

    /// What each counted metric means, for the `# HELP` line. swift-prometheus's own factory writes
    /// every swift-metrics metric without help text, which `promtool check metrics` rejects and which
    /// leaves the city's dashboard author guessing; `HelpfulFactory` looks the text up here.
    static let helpTexts: [String: String] = [
        Name.ticketsIssued: "Queue numbers given out, by service; outcome is printed or void (the printer failed and the number was voided).",
        Name.applicationsAccepted: "Applications durably stored and receipted, by procedure.",
        Name.speechLatency: "From a request to speak to the first audio reaching the output.",
        Forwarder.forwardedMetric: "Applications the national portal adapter confirmed.",
        Forwarder.failedMetric: "Applications that cannot be delivered without a technician, by reason.",
        Forwarder.attemptsNotDeliveredMetric: "Delivery attempts that will be repeated later, by reason.",
    ]

    /// Makes this registry the process's swift-metrics backend. Once per process (kioskd's start).
    func bootstrap() {
        MetricsSystem.bootstrap(HelpfulFactory(registry: registry, durationBuckets: [Name.speechLatency: Self.speechLatencyBuckets]))
    }

    /// A ticket left the ledger: printed, or void (the printer failed; the number is kept void).
    static func countTicket(service: String, printed: Bool) {
        Counter(label: Name.ticketsIssued, dimensions: [("service", service), ("outcome", printed ? "printed" : "void")]).increment()
    }

    static func countAcceptedApplication(procedure: String) {
        Counter(label: Name.applicationsAccepted, dimensions: [("procedure", procedure)]).increment()
    }

    /// From the request to speak to the first audio reaching the output.
    static func recordSpeechLatency(_ latency: Duration) {
        Metrics.Timer(label: Name.speechLatency).record(duration: latency)
    }

    /// The exposition: the gauges set from `status`, then everything the registry holds.
    func exposition(of status: KioskStatusReport) -> [UInt8] {
        gauge("kiosk_info", "The kiosk and the kioskd version; always 1.",
              [("kiosk", status.kioskID), ("version", status.version)]).set(to: 1)
        gauge("kiosk_uptime_seconds", "Seconds since kioskd started.").set(to: Double(status.uptimeSeconds))
        gauge("kiosk_under_maintenance", "1 while a technician has the kiosk under maintenance.").set(to: status.underMaintenance ? 1 : 0)
        for function in KioskFunction.allCases {
            gauge("kiosk_function_offered", "1 when the citizen's menu offers the function now.",
                  [("function", function.rawValue)]).set(to: status.offering.contains(function.rawValue) ? 1 : 0)
        }
        for device in status.devices {
            // One series per state, 1 for the current one: alerts can say `kiosk_device_state{state="noDevice"} == 1`.
            for state in DeviceState.allCases {
                gauge("kiosk_device_state", "1 for the state the device is in (CEN XFS4IoT vocabulary), 0 for the others.",
                      [("device", device.kind), ("state", state.rawValue)]).set(to: device.state == state.rawValue ? 1 : 0)
            }
            if let paper = device.paper {
                for level in PaperState.allCases.map(\.rawValue) {
                    gauge("kiosk_printer_paper", "1 for the printer's paper state, 0 for the others.",
                          [("device", device.kind), ("paper", level)]).set(to: paper == level ? 1 : 0)
                }
            }
        }
        if let today = status.ticketsIssuedToday {
            gauge("kiosk_tickets_issued_today", "Queue numbers given out since the numbering day began.").set(to: Double(today))
        }
        if let outbox = status.outbox {
            gauge("kiosk_outbox_available", "1 when applications can be taken (the outbox is open).").set(to: outbox.unavailable == nil ? 1 : 0)
            gauge("kiosk_outbox_pending", "Applications accepted and not yet confirmed by the portal.").set(to: Double(outbox.pending))
            gauge("kiosk_outbox_refused", "Applications the portal refused for good (a technician must look).").set(to: Double(outbox.refused))
            gauge("kiosk_outbox_oldest_pending_age_seconds", "How long the oldest pending application has waited; 0 when none.")
                .set(to: Double(outbox.oldestPendingAgeSeconds ?? 0))
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return buffer
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }
}


/// swift-metrics backend writing into the kiosk's Prometheus registry with each metric's help text
/// (`KioskMetrics.helpTexts`). A metric nobody described still gets a line saying so, rather than none.
struct HelpfulFactory: CoreMetrics.MetricsFactory {
    let registry: PrometheusCollectorRegistry
    let durationBuckets: [String: [Duration]]
    private static let defaultDurationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
    ]
    private static let defaultValueBuckets: [Double] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000]

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "",
                             helpText: KioskMetrics.helpTexts[label] ?? "kioskd metric \(label) (no description recorded).")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: Self.defaultValueBuckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions,
                                       buckets: durationBuckets[label] ?? Self.defaultDurationBuckets)
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge {
            registry.unregisterGauge(gauge)
        } else if let histogram = handler as? ValueHistogram {
            registry.unregisterValueHistogram(histogram)
        }
    }

    func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
