import PortalAPI
import Synchronization

/// The faults the simulator injects, changeable at run time, with the seeded dice that decide
/// which POST gets which. Every POST rolls every die, in the same order, whatever the outcome:
/// with one seed and one sequence of requests the faults fall on the same requests every run.
final class FaultInjection: Sendable {
    /// What the dice decided for one POST.
    struct Roll: Sendable {
        var unavailable = false
        var error = false
        var reset = false
        var errorAfterCommit = false
        var latencyMilliseconds = 0
        var retryAfterSeconds = 0
    }

    private struct State {
        var settings: PortalSimFaults
        var generator: SeededGenerator
    }

    private let state: Mutex<State>

    init(settings: PortalSimFaults, seed: UInt64) {
        state = Mutex(State(settings: settings, generator: SeededGenerator(seed: seed)))
    }

    var settings: PortalSimFaults {
        state.withLock { $0.settings }
    }

    /// Applies `change` and returns the settings now in force, or the reason it was refused.
    func apply(_ change: PortalSimFaultsChange) -> Result<PortalSimFaults, SettingsRefusal> {
        state.withLock { state in
            let changed = change.applied(to: state.settings)
            if let problem = changed.problem { return .failure(SettingsRefusal(detail: problem)) }
            state.settings = changed
            return .success(changed)
        }
    }

    struct SettingsRefusal: Error, Sendable {
        let detail: String
    }

    /// Returns once `holdFiling` is off (at once when it is not on). Polled: a held request is a
    /// test's deliberate pause, and 20 ms is far below anything the test then measures.
    func waitWhileFilingHeld() async throws {
        while settings.holdFiling {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Rolls the dice for one POST.
    func roll() -> Roll {
        state.withLock { state in
            let settings = state.settings
            func hit(_ rate: Double) -> Bool {
                // Always draw, even for a rate of 0 or 1, so the sequence does not depend on the settings.
                let draw = Double.random(in: 0..<1, using: &state.generator)
                return draw < rate
            }
            var roll = Roll()
            roll.unavailable = hit(settings.unavailableRate)
            roll.error = hit(settings.errorRate)
            roll.reset = hit(settings.resetRate)
            roll.errorAfterCommit = hit(settings.errorAfterCommitRate)
            roll.latencyMilliseconds = settings.latencyMilliseconds
            roll.retryAfterSeconds = settings.retryAfterSeconds
            return roll
        }
    }
}
