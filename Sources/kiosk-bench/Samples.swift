/// Measurements of one quantity, summarised as p50 (the median) and p99 of the same run.
struct Samples {
    private(set) var values: [Double] = []

    mutating func append(_ value: Double) {
        values.append(value)
    }

    var median: Double { percentile(50) }

    /// Nearest-rank percentile: with 20 samples, p99 is the largest.
    func percentile(_ percent: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    func summary(unit: String) -> [String: Any] {
        ["p50": median, "p99": percentile(99), "min": values.min() ?? .nan, "max": values.max() ?? .nan,
         "samples": values.count, "unit": unit]
    }
}

/// A duration in milliseconds, for the report.
func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
