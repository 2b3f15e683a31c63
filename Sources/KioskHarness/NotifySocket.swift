import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's `NOTIFY_SOCKET`: records what a daemon tells systemd.
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: `descriptor` is immutable after init, and reads happen from one test at a time.
    public let path: String
    private let descriptor: Int32

    public init(directory: URL) throws {
        path = directory.appendingPathComponent("notify.sock").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// A datagram received, with the time it arrived.
    public struct Message: Sendable {
        public let fields: [String]
        public let receivedAt: ContinuousClock.Instant

        public func contains(_ field: String) -> Bool { fields.contains(field) }
        public func value(of key: String) -> String? {
            fields.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
    }

    /// The next datagram, or nil if none arrives within `timeout`.
    public func receive(timeout: Duration) -> Message? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return Message(fields: text.split(separator: "\n").map(String.init), receivedAt: .now)
    }

    /// Reads datagrams until one satisfies `predicate`; returns it, and everything read on the way.
    public func receive(until predicate: (Message) -> Bool, timeout: Duration) -> (match: Message?, seen: [Message]) {
        let deadline = ContinuousClock.now + timeout
        var seen: [Message] = []
        while ContinuousClock.now < deadline {
            guard let message = receive(timeout: deadline - ContinuousClock.now) else { break }
            seen.append(message)
            if predicate(message) { return (message, seen) }
        }
        return (nil, seen)
    }
}
