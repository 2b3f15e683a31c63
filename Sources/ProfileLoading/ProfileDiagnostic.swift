/// One thing wrong with a profile, where it is and what was expected, in the form editors and
/// compilers use: `path:line:column: what is wrong; what was expected`.
public struct ProfileDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    /// 1-based, as libyaml counts after Yams' adjustment.
    public let line: Int
    /// 1-based, counted in Unicode scalars (a Vietnamese letter counts once).
    public let column: Int
    public let problem: String
    public let expected: String

    public init(file: String, line: Int, column: Int, problem: String, expected: String) {
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        self.expected = expected
    }

    public var description: String {
        "\(file):\(line):\(column): \(problem); \(expected)"
    }
}

/// A profile that was refused, with every diagnostic found (not just the first), in file order.
public struct ProfileRejection: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [ProfileDiagnostic]

    public init(diagnostics: [ProfileDiagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Exit status for a refused configuration (sysexits.h EX_CONFIG).
    public static let exitStatus: Int32 = 78

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
