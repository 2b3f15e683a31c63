import Foundation
import KioskHarness
#if canImport(Glibc)
import Glibc
#endif

/// Times `kioskd --profile demo.yaml` from exec to `READY=1` (devices probed through their real
/// libraries against the stand-ins), and reads its resident memory once it has idled for a second.
struct DaemonStartupBenchmark {
    let runs: Int

    struct Figures {
        var readyMilliseconds = Samples()
        var idleResidentMegabytes = Samples()
    }

    func measure() throws -> Figures {
        var figures = Figures()
        for run in 0..<runs {
            let kiosk = try DemoKiosk(purpose: "bench-start-\(run)")
            let started = ContinuousClock.now
            let daemon = try kiosk.start()
            guard let ready = kiosk.waitUntilReady(timeout: .seconds(30)) else {
                throw BenchmarkFailure("run \(run): no READY=1 within 30 s; stderr: \(daemon.standardError)")
            }
            figures.readyMilliseconds.append(milliseconds(ready.receivedAt - started))

            Thread.sleep(forTimeInterval: 1)
            guard let rss = residentMegabytes(pid: daemon.pid) else {
                throw BenchmarkFailure("run \(run): cannot read /proc/\(daemon.pid)/status")
            }
            figures.idleResidentMegabytes.append(rss)
            daemon.send(SIGTERM)
            guard daemon.waitForExit(timeout: .seconds(5)) == 0 else {
                throw BenchmarkFailure("run \(run): kioskd did not exit 0 on SIGTERM; stderr: \(daemon.standardError)")
            }
        }
        return figures
    }

    /// VmRSS from /proc/PID/status, in MiB.
    private func residentMegabytes(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else { return nil }
        return kilobytes / 1024
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
