import Foundation

/// bench/results.json: one object whose keys are sections (`daemon.ready_ms`), so each issue's
/// benchmark adds its own keys without disturbing the others.
struct ResultsFile {
    let path: String
    private var contents: [String: Any]

    init(path: String) {
        self.path = path
        let data = FileManager.default.contents(atPath: path)
        contents = data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
    }

    mutating func set(_ key: String, _ value: [String: Any]) {
        var entry = value
        entry["measured_at"] = ISO8601DateFormatter().string(from: Date())
        contents[key] = entry
    }

    func write() throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: contents, options: [.prettyPrinted, .sortedKeys])
        try (data + Data("\n".utf8)).write(to: url, options: .atomic)
    }
}
