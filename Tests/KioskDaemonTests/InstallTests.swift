import Foundation
import KioskHarness
import Testing

/// `make install` into a staging folder puts every file where a Debian system looks for it, and
/// what it installs fits together: the unit's binary, the rules' devices, the completions.
@Suite struct InstallTests {
    @Test func makeInstallLaysOutADebianSystem() throws {
        let stage = try PackagePaths.temporaryDirectory("install")
        defer { try? FileManager.default.removeItem(at: stage) }
        // The suite's own debug build is installed; `make install` alone builds release first.
        let (status, output) = try ChildProcess.run("/usr/bin/make", ["-C", PackagePaths.root.path, "install", "DESTDIR=\(stage.path)",
                                                                      "CONFIGURATION=debug", "NO_BUILD=1"], capture: true)
        #expect(status == 0, "\(output)")
        let usr = stage.appendingPathComponent("usr")
        func file(_ path: String) -> String? { try? String(contentsOf: usr.appendingPathComponent(path), encoding: .utf8) }
        // kioskd looks for its SANE helper in ../libexec/kiosk beside its own folder.
        for binary in ["bin/kioskd", "bin/kioskctl", "libexec/kiosk/kiosk-scan-helper"] {
            #expect(FileManager.default.isExecutableFile(atPath: usr.appendingPathComponent(binary).path), "\(binary) missing or not executable")
        }
        let unit = try #require(file("lib/systemd/system/kioskd.service"))
        #expect(unit.contains("ExecStart=/usr/bin/kioskd "), "the unit runs the installed binary")
        #expect(file("lib/sysusers.d/kioskd.conf")?.contains("kiosk-maint") == true)
        #expect(file("lib/tmpfiles.d/kioskd.conf") != nil)
        // Every USB ticket printer a shipped profile names has a rule, and the keypad and scanner have theirs.
        let rules = try #require(file("lib/udev/rules.d/70-kiosk-ticket-printers.rules"))
            + (try #require(file("lib/udev/rules.d/71-kiosk-keypads-scanners.rules")))
        let profiles = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.root.appendingPathComponent("kiosk-profiles").path)
        for name in profiles where name.hasSuffix(".yaml") {
            let text = try String(contentsOf: PackagePaths.root.appendingPathComponent("kiosk-profiles/\(name)"), encoding: .utf8)
            for line in text.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("usb:") {
                let id = line.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
                let parts = id.split(separator: ":")
                #expect(parts.count == 2 && rules.contains("ATTR{idVendor}==\"\(parts[0])\", ATTR{idProduct}==\"\(parts[1])\""),
                        "\(name): no udev rule for ticket printer \(id)")
            }
            #expect(FileManager.default.fileExists(atPath: usr.appendingPathComponent("share/kiosk/profiles/\(name)").path))
        }
        #expect(rules.contains("SYMLINK+=\"kiosk/keypad\"") && rules.contains("SYMLINK+=\"kiosk/scanner\""))
        // kioskctl's completions know its commands.
        let bash = try #require(file("share/bash-completion/completions/kioskctl"))
        for command in ["status", "queue", "preview", "maintenance", "profile"] {
            #expect(bash.contains(command), "bash completion lacks \(command)")
        }
        #expect(file("share/zsh/vendor-completions/_kioskctl")?.contains("#compdef kioskctl") == true)
        #expect(file("share/fish/vendor_completions.d/kioskctl.fish")?.contains("complete -c 'kioskctl'") == true)
    }
}
