import Foundation

/// The local stand-ins `make test` starts before the suite (scripts/standins.sh): a private cupsd,
/// a SANE config folder with the test backend, the umockdev USB ticket printer, a WAV folder.
/// A test that needs them fails, never skips, when they are absent: the suite was run the wrong way.
public struct StandIns: Sendable {
    public let directory: String
    public let cupsServer: String
    public let saneConfigDirectory: String
    public let audioDirectory: String
    public let usbEmulatorDirectory: String

    public struct Missing: Error, CustomStringConvertible {
        public let variable: String
        public var description: String {
            "\(variable) is not set: the stand-ins are not running. Run the suite with `make test`, which starts them."
        }
    }

    /// Reads the stand-ins' locations from the environment `scripts/standins.sh` exported.
    public static func fromEnvironment() throws -> StandIns {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else { throw Missing(variable: name) }
            return value
        }
        return StandIns(directory: try value("KIOSK_STANDINS_DIR"), cupsServer: try value("CUPS_SERVER"),
                        saneConfigDirectory: try value("SANE_CONFIG_DIR"), audioDirectory: try value("KIOSK_AUDIO_DIR"),
                        usbEmulatorDirectory: try value("KIOSK_USB_EMULATOR_DIR"))
    }
}

/// Where the package's files and built products are, found from the running test binary.
public enum PackagePaths {
    /// The repository root (holding Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the built executables (`kioskd`), beside the test bundle.
    public static let products: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent()

    public static func profile(_ name: String) -> URL {
        root.appendingPathComponent("kiosk-profiles/\(name).yaml")
    }

    /// A fresh private folder for one test.
    public static func temporaryDirectory(_ purpose: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kiosk-\(purpose)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
