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

    @Option(help: "Which sections to run: daemon, speech (default: all).")
    var only: [String] = []

    @Option(help: "Where the results go (merged with what is there).")
    var output = "bench/results.json"

    func run() async throws {
        var results = ResultsFile(path: output)
        if only.isEmpty || only.contains("daemon") {
            let startup = try DaemonStartupBenchmark(runs: runs).measure()
            results.set("daemon.ready_ms", startup.readyMilliseconds.summary(unit: "ms"))
            results.set("daemon.idle_rss_mb", startup.idleResidentMegabytes.summary(unit: "MiB"))
            print("daemon start → READY: p50 \(format(startup.readyMilliseconds.median)) ms, "
                  + "p99 \(format(startup.readyMilliseconds.percentile(99))) ms over \(runs) starts")
            print("idle resident memory: p50 \(format(startup.idleResidentMegabytes.median)) MiB, "
                  + "p99 \(format(startup.idleResidentMegabytes.percentile(99))) MiB")
        }
        if only.isEmpty || only.contains("speech") {
            let speech = try await SpeechLatencyBenchmark(presses: presses, cliRuns: 100).measure()
            results.set("speech.first_audio_ms", speech.firstAudio.summary(unit: "ms"))
            results.set("speech.barge_in_ms", speech.bargeIn.summary(unit: "ms"))
            results.set("speech.espeak_cli_ms", speech.espeakCommand.summary(unit: "ms"))
            print("key → first audio: p50 \(format(speech.firstAudio.median)) ms, p99 \(format(speech.firstAudio.percentile(99))) ms "
                  + "(\(speech.firstAudio.values.count) presses)")
            print("key → interrupted speech stopped: p50 \(format(speech.bargeIn.median)) ms, "
                  + "p99 \(format(speech.bargeIn.percentile(99))) ms (\(speech.bargeIn.values.count) interruptions)")
            print("espeak-ng command, same prompts to WAV: p50 \(format(speech.espeakCommand.median)) ms, "
                  + "p99 \(format(speech.espeakCommand.percentile(99))) ms")
        }
        try results.write()
        print("written to \(output)")
    }
}

func format(_ value: Double) -> String {
    String(format: "%.1f", value)
}
