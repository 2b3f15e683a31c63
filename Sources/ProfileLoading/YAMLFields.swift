import KioskCore
import Yams

/// The keys of one YAML mapping, checked against the keys its section allows.
/// Looking a key up never reports; `required` reports a missing key at the mapping's own position.
struct YAMLFields {
    let path: String
    let mapping: Node.Mapping
    let reader: ProfileReader

    /// The value of `key`, if present.
    func value(_ key: String) -> Node? {
        mapping.first { $0.key.string == key }?.value
    }

    /// The value of `key`, reporting its absence with what it should have held.
    func required(_ key: String, expected: String) -> Node? {
        if let node = value(key) { return node }
        reader.report(at: mapping.mark, "missing required key '\(key)' in \(path)", expected)
        return nil
    }

    /// The dotted path of `key`, used in diagnostics (`devices.scanner.resolution_dpi`).
    func path(_ key: String) -> String {
        path == ProfileReader.rootPath ? key : "\(path).\(key)"
    }
}

/// Closest allowed key to a typo, for the "did you mean" hint; nil when nothing is close.
func closestKey(to typo: String, among candidates: [String]) -> String? {
    // "monday" for "mon", "resolution" for "resolution_dpi": a key written longer or shorter.
    if let stem = candidates.first(where: { typo.hasPrefix($0) || $0.hasPrefix(typo) }), !typo.isEmpty {
        return stem
    }
    let scored = candidates.map { ($0, editDistance(typo, $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, typo.count / 3) else { return nil }
    return best.0
}

/// Levenshtein distance over characters.
func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs), b = Array(rhs)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
