import Foundation

/// Writes files so that once a call returns they survive a power cut: data fsynced, then renamed
/// into place, then the folder fsynced (the rename itself is only durable once its folder is).
enum DurableFiles {
    /// Writes `data` to `path` (which must not exist yet) and fsyncs it.
    static func write(_ data: Data, to path: String) throws(OutboxError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("create \(path)") }
        defer { close(descriptor) }
        var written = 0
        let outcome: Int32? = data.withUnsafeBytes { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            while written < buffer.count {
                let count = Foundation.write(descriptor, base + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        if let code = outcome { throw failure("write \(path)", code: code) }
        guard fsync(descriptor) == 0 else { throw failure("fsync \(path)") }
    }

    /// fsyncs a folder, making renames and removals inside it durable.
    static func syncFolder(_ path: String) throws(OutboxError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open folder \(path)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync folder \(path)") }
    }

    static func makeFolder(_ path: String) throws(OutboxError) {
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw failure("create folder \(path)") }
    }

    static func rename(_ from: String, to: String) throws(OutboxError) {
        guard Foundation.rename(from, to) == 0 else { throw failure("rename \(from) to \(to)") }
    }

    /// Removes a folder and everything in it; used for what is no longer wanted, so errors are only reported.
    @discardableResult
    static func remove(_ path: String) -> Bool {
        (try? FileManager.default.removeItem(atPath: path)) != nil
    }

    static func failure(_ operation: String, code: Int32 = errno) -> OutboxError {
        let cause = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT { return .diskFull(operation, cause) }
        return OutboxError(.storage, "\(operation): \(cause)")
    }
}
