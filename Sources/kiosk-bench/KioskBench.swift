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

    @Option(help: "Which sections to run: daemon, speech, tickets (default: all).")
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
