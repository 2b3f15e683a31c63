import CCUPS
import DeviceThread
import Foundation
import KioskCore

/// A receipt that did not print: what the citizen is told, and what technicians read.
public struct ReceiptPrintError: Error, Sendable, CustomStringConvertible {
    public let failure: ReceiptPrintFailure
    public let detail: String
    public let status: DeviceStatus?

    public var description: String { "\(failure.rawValue): \(detail)" }
}

/// Prints receipts through libcups on the profile's queue and follows each job to completion. A job
/// that has not completed within the profile's `stale_job_seconds` is cancelled: a receipt that
/// comes out after the paper is refilled, for a citizen who has left, is worse than none.
///
/// libcups calls block on the scheduler's socket, so they run on this actor's own thread; the
/// waiting between status polls happens off it.
public actor CUPSReceiptPrinter {
    private let thread = DeviceThread(name: "kiosk-receipt")
    private let queues = CUPSQueues()

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        thread.asUnownedSerialExecutor()
    }

    public init() {}

    deinit {
        thread.stop()
    }

    /// IPP job states (RFC 8011 §5.3.7).
    public enum JobState: Int32, Sendable {
        case pending = 3, held = 4, processing = 5, stopped = 6, canceled = 7, aborted = 8, completed = 9
    }

    /// Sends `pdf` as one job; returns its id.
    public func submit(pdf: Data, title: String, queue: String) throws(ReceiptPrintError) -> Int32 {
        let job = cupsCreateJob(nil, queue, title, 0, nil)
        guard job > 0 else { throw refused("cupsCreateJob on \(queue)") }
        guard cupsStartDocument(nil, queue, job, title, "application/pdf", 1) == HTTP_STATUS_CONTINUE else {
            throw refused("cupsStartDocument for job \(job)")
        }
        let written = pdf.withUnsafeBytes { bytes in
            cupsWriteRequestData(nil, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard written == HTTP_STATUS_CONTINUE else { throw refused("sending job \(job)'s \(pdf.count) bytes") }
        guard cupsFinishDocument(nil, queue) == IPP_STATUS_OK else { throw refused("cupsFinishDocument for job \(job)") }
        return job
    }

    /// The job's state as the scheduler reports it now, or nil if it does not know the job.
    public func state(ofJob job: Int32, queue: String) -> JobState? {
        var jobs: UnsafeMutablePointer<cups_job_t>?
        let count = cupsGetJobs2(nil, &jobs, queue, 0, CUPS_WHICHJOBS_ALL)
        defer { cupsFreeJobs(count, jobs) }
        guard count > 0, let jobs else { return nil }
        for index in 0..<Int(count) where jobs[index].id == job {
            return JobState(rawValue: Int32(jobs[index].state.rawValue))
        }
        return nil
    }

    public func cancel(job: Int32, queue: String) -> Bool {
        cupsCancelJob2(nil, queue, job, 0) == IPP_STATUS_OK
    }

    /// Prints and waits until the job completes; cancels it when it has not within `settings.staleJobSeconds`.
    public nonisolated func print(pdf: Data, title: String, settings: ReceiptPrinterSettings,
                                  pollInterval: Duration = .milliseconds(200)) async throws(ReceiptPrintError) -> Int32 {
        let job = try await submit(pdf: pdf, title: title, queue: settings.cupsQueue)
        let deadline = ContinuousClock.now + .seconds(settings.staleJobSeconds)
        while true {
            switch await state(ofJob: job, queue: settings.cupsQueue) {
            case .completed?:
                return job
            case .canceled?, .aborted?, nil:
                let status = await queues.status(for: settings)
                throw ReceiptPrintError(failure: Self.failure(from: status) ?? .refused,
                                        detail: "job \(job) ended without printing; \(status.detail)", status: status)
            default:
                break
            }
            if ContinuousClock.now >= deadline {
                let status = await queues.status(for: settings)
                let cancelled = await cancel(job: job, queue: settings.cupsQueue)
                throw ReceiptPrintError(failure: Self.failure(from: status) ?? .notStartedInTime,
                                        detail: "job \(job) not printed within \(settings.staleJobSeconds) s, "
                                            + (cancelled ? "cancelled" : "could not be cancelled") + "; \(status.detail)",
                                        status: status)
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// The receipt printer's status, as the probe reports it.
    public nonisolated func status(for settings: ReceiptPrinterSettings) async -> DeviceStatus {
        await queues.status(for: settings)
    }

    /// What the queue's printer-state-reasons say is wrong, if anything.
    static func failure(from status: DeviceStatus) -> ReceiptPrintFailure? {
        switch (status.paper, status.state) {
        case (.out?, _): .paperOut
        case (.jammed?, _): .jammed
        case (_, .userError): .coverOpen
        case (_, .offline), (_, .noDevice): .offline
        default: nil
        }
    }

    private func refused(_ what: String) -> ReceiptPrintError {
        ReceiptPrintError(failure: .refused, detail: "\(what) failed: \(String(cString: cupsLastErrorString()))", status: nil)
    }
}
