import Foundation

/// A serial executor that runs every job on one dedicated OS thread.
///
/// Device actors use it as their executor so that blocking C calls (a SANE read, a libusb transfer,
/// eSpeak NG synthesis) run on a thread the actor owns and never block Swift's cooperative pool: a
/// slow scanner must not freeze the menu or the voice. It also gives libraries that keep global
/// or thread-affine state (eSpeak NG is not re-entrant) a single thread to live on.
///
/// `@unchecked Sendable` is sound here: the only mutable state, `pendingJobs` and `isStopping`, is read
/// and written with `condition` locked; `thread` is set in `init` before anything can enqueue and
/// cleared, under the lock, by the thread itself as it exits.
public final class DeviceThread: SerialExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var pendingJobs: [UnownedJob] = []
    private var isStopping = false
    private var thread: Thread?

    /// Starts the thread; `name` shows in `top -H` and core dumps (`kiosk-sane`, `kiosk-espeak`).
    public init(name: String) {
        // The thread holds the executor strongly until it has drained its jobs after `stop()`.
        let thread = Thread { self.serveJobs() }
        thread.name = name
        self.thread = thread
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        pendingJobs.append(job)
        condition.signal()
        condition.unlock()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func checkIsolated() {
        condition.lock()
        let owner = thread
        condition.unlock()
        precondition(Thread.current === owner, "expected to run on the device thread \(owner?.name ?? "")")
    }

    /// Lets the thread finish the jobs already queued and then exit. Called by an actor's `deinit`.
    public func stop() {
        condition.lock()
        isStopping = true
        condition.signal()
        condition.unlock()
    }

    private func serveJobs() {
        while true {
            condition.lock()
            while pendingJobs.isEmpty && !isStopping {
                condition.wait()
            }
            if pendingJobs.isEmpty {
                // Break the cycle executor → thread → closure → executor so both can be freed.
                thread = nil
                condition.unlock()
                return
            }
            let job = pendingJobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
