import Foundation
import KioskCore

/// The screen a kiosk shows while nobody is using it: who it is, a greeting in the default language
/// with a hint in the other, and what it can do now.
public struct IdleScreen: Sendable, Equatable {
    public let lines: [String]

    public init(profile: KioskProfile, devices: [DeviceStatus], at instant: Date) {
        let language = profile.languages.defaultLanguage
        let functions = KioskFunction.available(profile: profile, devices: devices, at: instant)
        var lines = [
            profile.identity.name.text(in: language),
            profile.identity.location.text(in: language),
            "",
            PromptCatalog.text(.idleWelcome, in: language),
            PromptCatalog.text(.idlePressAnyKey, in: language),
        ]
        if profile.languages.offered.count > 1 {
            lines.append(PromptCatalog.text(.idleOtherLanguage, in: language))
        }
        lines.append("")
        if !profile.hours.isOpen(at: instant, in: profile.timeZone) {
            lines.append(PromptCatalog.text(.idleClosed, in: language))
        }
        lines.append(PromptCatalog.text(.idleServicesOffered, in: language))
        for (index, function) in functions.enumerated() {
            lines.append("  \(index + 1). \(PromptCatalog.text(function.prompt, in: language))")
        }
        self.lines = lines
    }

    /// The screen as terminal text, framed, each line padded to the widest.
    public func framed() -> String {
        let width = lines.map(\.count).max() ?? 0
        let rule = String(repeating: "═", count: width + 4)
        let body = lines.map { "║  " + $0 + String(repeating: " ", count: width - $0.count) + "  ║" }
        return (["╔" + rule + "╗"] + body + ["╚" + rule + "╝"]).joined(separator: "\n") + "\n"
    }
}
