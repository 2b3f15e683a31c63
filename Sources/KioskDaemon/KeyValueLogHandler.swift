import Foundation
import Logging

/// swift-log handler writing one line per event to stderr, `key=value` metadata sorted by key.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with a `<N>` syslog priority, which journald
/// turns into the entry's priority, and carries no timestamp (journald adds its own). Elsewhere a
/// line starts with an ISO 8601 UTC timestamp. Callers never pass personal data; this handler is the
/// single place lines are formed, so nothing else reaches the log.
public struct KeyValueLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let forJournal: Bool

    public init(label: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        forJournal = environment["JOURNAL_STREAM"] != nil
        if let level = environment["KIOSK_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) {
            logLevel = level
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted("\($0.value)"))" }
        let message = event.message.description.replacingOccurrences(of: "\n", with: " ")
        var line = forJournal
            ? "<\(Self.syslogPriority(event.level))>\(label): \(message)"
            : "\(Self.timestamp()) \(event.level) \(label): \(message)"
        if !fields.isEmpty { line += " " + fields.joined(separator: " ") }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Values with spaces, quotes or `=` are quoted so a line splits unambiguously into fields.
    static func quoted(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\n", with: " ")
        guard flat.isEmpty || flat.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return flat }
        return "\"" + flat.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
