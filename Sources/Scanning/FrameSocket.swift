import Foundation

/// One end of the socket pair between kioskd and kiosk-scan-helper, carrying `ScanHelperWire` frames.
///
/// `@unchecked Sendable`: writes are whole frames sent with `writeLock` held (the keypad's cancel
/// may write while another thread waits for a scan's answers), and `isClosed` is only touched with
/// it held; reads are made by one thread at a time by construction (the scanner's actor in kioskd,
/// the request reader in the helper), never after `close`.
final class FrameSocket: @unchecked Sendable {
    let descriptor: Int32
    private let writeLock = NSLock()
    /// Set under `writeLock` when closed: a late cancel must not write to the number the kernel may
    /// since have given to another file.
    private var isClosed = false

    enum Received {
        case frame(header: Data, payload: [UInt8])
        /// The other end closed (the helper exited, or kioskd did).
        case closed
        /// Nothing complete arrived in time.
        case timedOut
        /// The bytes are not frames: the other side is not speaking this protocol.
        case corrupt(String)
    }

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Sends one frame whole (its parts one after the other, so a page's pixels are not copied into
    /// one buffer first); false when the other end is gone.
    @discardableResult
    func send(_ parts: [UInt8]...) -> Bool {
        writeLock.lock()
        defer { writeLock.unlock() }
        guard !isClosed else { return false }
        for part in parts {
            var sent = 0
            while sent < part.count {
                // MSG_NOSIGNAL: a helper that has died is an EPIPE to report, not a signal.
                let result = part.withUnsafeBytes { bytes in
                    Glibc.send(descriptor, bytes.baseAddress! + sent, part.count - sent, Int32(MSG_NOSIGNAL))
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                sent += result
            }
        }
        return true
    }

    /// Waits for the next frame; `within` nil waits for ever. The time limit covers the whole frame.
    func receive(within limit: Duration?) -> Received {
        let deadline = limit.map { ContinuousClock.now + $0 }
        let prefix: [UInt8]
        switch read(count: 8, deadline: deadline) {
        case let .bytes(bytes): prefix = bytes
        case .closed: return .closed
        case .timedOut: return .timedOut
        }
        guard let lengths = ScanHelperWire.lengths(of: prefix) else {
            return .corrupt("a frame announced lengths beyond the limits")
        }
        let header: [UInt8]
        switch read(count: lengths.header, deadline: deadline) {
        case let .bytes(bytes): header = bytes
        case .closed: return .closed
        case .timedOut: return .timedOut
        }
        var payload: [UInt8] = []
        if lengths.payload > 0 {
            switch read(count: lengths.payload, deadline: deadline) {
            case let .bytes(bytes): payload = bytes
            case .closed: return .closed
            case .timedOut: return .timedOut
            }
        }
        return .frame(header: Data(header), payload: payload)
    }

    private enum ReadResult {
        case bytes([UInt8])
        case closed
        case timedOut
    }

    private func read(count: Int, deadline: ContinuousClock.Instant?) -> ReadResult {
        var outcome = ReadResult.closed
        // Filled straight from the socket: a page is megabytes, not worth zeroing first.
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            outcome = fill(buffer, deadline: deadline)
            initialized = if case .bytes = outcome { count } else { 0 }
        }
        if case .bytes = outcome { return .bytes(bytes) }
        return outcome
    }

    /// Reads exactly `buffer.count` bytes into `buffer`; `.bytes([])` when it has.
    private func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>, deadline: ContinuousClock.Instant?) -> ReadResult {
        let count = buffer.count
        var filled = 0
        while filled < count {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            var timeout: Int32 = -1
            if let deadline {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { return .timedOut }
                let (seconds, attoseconds) = remaining.components
                timeout = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            }
            let ready = poll(&poller, 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return .closed
            }
            if ready == 0 { return .timedOut }
            let result = recv(descriptor, buffer.baseAddress! + filled, count - filled, 0)
            if result < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .closed
            }
            if result == 0 { return .closed }
            filled += result
        }
        return .bytes([])
    }

    func close() {
        writeLock.lock()
        defer { writeLock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(descriptor)
    }
}
