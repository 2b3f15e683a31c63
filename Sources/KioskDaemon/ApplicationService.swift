import Foundation
import KioskCore
import Logging
import Portal
import PortalAPI
import Printing
import Scanning
import ServiceLifecycle

/// Takes citizens' applications: records each in the encrypted outbox before anything is promised,
/// prints its receipt, and runs the forwarder that hands the outbox to the national portal.
/// Also answers status look-ups. When the profile offers no procedures, or the outbox cannot be
/// opened (no key, unwritable folder), applications are refused with the reason in the log and
/// `kioskctl status`, and every other function keeps working.
final class ApplicationService: Service, Sendable {
    private let logger: Logger
    let outbox: Outbox?
    private let client: PortalClient?
    /// When the portal last answered anything; nil before its first answer or without a portal.
    var lastPortalAnswer: Date? { client?.lastAnsweredAt }
    let forwarder: Forwarder?
    let statusLookUp: ApplicationStatusLookUp
    /// Why applications cannot be taken here, when they cannot.
    let unavailableReason: String?
    private let receiptPrinter: CUPSReceiptPrinter

    init(profile: KioskProfile, stateDirectory: String, receiptPrinter: CUPSReceiptPrinter, logger: Logger) {
        self.logger = logger
        self.receiptPrinter = receiptPrinter
        var outbox: Outbox?
        var client: PortalClient?
        var reason: String?
        if profile.procedures.isEmpty {
            reason = "the profile offers no procedures"
        } else if let portal = profile.portal, let keySource = profile.privacy.encryptionKeySource,
                  let number = profile.identity.number {
            do {
                let sealer = try PersonalDataSealer.load(keySource)
                outbox = try Outbox(directory: stateDirectory + "/outbox", kioskID: profile.identity.id, kioskNumber: number,
                                    timeZone: profile.timeZone, sealer: sealer)
                client = try PortalClient(settings: portal)
            } catch {
                reason = error.detail
            }
        } else {
            reason = "the profile lacks a portal, an encryption key or the kiosk number"
        }
        self.outbox = outbox
        self.client = client
        forwarder = outbox.flatMap { outbox in
            client.map { Forwarder(outbox: outbox, client: $0, retentionDays: profile.privacy.retentionDeliveredDays, logger: logger) }
        }
        statusLookUp = ApplicationStatusLookUp(outbox: outbox, client: client, logger: logger)
        unavailableReason = reason
        if let reason, !profile.procedures.isEmpty {
            logger.error("applications cannot be taken", metadata: ["reason": "\(reason)"])
        }
    }

    /// Records the application, then prints its receipt. The receipt is printed only once the
    /// outbox has committed the application: a receipt in a citizen's hand is a promise the disk keeps.
    func submit(_ draft: ApplicationDraft, pages: [EncodedPage], profile: KioskProfile,
                language: Language) async -> Result<(code: String, receipt: ReceiptPrintOutcome), FunctionFailure> {
        guard let outbox, let procedure = profile.procedures.first(where: { $0.code == draft.procedureCode }) else {
            logger.warning("application refused", metadata: ["reason": "\(unavailableReason ?? "unknown procedure")"])
            return .failure(.notAvailableHere)
        }
        let delivery = draft.delivery ?? .atCounter
        let intake: ApplicationIntake
        do {
            let pdf = try PageEncoder.pdf(pages)
            intake = ApplicationIntake(procedureCode: procedure.code,
                                       applicant: .init(citizenID: draft.citizenID, fullName: draft.fullName,
                                                        dateOfBirth: draft.dateOfBirth?.description, gender: draft.gender?.rawValue,
                                                        phone: draft.phone.isEmpty ? nil : draft.phone, address: draft.address),
                                       delivery: .init(method: delivery.rawValue, address: delivery == .byPost ? draft.postAddress : nil),
                                       attachments: [.init(fileName: "documents.pdf", mediaType: "application/pdf", content: pdf)])
        } catch {
            logger.error("application pages could not be assembled", metadata: ["detail": "\(error.detail)"])
            return .failure(.deviceFault(.scanner))
        }
        let accepted: AcceptedApplication
        do {
            accepted = try await outbox.accept(intake, at: Date())
        } catch {
            logger.error("application not recorded", metadata: ["detail": "\(error.detail)"])
            return .failure(.storageFault)
        }
        forwarder?.wake()
        KioskMetrics.countAcceptedApplication(procedure: procedure.code)
        logger.info("application accepted", metadata: ["code": "\(accepted.code)", "procedure": "\(procedure.code)",
                                                      "pages": "\(pages.count)"])
        let receipt = ApplicationReceipt(
            applicationCode: accepted.code.digits, procedure: procedure, submittedAt: accepted.acceptedAt,
            documents: procedure.requiredDocuments, pageCount: pages.count,
            expectedResultDate: procedure.processingDays.map { WorkingDays.adding($0, to: accepted.acceptedAt, timeZone: profile.timeZone) },
            delivery: delivery, hotline: nil)
        return .success((accepted.code.digits, await printReceipt(receipt, profile: profile, language: language)))
    }

    private func printReceipt(_ receipt: ApplicationReceipt, profile: KioskProfile, language: Language) async -> ReceiptPrintOutcome {
        guard let settings = profile.devices.receiptPrinter else { return .notPrinted(.offline) }
        do {
            let layout = ReceiptLayout.layout(for: receipt, profile: profile, language: language,
                                              rollWidthMillimetres: settings.rollWidthMillimetres)
            let job = try await receiptPrinter.print(pdf: try SlipPDF.render(layout), title: "receipt \(receipt.applicationCode)",
                                                     settings: settings)
            logger.info("receipt printed", metadata: ["code": "\(receipt.applicationCode)", "job": "\(job)"])
            return .printed
        } catch let error as ReceiptPrintError {
            logger.warning("receipt not printed", metadata: ["code": "\(receipt.applicationCode)", "failure": "\(error.failure.rawValue)",
                                                            "detail": "\(error.detail)"])
            return .notPrinted(error.failure)
        } catch {
            logger.warning("receipt not printed", metadata: ["code": "\(receipt.applicationCode)", "detail": "\(error)"])
            return .notPrinted(.refused)
        }
    }

    func lookUp(code: String) async -> ApplicationLookUpResult {
        await statusLookUp.lookUp(code: code)
    }

    /// Runs the forwarder until shutdown, then closes the portal connections.
    func run() async throws {
        if let forwarder {
            await cancelWhenGracefulShutdown { await forwarder.run() }
        } else {
            try? await gracefulShutdown()
        }
        await client?.shutdown()
    }
}
