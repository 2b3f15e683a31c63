/// Scans through SANE's pnm backend, one at a time across suites (each `.serialized` only within
/// itself). The backend serves one open device at a time (a second sane_open answers DEVICE_BUSY,
/// and every handle is the same constant) and keeps its options, the image file's name among
/// them, in process-wide globals. Two suites scanning at once got a page of the wrong size,
/// zero-filled, after half a minute.
actor PNMBackendTurns {
    static let shared = PNMBackendTurns()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once no other scan through the pnm backend is under way.
    nonisolated static func take<Result>(_ body: () async throws -> Result) async throws -> Result {
        await shared.acquire()
        do {
            let result = try await body()
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        // Woken by release, which hands the turn straight over (busy stays true).
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
