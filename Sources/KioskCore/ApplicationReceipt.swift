import Foundation

/// How the citizen receives the result of an application.
public enum DeliveryMethod: String, Sendable, Hashable, CaseIterable {
    /// At the counter of the public administration service centre.
    case atCounter = "counter"
    /// By public post (Vietnam Post's public-service delivery) to the address given.
    case byPost = "post"

    public var prompt: PromptKey {
        switch self {
        case .atCounter: .receiptDeliveryCounter
        case .byPost: .receiptDeliveryPost
        }
    }
}

/// What the citizen's receipt for an accepted application says. Nothing personal is printed: no
/// citizen ID, phone, name or address; the code is what finds the application again.
public struct ApplicationReceipt: Sendable, Hashable {
    public var applicationCode: String
    public var procedure: Procedure
    public var submittedAt: Date
    /// The documents received, as named in the procedure, and how many pages were scanned.
    public var documents: [LocalizedText]
    public var pageCount: Int
    public var expectedResultDate: LocalDate?
    public var delivery: DeliveryMethod
    public var hotline: String?

    public init(applicationCode: String, procedure: Procedure, submittedAt: Date, documents: [LocalizedText], pageCount: Int,
                expectedResultDate: LocalDate?, delivery: DeliveryMethod, hotline: String?) {
        self.applicationCode = applicationCode
        self.procedure = procedure
        self.submittedAt = submittedAt
        self.documents = documents
        self.pageCount = pageCount
        self.expectedResultDate = expectedResultDate
        self.delivery = delivery
        self.hotline = hotline
    }
}

/// Working days (Monday to Friday) as procedures count their processing time. Public holidays are
/// not known to the kiosk, so the date printed is the earliest the result can be expected.
public enum WorkingDays {
    /// The local date `days` working days after `instant`'s local date.
    public static func adding(_ days: Int, to instant: Date, timeZone: TimeZone) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.startOfDay(for: instant).addingTimeInterval(12 * 3600)
        var remaining = max(0, days)
        while remaining > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day
            let weekday = calendar.component(.weekday, from: day)
            if weekday != 1 && weekday != 7 { remaining -= 1 }
        }
        return LocalDate.containing(day, timeZone: timeZone)
    }
}
