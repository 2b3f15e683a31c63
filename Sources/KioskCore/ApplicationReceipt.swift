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
