import Foundation
import GRDB
import PortalAPI

/// One filed application as the simulator remembers it: identifiers, when it was filed, the status
/// an office clerk set by hand (if any) and counts. No personal data: that stays in the database.
struct ApplicationRecord: Sendable {
    let portalCode: String
    let kioskCode: String
    let idempotencyKey: String
    let fingerprint: String
    let filedAt: Date
    let statusOverride: StatusOverride?
    let attachmentCount: Int
    let postRequests: Int

    /// A status set through the admin API, and when.
    struct StatusOverride: Sendable {
        let status: PortalStatus
        let note: String?
        let at: Date
    }

    /// The SELECT that `init(row:)` reads.
    static let selection = """
        SELECT portalCode, kioskCode, idempotencyKey, fingerprint, filedAt, overrideStatus, overrideNote, overrideAt,
               (SELECT COUNT(*) FROM attachment WHERE attachment.applicationId = application.id) AS attachmentCount,
               COALESCE((SELECT count FROM postRequest WHERE postRequest.idempotencyKey = application.idempotencyKey), 0)
                   AS postRequests
        FROM application
        """

    init(row: Row) {
        portalCode = row["portalCode"]
        kioskCode = row["kioskCode"]
        idempotencyKey = row["idempotencyKey"]
        fingerprint = row["fingerprint"]
        filedAt = Date(timeIntervalSince1970: row["filedAt"])
        if let raw: String = row["overrideStatus"], let status = PortalStatus(rawValue: raw) {
            let overrideAt: Double? = row["overrideAt"]
            statusOverride = StatusOverride(status: status, note: row["overrideNote"],
                                            at: overrideAt.map(Date.init(timeIntervalSince1970:)) ?? filedAt)
        } else {
            statusOverride = nil
        }
        attachmentCount = row["attachmentCount"]
        postRequests = row["postRequests"]
    }
}
