import Foundation

/// Writes the port a listener was bound to, atomically (a temporary file renamed into place), so a
/// test polling for the file never reads it half written.
enum PortFile {
    static func write(_ port: Int, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try Data("\(port)\n".utf8).write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
