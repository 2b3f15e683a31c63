import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Unix stream socket carrying control lines. Blocking calls, used from threads of their own.
public final class ControlSocket: @unchecked Sendable {
    // @unchecked: a socket is used by one thread at a time (the acceptor, or one connection's).
    public let descriptor: Int32
    /// Bytes read past the last line returned.
    private var pending = Data()

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public let code: Int32
    }

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Listens on `path`, replacing a stale socket file, with the file mode `mode`. Anyone may connect
    /// by default: who is answered is decided from the peer's kernel credentials, and refusals are logged.
    public static func listen(path: String, mode: mode_t = 0o666) throws -> ControlSocket {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket") }
        let socket = ControlSocket(descriptor: descriptor)
        unlink(path)
        try withAddress(path) { address, length in
            guard bind(descriptor, address, length) == 0 else { throw failure("bind \(path)") }
        }
        chmod(path, mode)
        guard Glibc.listen(descriptor, 16) == 0 else { throw failure("listen \(path)") }
        return socket
    }

    /// Connects to the daemon's socket at `path`.
    public static func connect(path: String) throws -> ControlSocket {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket") }
        let socket = ControlSocket(descriptor: descriptor)
        try withAddress(path) { address, length in
            guard Glibc.connect(descriptor, address, length) == 0 else { throw failure("connect \(path)") }
        }
        return socket
    }

    /// The next connection; throws when the listening socket is shut down.
    public func accept() throws -> ControlSocket {
        while true {
            // accept4 is GNU-only and not in Glibc's Swift module; set close-on-exec after accepting.
            let connection = Glibc.accept(descriptor, nil, nil)
            if connection >= 0 {
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                return ControlSocket(descriptor: connection)
            }
            if errno != EINTR { throw Self.failure("accept") }
        }
    }

    /// Stops `accept` and reads in other threads.
    public func shutDown() {
        Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// The connected peer's process, user and group, as the kernel saw them at connect (SO_PEERCRED).
    public func peerCredentials() throws -> (pid: Int32, uid: UInt32, gid: UInt32) {
        // Glibc's `struct ucred` is hidden behind _GNU_SOURCE; it is three 32-bit fields.
        var credentials: (Int32, UInt32, UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, length == 12 else {
            throw Self.failure("SO_PEERCRED")
        }
        return (credentials.0, credentials.1, credentials.2)
    }

    /// Reads one line (without its newline); nil at end of stream. A line longer than `maximumBytes`
    /// throws (EMSGSIZE) without reading the rest; no data within `timeout` throws too.
    public func readLine(maximumBytes: Int, timeout: Duration) throws -> Data? {
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = pending.firstIndex(of: 0x0a) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                guard line.count <= maximumBytes else {
                    throw Failure(description: "line longer than \(maximumBytes) bytes", code: EMSGSIZE)
                }
                return Data(line)
            }
            if pending.count > maximumBytes {
                throw Failure(description: "line longer than \(maximumBytes) bytes", code: EMSGSIZE)
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, milliseconds)
            if ready == 0 { throw Failure(description: "no request within \(timeout)", code: ETIMEDOUT) }
            if ready < 0 { if errno == EINTR { continue }; throw Self.failure("poll") }
            let count = read(descriptor, &chunk, chunk.count)
            if count == 0 {
                defer { pending = Data() }
                return pending.isEmpty ? nil : pending
            }
            if count < 0 { if errno == EINTR { continue }; throw Self.failure("read") }
            pending.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes `data` and a newline.
    public func writeLine(_ data: Data) throws {
        var bytes = [UInt8](data)
        bytes.append(0x0a)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 { if errno == EINTR { continue }; throw Self.failure("write") }
            offset += written
        }
    }

    private static func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: strerror(errno)))", code: errno)
    }

    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Void) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Failure(description: "socket path too long: \(path)", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
