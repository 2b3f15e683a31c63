/// Admits POSTs by idempotency key, per draft-ietf-httpapi-idempotency-key-header: at most one
/// request per key is processed at a time; a key with a stored answer gets it again (same payload)
/// or a refusal (another payload).
///
/// An actor, so "is it in flight, is it stored, mark it in flight" is one step: two requests with
/// the same key can never both be admitted as new. The store read inside is synchronous on purpose.
actor IdempotencyGate {
    /// What a POST with a key and a payload fingerprint may do.
    enum Admission: Sendable {
        /// First request with this key: process it, then call `finish(key:)`.
        case fresh
        /// The key's first request is still being processed: 409.
        case inFlight
        /// Same key, same payload: the stored answer again.
        case replay(ApplicationStore.StoredAnswer)
        /// Same key, another payload: 422.
        case mismatch
    }

    private let store: ApplicationStore
    private var keysInFlight: Set<String> = []

    init(store: ApplicationStore) {
        self.store = store
    }

    func admit(key: String, fingerprint: String) throws -> Admission {
        if keysInFlight.contains(key) { return .inFlight }
        // A stored answer is only written while its key is in flight here, so this read is final.
        if let answer = try store.storedAnswer(forKey: key) {
            return answer.fingerprint == fingerprint ? .replay(answer) : .mismatch
        }
        keysInFlight.insert(key)
        return .fresh
    }

    /// Ends the processing of a `.fresh` key, stored or not.
    func finish(key: String) {
        keysInFlight.remove(key)
    }

    var inFlightCount: Int { keysInFlight.count }
}
