import ArgumentParser
import Foundation
import KioskHarness
#if canImport(Glibc)
import Glibc
#endif

/// `kiosk-bench`: measures the kiosk as a citizen and a technician feel it, and writes the figures
/// to bench/results.json (each section replaces its own keys and keeps the others').
@main
struct KioskBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-bench",
        abstract: "Measure kioskd against the local stand-ins and write bench/results.json.")

    @Option(help: "How many daemon starts to time.")
    var runs = 20

    @Option(help: "How many key presses to time for speech latency.")
    var presses = 1000

    @Option(help: "How many tickets to time, key press to ticket printed and recorded.")
    var tickets = 1000

    @Option(help: "How many tickets to issue back to back, counting repeated or skipped numbers.")
    var backToBack = 10_000

    @Option(help: "How many pages to scan, ours and scanimage's each.")
    var scans = 20

    @Option(help: "How many durable accepts to time, each with a 200 KB page.")
    var accepts = 200

    @Option(help: "How many pending applications the outbox drains to portal-sim, ours and a plain client's.")
    var backlog = 10_000

    @Option(help: "Bytes of the one page each backlog application carries.")
    var backlogPageBytes = 20_000

    @Option(help: "Which sections to run: daemon, speech, tickets, documents, outbox (default: all).")
    var only: [String] = []

    @Option(help: "Where the results go (merged with what is there).")
    var output = "bench/results.json"

    func run() async throws {
        var results = ResultsFile(path: output)
        if only.isEmpty || only.contains("daemon") {
            let startup = try DaemonStartupBenchmark(runs: runs).measure()
            results.set("daemon.ready_ms", startup.readyMilliseconds.summary(unit: "ms"))
            results.set("daemon.idle_rss_mb", startup.idleResidentMegabytes.summary(unit: "MiB"))
            report("daemon start → READY", startup.readyMilliseconds, unit: "ms", count: "\(runs) starts")
            report("idle resident memory", startup.idleResidentMegabytes, unit: "MiB", count: "\(runs) starts")
        }
        if only.isEmpty || only.contains("speech") {
            let speech = try await SpeechLatencyBenchmark(presses: presses, cliRuns: 100).measure()
            results.set("speech.first_audio_ms", speech.firstAudio.summary(unit: "ms"))
            results.set("speech.barge_in_ms", speech.bargeIn.summary(unit: "ms"))
            results.set("speech.espeak_cli_ms", speech.espeakCommand.summary(unit: "ms"))
            report("key → first audio", speech.firstAudio, unit: "ms", count: "\(speech.firstAudio.values.count) presses")
            report("key → interrupted speech stopped", speech.bargeIn, unit: "ms", count: "\(speech.bargeIn.values.count) interruptions")
            report("espeak-ng command, same prompts to WAV", speech.espeakCommand, unit: "ms", count: "\(speech.espeakCommand.values.count) runs")
        }
        if only.isEmpty || only.contains("tickets") {
            let figures = try await TicketBenchmark(tickets: tickets, backToBack: backToBack, replugs: 20).measure()
            results.set("ticket.issue_ms", figures.issue.summary(unit: "ms"))
            results.set("ticket.repeats", ["count": figures.repeats, "tickets": backToBack])
            results.set("ticket.skips", ["count": figures.skips, "tickets": backToBack])
            results.set("ticket.back_to_back_per_s", ["value": figures.backToBackPerSecond, "tickets": backToBack])
            results.set("ticket.replug_resume_ms", figures.replugResume.summary(unit: "ms"))
            report("key → ticket printed and recorded", figures.issue, unit: "ms", count: "\(tickets) tickets")
            print("\(backToBack) tickets back to back: \(format(figures.backToBackPerSecond))/s, \(figures.repeats) repeated, \(figures.skips) skipped")
            report("replug → printer usable", figures.replugResume, unit: "ms", count: "\(figures.replugResume.values.count) replugs")
        }
        if only.isEmpty || only.contains("documents") {
            let figures = try await DocumentBenchmark(scans: scans, receipts: 200).measure()
            let ratio = figures.scanToPDF.median / figures.scanimage.median
            results.set("scan.to_pdf_ms", figures.scanToPDF.summary(unit: "ms"))
            results.set("scan.scanimage_pdf_ms", figures.scanimage.summary(unit: "ms"))
            results.set("scan.vs_scanimage_ratio", ["value": ratio, "of": "median scan → PDF, ours / scanimage --format=pdf",
                                                    "settings": "test:0, 200 dpi gray, 200 x 200 mm"])
            results.set("scan.page_kb", figures.pageKilobytesPerA4.summary(unit: "KB per A4-equivalent area (JPEG in our PDF)"))
            results.set("scan.scanimage_page_kb", figures.scanimageKilobytesPerA4.summary(unit: "KB per A4-equivalent area (scanimage PDF)"))
            results.set("receipt.render_ms", figures.receiptRender.summary(unit: "ms"))
            results.set("receipt.submit_ms", figures.receiptSubmit.summary(unit: "ms"))
            results.set("receipt.lp_ms", figures.lpSubmit.summary(unit: "ms"))
            results.set("receipt.vs_lp_ratio", ["value": figures.receiptSubmit.median / figures.lpSubmit.median,
                                                "of": "median submit to the queue, ours (libcups) / lp, same PDF"])
            report("scan → finished PDF", figures.scanToPDF, unit: "ms", count: "\(scans) pages")
            report("scanimage --format=pdf", figures.scanimage, unit: "ms", count: "\(scans) pages")
            print("scan ratio (median, ours / scanimage): \(String(format: "%.2f", ratio))")
            report("page size, ours", figures.pageKilobytesPerA4, unit: "KB/A4", count: "\(scans) pages")
            report("page size, scanimage", figures.scanimageKilobytesPerA4, unit: "KB/A4", count: "\(scans) pages")
            report("receipt render", figures.receiptRender, unit: "ms", count: "200 receipts")
            report("receipt submit (libcups)", figures.receiptSubmit, unit: "ms", count: "\(figures.receiptSubmit.values.count) jobs")
            report("lp, same PDF", figures.lpSubmit, unit: "ms", count: "\(figures.lpSubmit.values.count) jobs")
        }
        if only.isEmpty || only.contains("outbox") {
            let figures = try await OutboxBenchmark(accepts: accepts, acceptPageBytes: 200_000, backlog: backlog,
                                                    backlogPageBytes: backlogPageBytes, concurrency: 4).measure()
            let ratio = figures.drainPerSecond / figures.plainPerSecond
            results.set("outbox.accept_ms", figures.accept.summary(unit: "ms, durable accept of an application with a 200 KB page"))
            let rounds = OutboxBenchmark.rounds
            results.set("outbox.drain_per_s", ["value": figures.drainPerSecond, "applications": backlog, "rounds": rounds,
                                               "per_round": figures.drainRoundsPerSecond,
                                               "page_bytes": backlogPageBytes, "concurrency": 4])
            results.set("outbox.plain_client_per_s", ["value": figures.plainPerSecond, "applications": backlog, "rounds": rounds,
                                                      "per_round": figures.plainRoundsPerSecond,
                                                      "page_bytes": backlogPageBytes, "concurrency": 4])
            results.set("outbox.vs_plain_client_ratio", ["value": ratio, "target": 0.8,
                                                         "of": "throughput, forwarder draining the outbox / plain AsyncHTTPClient loop, same payloads, fresh portal-sim each; rounds forwarder-plain then plain-forwarder, times summed"])
            results.set("outbox.lost", ["count": figures.lost, "applications": backlog * rounds])
            results.set("outbox.duplicated", ["count": figures.duplicated, "applications": backlog * rounds])
            report("durable accept, 200 KB page", figures.accept, unit: "ms", count: "\(accepts) applications")
            print("backlog of \(backlog) accepted in \(format(figures.backlogFillSeconds)) s")
            print("drain \(backlog) to portal-sim, \(rounds) rounds: \(format(figures.drainPerSecond))/s; plain AsyncHTTPClient loop: "
                  + "\(format(figures.plainPerSecond))/s; ratio \(String(format: "%.2f", ratio)) (target ≥ 0.8)")
            print("  per round, forwarder: \(figures.drainRoundsPerSecond.map(format).joined(separator: ", ")); "
                  + "plain: \(figures.plainRoundsPerSecond.map(format).joined(separator: ", ")) (round 1 forwarder first, round 2 plain first)")
            print("lost \(figures.lost), duplicated \(figures.duplicated) of \(backlog * rounds)")
        }
        try results.write()
        print("written to \(output)")
    }
}

/// One line of the bench's report: p50 and p99 of the same run.
func report(_ what: String, _ samples: Samples, unit: String, count: String) {
    print("\(what): p50 \(format(samples.median)) \(unit), p99 \(format(samples.percentile(99))) \(unit) (\(count))")
}

func format(_ value: Double) -> String {
    String(format: "%.1f", value)
}
