import Foundation

/// What a citizen can do at the kiosk, each offered only when its devices and hours allow.
public enum KioskFunction: String, Sendable, CaseIterable, Hashable {
    case takeTicket = "take-ticket"
    case submitApplication = "submit-application"
    case lookUpApplication = "look-up"
    case help

    public var prompt: PromptKey {
        switch self {
        case .takeTicket: .serviceTakeTicket
        case .submitApplication: .serviceSubmitApplication
        case .lookUpApplication: .serviceLookUp
        case .help: .serviceHelp
        }
    }

    /// The functions the kiosk can offer now. Tickets need the ticket printer, services and opening
    /// hours (a number for a closed office is useless); applications need the scanner and the receipt
    /// printer and are taken after hours too (store-and-forward); look-up and help need nothing.
    /// Under maintenance only what the profile keeps offered (`operations.offered_during_maintenance`)
    /// remains, with help beside it; nothing at all when it keeps nothing.
    public static func available(profile: KioskProfile, devices: [DeviceStatus], at instant: Date,
                                 underMaintenance: Bool = false) -> [KioskFunction] {
        let functions = offeredByDevicesAndHours(profile: profile, devices: devices, at: instant)
        guard underMaintenance else { return functions }
        let kept = functions.filter { $0 != .help && profile.operations.offeredDuringMaintenance.contains($0) }
        return kept.isEmpty ? [] : kept + [.help]
    }

    private static func offeredByDevicesAndHours(profile: KioskProfile, devices: [DeviceStatus], at instant: Date) -> [KioskFunction] {
        func usable(_ kind: DeviceKind) -> Bool { devices.contains { $0.kind == kind && $0.isUsable } }
        let open = profile.hours.isOpen(at: instant, in: profile.timeZone)
        var functions: [KioskFunction] = []
        if open, !profile.queue.services.isEmpty, usable(.ticketPrinter) {
            functions.append(.takeTicket)
        }
        if !profile.procedures.isEmpty, usable(.scanner), usable(.receiptPrinter) {
            functions.append(.submitApplication)
        }
        if profile.portal != nil {
            functions.append(.lookUpApplication)
        }
        functions.append(.help)
        return functions
    }
}
