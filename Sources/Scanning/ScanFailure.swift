import CSANE
import KioskCore

/// A scan that did not complete: what the citizen is told (`fault`), what technicians read
/// (`detail`), and the pages that did come out before it (kept: the citizen does not rescan them).
public struct ScanFailure: Error, Sendable, CustomStringConvertible {
    public let fault: ScanFault
    public let detail: String
    public let pagesBefore: [ScannedPage]

    public init(fault: ScanFault, detail: String, pagesBefore: [ScannedPage] = []) {
        self.fault = fault
        self.detail = detail
        self.pagesBefore = pagesBefore
    }

    public var description: String { "\(fault.rawValue): \(detail)" }

    /// The kiosk's name for a SANE status.
    static func fault(for status: SANE_Status) -> ScanFault {
        switch status {
        case SANE_STATUS_JAMMED: .jammed
        case SANE_STATUS_NO_DOCS: .noDocuments
        case SANE_STATUS_COVER_OPEN: .coverOpen
        case SANE_STATUS_IO_ERROR: .ioError
        case SANE_STATUS_DEVICE_BUSY: .deviceBusy
        case SANE_STATUS_CANCELLED: .cancelled
        case SANE_STATUS_ACCESS_DENIED: .accessDenied
        case SANE_STATUS_NO_MEM: .outOfMemory
        default: .other
        }
    }
}
