import ArgumentParser
import Foundation
import KioskHarness
#if canImport(Glibc)
import Glibc
#endif

/// `kiosk-bench`: measures the kiosk as a citizen and a technician feel it, and writes the figures
/// to bench/results.json (each section replaces its own keys and keeps the others').
@main
struct KioskBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-bench",
        abstract: "Measure kioskd against the local stand-ins and write bench/results.json.")

    @Option(help: "How many daemon starts to time.")
    var runs = 20

    @Option(help: "Where the results go (merged with what is there).")
    var output = "bench/results.json"

    func run() throws {
        let startup = try DaemonStartupBenchmark(runs: runs).measure()
        var results = ResultsFile(path: output)
        results.set("daemon.ready_ms", startup.readyMilliseconds.summary(unit: "ms"))
        results.set("daemon.idle_rss_mb", startup.idleResidentMegabytes.summary(unit: "MiB"))
        try results.write()
        print("daemon start → READY: median \(format(startup.readyMilliseconds.median)) ms, "
              + "p99 \(format(startup.readyMilliseconds.percentile(99))) ms over \(runs) starts")
        print("idle resident memory: median \(format(startup.idleResidentMegabytes.median)) MiB, "
              + "p99 \(format(startup.idleResidentMegabytes.percentile(99))) MiB")
        print("written to \(output)")
    }
}

func format(_ value: Double) -> String {
    String(format: "%.1f", value)
}
