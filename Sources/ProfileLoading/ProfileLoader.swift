import Foundation
import KioskCore
import Yams

/// Reads a kiosk profile from YAML and refuses it, with every problem listed, unless it is whole and
/// consistent. Parsing walks Yams' node tree rather than using Codable because each diagnostic must
/// point at the line and column of the offending key or value.
public enum ProfileLoader {
    /// Reads and validates the profile at `path`.
    public static func load(path: String) throws(ProfileRejection) -> KioskProfile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ProfileRejection(diagnostics: [ProfileDiagnostic(
                file: path, line: 1, column: 1,
                problem: "cannot read the profile (\(readFailureReason(path: path)))",
                expected: "expected a readable YAML file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProfileRejection(diagnostics: [ProfileDiagnostic(
                file: path, line: 1, column: 1, problem: "the profile is not valid UTF-8 text",
                expected: "expected a YAML file saved as UTF-8")])
        }
        return try parse(yaml: text, file: path)
    }

    /// Validates profile text; `file` names it in diagnostics.
    public static func parse(yaml: String, file: String) throws(ProfileRejection) -> KioskProfile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ProfileRejection(diagnostics: [syntaxDiagnostic(error, file: file)])
        }
        guard let root else {
            throw ProfileRejection(diagnostics: [ProfileDiagnostic(
                file: file, line: 1, column: 1, problem: "the profile is empty",
                expected: "expected a mapping with the sections kiosk, devices, queue, procedures, privacy")])
        }
        let reader = ProfileReader(file: file)
        let profile = reader.readProfile(root)
        if let profile, reader.diagnostics.isEmpty {
            return profile
        }
        throw ProfileRejection(diagnostics: reader.diagnostics)
    }

    private static func readFailureReason(path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "it is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return "read error"
    }

    private static func syntaxDiagnostic(_ error: any Error, file: String) -> ProfileDiagnostic {
        let expected = "expected well-formed YAML"
        switch error {
        case let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _),
             let YamlError.composer(_, problem, mark, _):
            return ProfileDiagnostic(file: file, line: mark.line, column: mark.column,
                                     problem: "YAML syntax error: \(problem)", expected: expected)
        case let YamlError.duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ProfileDiagnostic(file: file, line: context.mark.line, column: context.mark.column,
                                     problem: "key \(names) appears more than once in the same mapping",
                                     expected: "expected each key once")
        case let YamlError.reader(problem, _, _, _):
            return ProfileDiagnostic(file: file, line: 1, column: 1, problem: "YAML reader error: \(problem)",
                                     expected: "expected UTF-8 YAML text")
        default:
            return ProfileDiagnostic(file: file, line: 1, column: 1, problem: "YAML error: \(error)",
                                     expected: expected)
        }
    }
}
