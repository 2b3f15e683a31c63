import Foundation
import Logging
import Synchronization

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
        var body = "\(label): \(message)"
        if !fields.isEmpty { body += " " + fields.joined(separator: " ") }
        // The technician's copy (`kioskctl logs`, diagnostics) always carries the time, which the
        // journal's form leaves to journald; elsewhere the two are the same line.
        let timestamped = "\(Self.timestamp()) \(event.level) \(body)"
        let line = forJournal ? "<\(Self.syslogPriority(event.level))>\(body)" : timestamped
        FileHandle.standardError.write(Data((line + "\n").utf8))
        RecentLogLines.shared.append(timestamped)
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

/// The daemon's most recent log lines, kept in memory for `kioskctl logs` and `kioskctl diagnostics`:
/// a technician at a kiosk without journald access (or a daemon run by hand) still gets them. Holds
/// what the log holds, so no personal data by the same rule.
public final class RecentLogLines: Sendable {
    public static let shared = RecentLogLines(capacity: 2000)

    public let capacity: Int
    private let lines: Mutex<(ring: [String], next: Int)>

    public init(capacity: Int) {
        self.capacity = capacity
        lines = Mutex((ring: [], next: 0))
    }

    func append(_ line: String) {
        lines.withLock { kept in
            if kept.ring.count < capacity {
                kept.ring.append(line)
            } else {
                kept.ring[kept.next] = line
            }
            kept.next = (kept.next + 1) % capacity
        }
    }

    /// The last `count` lines, oldest first.
    public func last(_ count: Int) -> [String] {
        lines.withLock { kept in
            let ordered = kept.ring.count < capacity ? kept.ring : Array(kept.ring[kept.next...] + kept.ring[..<kept.next])
            return Array(ordered.suffix(max(0, count)))
        }
    }
}
