import Foundation

/// A user-facing text of the kiosk: shown on screen and spoken. Texts may hold `{name}` placeholders.
public enum PromptKey: String, Sendable, CaseIterable, Hashable {
    case idleWelcome = "idle.welcome"
    case idlePressAnyKey = "idle.press_any_key"
    case idleOtherLanguage = "idle.other_language"
    case idleClosed = "idle.closed"
    case idleServicesOffered = "idle.services_offered"
    case idleNothingAvailable = "idle.nothing_available"
    case serviceTakeTicket = "service.take_ticket"
    case serviceSubmitApplication = "service.submit_application"
    case serviceLookUp = "service.look_up"
    case serviceHelp = "service.help"
    case menuTitle = "menu.title"
    case menuHints = "menu.hints"
    case choicePress = "choice.press"
    case keyHash = "key.hash"
    case keyStar = "key.star"
    case serviceChoiceTitle = "ticket.service_title"
    case priorityTitle = "ticket.priority_title"
    case priorityOrdinary = "priority.ordinary"
    case priorityElderly = "priority.elderly"
    case priorityDisabled = "priority.disabled"
    case priorityPregnant = "priority.pregnant"
    case priorityVeteran = "priority.veteran"
    case priorityChildUnderSix = "priority.child_under_6"
    case ticketPrinting = "ticket.printing"
    case ticketYourNumber = "ticket.your_number"
    case ticketService = "ticket.service"
    case ticketPriority = "ticket.priority"
    case ticketWaitingAhead = "ticket.waiting_ahead"
    case ticketNoneAhead = "ticket.none_ahead"
    case ticketTake = "ticket.take"
    case ticketFailedPaperOut = "ticket.failed_paper_out"
    case ticketFailedCoverOpen = "ticket.failed_cover_open"
    case ticketFailedPrinter = "ticket.failed_printer"
    case ticketRemember = "ticket.remember"
    case ticketReprint = "ticket.reprint"
    case ticketDone = "ticket.done"
    case ticketsUnavailable = "ticket.unavailable"
    case ticketsAvailableAgain = "ticket.available_again"
    case ticketLedgerFault = "ticket.ledger_fault"
    case ticketPrintedOnTicket = "ticket.printed_on_ticket"
    case ticketQueueNumberLabel = "ticket.queue_number_label"
    case ticketIssuedAt = "ticket.issued_at"
    case ticketPleaseWait = "ticket.please_wait"
    case helpTicketResult = "help.ticket_result"
    case scanJammed = "scan.jammed"
    case scanPlaceFirstPage = "scan.place_first_page"
    case scanPlaceStack = "scan.place_stack"
    case scanPagesDone = "scan.pages_done"
    case scanMorePageOrDone = "scan.more_page_or_done"
    case scanMoreStackOrDone = "scan.more_stack_or_done"
    case scanBackHint = "scan.back_hint"
    case scanInProgress = "scan.in_progress"
    case confirmPages = "application.confirm_pages"
    case helpScan = "help.scan"
    case receiptTitle = "receipt.title"
    case receiptCodeLabel = "receipt.code_label"
    case receiptProcedure = "receipt.procedure"
    case receiptSubmittedAt = "receipt.submitted_at"
    case receiptDocuments = "receipt.documents"
    case receiptPages = "receipt.pages"
    case receiptExpected = "receipt.expected"
    case receiptDelivery = "receipt.delivery"
    case receiptDeliveryCounter = "receipt.delivery_counter"
    case receiptDeliveryPost = "receipt.delivery_post"
    case receiptHotline = "receipt.hotline"
    case receiptFee = "receipt.fee"
    case receiptFree = "receipt.free"
    case receiptLookUp = "receipt.look_up"
    case receiptFailedPaperOut = "receipt.failed_paper_out"
    case receiptFailedPrinter = "receipt.failed_printer"
    case scanNoDocuments = "scan.no_documents"
    case scanCoverOpen = "scan.cover_open"
    case scanCancelled = "scan.cancelled"
    case scanBusy = "scan.busy"
    case scanFailed = "scan.failed"
    case procedureTitle = "application.procedure_title"
    case citizenIDTitle = "application.citizen_id_title"
    case phoneTitle = "application.phone_title"
    case inputHints = "input.hints"
    case inputDeleted = "input.deleted"
    case inputFull = "input.full"
    case inputEmpty = "input.empty"
    case citizenIDLength = "error.citizen_id_length"
    case phoneLength = "error.phone_length"
    case phonePrefix = "error.phone_prefix"
    case phoneNotDigits = "error.phone_not_digits"
    case citizenIDNotDigits = "error.citizen_id_not_digits"
    case citizenIDUnknownProvince = "error.citizen_id_unknown_province"
    case citizenIDFutureBirthYear = "error.citizen_id_future_birth_year"
    case citizenIDBirthYearMismatch = "error.citizen_id_birth_year_mismatch"
    case citizenIDGenderMismatch = "error.citizen_id_gender_mismatch"
    case cardQRNotCitizenCard = "error.card_qr_not_citizen_card"
    case cardQRIncomplete = "error.card_qr_incomplete"
    case cardQRBadDate = "error.card_qr_bad_date"
    case cardQRIDInvalid = "error.card_qr_id_invalid"
    case cardQRIDMismatch = "error.card_qr_id_mismatch"
    case cardQRNotFound = "error.card_qr_not_found"
    case cardQRSeveralCodes = "error.card_qr_several_codes"
    case cardQRUnreadable = "error.card_qr_unreadable"
    case cardScanCancelled = "error.card_scan_cancelled"
    case cardScanCoverOpen = "error.card_scan_cover_open"
    case cardScanBusy = "error.card_scan_busy"
    case cardScanFailed = "error.card_scan_failed"
    case identityTitle = "identity.title"
    case identityScanCard = "identity.scan_card"
    case identityTypeNumber = "identity.type_number"
    case identityHints = "identity.hints"
    case identityReading = "identity.reading"
    case identityConfirmTitle = "identity.confirm_title"
    case identityName = "identity.name"
    case identityBirthYear = "identity.birth_year"
    case identityNumberShown = "identity.number_shown"
    case identityNumberEndsWith = "identity.number_ends_with"
    case identityNumberOnScreen = "identity.number_on_screen"
    case identityConfirmHints = "identity.confirm_hints"
    case helpIdentity = "help.identity"
    case deliveryPostNeedsCard = "application.delivery_post_needs_card"
    case confirmDeliveryToCardAddress = "application.confirm_delivery_to_card_address"
    case confirmName = "application.confirm_name"
    case confirmTitle = "application.confirm_title"
    case confirmProcedure = "application.confirm_procedure"
    case confirmCitizenID = "application.confirm_citizen_id"
    case confirmPhone = "application.confirm_phone"
    case confirmHints = "application.confirm_hints"
    case applicationSending = "application.sending"
    case lookUpTitle = "look_up.title"
    case lookUpSearching = "look_up.searching"
    case helpTitle = "help.title"
    case helpKeys = "help.keys"
    case helpWelcome = "help.welcome"
    case helpMenu = "help.menu"
    case helpInput = "help.input"
    case helpPrivateInput = "help.private_input"
    case helpConfirm = "help.confirm"
    case helpWaiting = "help.waiting"
    case helpReturn = "help.return"
    case rateSlower = "speech.slower"
    case rateFaster = "speech.faster"
    case rateChanged = "speech.rate_changed"
    case volumeLevel = "speech.volume"
    case moreTimeTitle = "inactivity.more_time"
    case moreTimeHint = "inactivity.hint"
    case sessionEnded = "session.ended"
    case serviceUnavailable = "service.unavailable"
    case serviceFailedDevice = "service.failed_device"
    case back = "key.back"
    case noSuchChoice = "menu.no_such_choice"
    case maintenanceTitle = "maintenance.title"
    case maintenanceHint = "maintenance.hint"
    case maintenancePartial = "maintenance.partial"
    case statusReceived = "status.received"
    case statusInProcess = "status.in_process"
    case statusNeedsMoreDocuments = "status.needs_more_documents"
    case statusResultReady = "status.result_ready"
    case statusDelivered = "status.delivered"
    case lookUpResultTitle = "look_up.result_title"
    case lookUpStatusLine = "look_up.status_line"
    case lookUpNote = "look_up.note"
    case lookUpAsOf = "look_up.as_of"
    case lookUpWaitingToBeSent = "look_up.waiting_to_be_sent"
    case lookUpNotFound = "look_up.not_found"
    case lookUpCannotCheck = "look_up.cannot_check"
    case lookUpCodeMistyped = "look_up.code_mistyped"
    case lookUpCodeLength = "look_up.code_length"
    case lookUpResultHints = "look_up.result_hints"
    case deliveryTitle = "application.delivery_title"
    case confirmDelivery = "application.confirm_delivery"
    case applicationAcceptedTitle = "application.accepted_title"
    case applicationCodeLine = "application.code_line"
    case applicationReceiptPrinted = "application.receipt_printed"
    case applicationRememberCode = "application.remember_code"
    case applicationWillBeForwarded = "application.will_be_forwarded"
    case applicationAcceptedHints = "application.accepted_hints"
    case applicationStorageFault = "application.storage_fault"
}

/// Every text the citizen sees or hears, in Vietnamese and English. Keeping them in one table lets a
/// test prove no screen falls back to a missing language.
public enum PromptCatalog {
    public static let texts: [PromptKey: [Language: String]] = [
        .idleWelcome: [.vietnamese: "Xin chào quý khách", .english: "Welcome"],
        .idlePressAnyKey: [.vietnamese: "Nhấn phím bất kỳ để bắt đầu.", .english: "Press any key to start."],
        .idleOtherLanguage: [.vietnamese: "Nhấn phím ngôn ngữ để dùng tiếng Anh.",
                             .english: "Press the language key for Vietnamese."],
        .idleClosed: [.vietnamese: "Ngoài giờ làm việc. Các dịch vụ dưới đây vẫn dùng được.",
                      .english: "Outside opening hours. The services below still work."],
        .idleServicesOffered: [.vietnamese: "Dịch vụ:", .english: "Services:"],
        .idleNothingAvailable: [.vietnamese: "Ki-ốt tạm thời không phục vụ được. Xin lỗi quý khách.",
                                .english: "The kiosk cannot serve right now. We are sorry."],
        .serviceTakeTicket: [.vietnamese: "Lấy số thứ tự", .english: "Take a queue number"],
        .serviceSubmitApplication: [.vietnamese: "Nộp hồ sơ", .english: "Submit an application"],
        .serviceLookUp: [.vietnamese: "Tra cứu hồ sơ", .english: "Look up an application"],
        .serviceHelp: [.vietnamese: "Trợ giúp", .english: "Help"],
        .menuTitle: [.vietnamese: "Quý khách cần làm gì?", .english: "What would you like to do?"],
        .menuHints: [.vietnamese: "Chọn bằng phím số. Phím sao: nghe lại. Phím quay lại: trở về.",
                     .english: "Choose with a number key. Star: hear again. Back key: go back."],
        .choicePress: [.vietnamese: "Nhấn {key}: {label}.", .english: "Press {key}: {label}."],
        .keyHash: [.vietnamese: "phím thăng", .english: "hash"],
        .keyStar: [.vietnamese: "phím sao", .english: "star"],
        .serviceChoiceTitle: [.vietnamese: "Chọn lĩnh vực cần lấy số thứ tự",
                              .english: "Choose the service for your queue number"],
        .priorityTitle: [.vietnamese: "Quý khách có thuộc đối tượng ưu tiên không?",
                         .english: "Do you belong to a priority group?"],
        .priorityOrdinary: [.vietnamese: "Không ưu tiên", .english: "No priority"],
        .priorityElderly: [.vietnamese: "Người cao tuổi", .english: "Elderly person"],
        .priorityDisabled: [.vietnamese: "Người khuyết tật", .english: "Person with a disability"],
        .priorityPregnant: [.vietnamese: "Phụ nữ mang thai", .english: "Pregnant woman"],
        .priorityVeteran: [.vietnamese: "Người có công với cách mạng", .english: "Veteran or person of merit"],
        .priorityChildUnderSix: [.vietnamese: "Người đi cùng trẻ dưới sáu tuổi", .english: "Person with a child under six"],
        .ticketPrinting: [.vietnamese: "Đang in số thứ tự, xin chờ trong giây lát.",
                          .english: "Printing your queue number, please wait."],
        .ticketYourNumber: [.vietnamese: "Số thứ tự của quý khách là {number}", .english: "Your queue number is {number}"],
        .ticketService: [.vietnamese: "Lĩnh vực: {name}", .english: "Service: {name}"],
        .ticketPriority: [.vietnamese: "Ưu tiên: {name}", .english: "Priority: {name}"],
        .ticketWaitingAhead: [.vietnamese: "Có {count} người chờ trước quý khách", .english: "{count} people are waiting before you"],
        .ticketNoneAhead: [.vietnamese: "Không có ai chờ trước quý khách", .english: "Nobody is waiting before you"],
        .ticketTake: [.vietnamese: "Xin nhận vé ở khe in phía dưới và chờ gọi số.",
                      .english: "Please take your ticket from the slot below and wait to be called."],
        .ticketFailedPaperOut: [.vietnamese: "Máy in vé đã hết giấy nên không in được vé.",
                                .english: "The ticket printer is out of paper, so your ticket could not be printed."],
        .ticketFailedCoverOpen: [.vietnamese: "Nắp máy in vé đang mở nên không in được vé.",
                                 .english: "The ticket printer's cover is open, so your ticket could not be printed."],
        .ticketFailedPrinter: [.vietnamese: "Máy in vé đang gặp sự cố nên không in được vé.",
                               .english: "The ticket printer has a fault, so your ticket could not be printed."],
        .ticketRemember: [.vietnamese: "Số này vẫn là của quý khách. Xin ghi nhớ số và báo cho cán bộ tại quầy.",
                          .english: "This number is still yours. Please remember it and tell the staff at the counter."],
        .ticketReprint: [.vietnamese: "In lại vé", .english: "Print the ticket again"],
        .ticketDone: [.vietnamese: "Nhấn phím thăng khi xong.", .english: "Press hash when you are done."],
        .ticketsUnavailable: [.vietnamese: "Máy in vé tạm thời không dùng được nên chưa lấy được số thứ tự. Các dịch vụ khác vẫn dùng được.",
                              .english: "The ticket printer cannot be used right now, so queue numbers are not available. The other services still work."],
        .ticketsAvailableAgain: [.vietnamese: "Đã lấy được số thứ tự trở lại.", .english: "Queue numbers are available again."],
        .ticketLedgerFault: [.vietnamese: "Xin lỗi, ki-ốt tạm thời không cấp được số thứ tự. Quý khách vui lòng hỏi cán bộ tại quầy. Các dịch vụ khác vẫn dùng được.",
                             .english: "Sorry, the kiosk cannot give out queue numbers right now. Please ask the staff at the counter. The other services still work."],
        .ticketPrintedOnTicket: [.vietnamese: "Giữ vé này đến khi được gọi", .english: "Keep this ticket until you are called"],
        .ticketQueueNumberLabel: [.vietnamese: "SỐ THỨ TỰ", .english: "QUEUE NUMBER"],
        .ticketIssuedAt: [.vietnamese: "Lấy số lúc {time} ngày {date}", .english: "Taken at {time} on {date}"],
        .ticketPleaseWait: [.vietnamese: "Đang chờ trước: {count}", .english: "Waiting before you: {count}"],
        .helpTicketResult: [.vietnamese: "Màn hình này cho biết số thứ tự của quý khách. Phím sao để nghe lại số. Nếu vé chưa in được, nhấn phím một để in lại. Nhấn phím thăng khi xong.",
                            .english: "This screen tells you your queue number. Star says it again. If the ticket was not printed, press one to print it again. Press hash when you are done."],
        .scanJammed: [.vietnamese: "Giấy bị kẹt trong máy quét. Xin nhờ cán bộ hỗ trợ lấy giấy ra. Các trang đã quét vẫn được giữ.",
                      .english: "The paper is jammed in the scanner. Please ask the staff to take it out. The pages already scanned are kept."],
        .scanNoDocuments: [.vietnamese: "Máy quét không thấy giấy. Xin đặt giấy tờ vào rồi nhấn phím thăng.",
                           .english: "The scanner finds no paper. Please put your documents in, then press hash."],
        .scanCoverOpen: [.vietnamese: "Nắp máy quét đang mở. Xin đóng nắp lại rồi nhấn phím thăng. Các trang đã quét vẫn được giữ.",
                         .english: "The scanner's cover is open. Please close it, then press hash. The pages already scanned are kept."],
        .scanCancelled: [.vietnamese: "Đã dừng quét. Các trang đã quét vẫn được giữ.",
                         .english: "Scanning stopped. The pages already scanned are kept."],
        .scanBusy: [.vietnamese: "Máy quét đang bận. Xin chờ một chút rồi nhấn phím thăng để thử lại.",
                    .english: "The scanner is busy. Please wait a moment, then press hash to try again."],
        .scanFailed: [.vietnamese: "Máy quét đang gặp sự cố nên chưa quét được. Các trang đã quét vẫn được giữ.",
                      .english: "The scanner has a fault, so the page could not be scanned. The pages already scanned are kept."],
        .receiptTitle: [.vietnamese: "GIẤY TIẾP NHẬN HỒ SƠ", .english: "APPLICATION RECEIPT"],
        .receiptCodeLabel: [.vietnamese: "Mã hồ sơ", .english: "Application code"],
        .receiptProcedure: [.vietnamese: "Thủ tục: {name} ({code})", .english: "Procedure: {name} ({code})"],
        .receiptSubmittedAt: [.vietnamese: "Nộp lúc {time} ngày {date}", .english: "Submitted at {time} on {date}"],
        .receiptDocuments: [.vietnamese: "Giấy tờ đã nhận:", .english: "Documents received:"],
        .receiptPages: [.vietnamese: "Số trang đã quét: {count}", .english: "Pages scanned: {count}"],
        .receiptExpected: [.vietnamese: "Ngày hẹn trả kết quả: {date}", .english: "Result expected on: {date}"],
        .receiptDelivery: [.vietnamese: "Nhận kết quả: {method}", .english: "Result delivered: {method}"],
        .receiptDeliveryCounter: [.vietnamese: "tại quầy Bộ phận một cửa", .english: "at the one-stop counter"],
        .receiptDeliveryPost: [.vietnamese: "qua dịch vụ bưu chính công ích", .english: "by public post"],
        .receiptHotline: [.vietnamese: "Đường dây nóng: {number}", .english: "Hotline: {number}"],
        .receiptFee: [.vietnamese: "Lệ phí: {amount}", .english: "Fee: {amount}"],
        .receiptFree: [.vietnamese: "Lệ phí: miễn phí", .english: "Fee: free of charge"],
        .receiptLookUp: [.vietnamese: "Tra cứu tình trạng hồ sơ bằng mã trên tại ki-ốt hoặc Cổng dịch vụ công.",
                         .english: "Look up the application's status with this code at a kiosk or on the public service portal."],
        .receiptFailedPaperOut: [.vietnamese: "Máy in biên nhận đã hết giấy nên chưa in được giấy tiếp nhận. Hồ sơ của quý khách đã được lưu; xin ghi nhớ mã hồ sơ.",
                                 .english: "The receipt printer is out of paper, so your receipt could not be printed. Your application is saved; please note its code."],
        .receiptFailedPrinter: [.vietnamese: "Máy in biên nhận đang gặp sự cố nên chưa in được giấy tiếp nhận. Hồ sơ của quý khách đã được lưu; xin ghi nhớ mã hồ sơ.",
                                .english: "The receipt printer has a fault, so your receipt could not be printed. Your application is saved; please note its code."],
        .scanPlaceFirstPage: [.vietnamese: "Đặt trang giấy tờ thứ nhất úp mặt xuống mặt kính máy quét, rồi nhấn phím thăng.",
                              .english: "Place the first page face down on the scanner glass, then press hash."],
        .scanPlaceStack: [.vietnamese: "Đặt xấp giấy tờ vào khay nạp giấy của máy quét, rồi nhấn phím thăng.",
                          .english: "Put your documents in the scanner's feeder tray, then press hash."],
        .scanPagesDone: [.vietnamese: "Đã quét {count} trang", .english: "Pages scanned: {count}"],
        .scanMorePageOrDone: [.vietnamese: "Đặt trang tiếp theo rồi nhấn phím thăng để quét thêm, hoặc nhấn phím không khi xong.",
                              .english: "Place the next page and press hash to scan it, or press zero when you are done."],
        .scanMoreStackOrDone: [.vietnamese: "Nhấn phím thăng để quét thêm giấy tờ, hoặc nhấn phím không khi xong.",
                               .english: "Press hash to scan more documents, or press zero when you are done."],
        .scanBackHint: [.vietnamese: "Phím quay lại: trở về.", .english: "Back key: go back."],
        .scanInProgress: [.vietnamese: "Đang quét, xin chờ. Phím quay lại để dừng quét.", .english: "Scanning, please wait. The back key stops it."],
        .confirmPages: [.vietnamese: "Giấy tờ đã quét: {count} trang", .english: "Pages scanned: {count}"],
        .helpScan: [.vietnamese: "Máy quét chụp giấy tờ của quý khách để gửi cùng hồ sơ. Quét từng trang bằng phím thăng; nhấn phím không khi đã quét xong. Nếu có sự cố, các trang đã quét vẫn được giữ.",
                    .english: "The scanner copies your documents to send with the application. Scan each page with hash; press zero when all are scanned. If something goes wrong, the pages already scanned are kept."],
        .procedureTitle: [.vietnamese: "Chọn thủ tục cần nộp hồ sơ", .english: "Choose the procedure to apply for"],
        .citizenIDTitle: [.vietnamese: "Nhập số định danh cá nhân gồm mười hai chữ số, rồi nhấn phím thăng.",
                          .english: "Type your twelve-digit personal identification number, then press hash."],
        .phoneTitle: [.vietnamese: "Nhập số điện thoại di động, rồi nhấn phím thăng.",
                      .english: "Type your mobile phone number, then press hash."],
        .inputHints: [.vietnamese: "Phím quay lại: xóa chữ số cuối. Phím thăng: xác nhận.",
                      .english: "Back key: delete the last digit. Hash: confirm."],
        .inputDeleted: [.vietnamese: "Đã xóa một chữ số.", .english: "Last digit deleted."],
        .inputFull: [.vietnamese: "Đã đủ số chữ số. Nhấn phím thăng để xác nhận.",
                     .english: "No more digits fit. Press hash to confirm."],
        .inputEmpty: [.vietnamese: "Quý khách chưa nhập chữ số nào.", .english: "You have not typed any digits."],
        .citizenIDLength: [.vietnamese: "Số định danh cá nhân phải có mười hai chữ số; quý khách đã nhập {count}.",
                           .english: "The personal identification number has twelve digits; you typed {count}."],
        .phoneLength: [.vietnamese: "Số điện thoại di động phải có mười chữ số; quý khách đã nhập {count}.",
                       .english: "A mobile phone number has ten digits; you typed {count}."],
        .phonePrefix: [.vietnamese: "Đầu số này không phải số di động Việt Nam. Số di động bắt đầu bằng không ba, không năm, không bảy, không tám hoặc không chín.",
                       .english: "This is not a Vietnamese mobile number. Mobile numbers start with zero three, zero five, zero seven, zero eight or zero nine."],
        .phoneNotDigits: [.vietnamese: "Số điện thoại chỉ gồm các chữ số. Xin nhập lại bằng các phím số.",
                          .english: "A phone number is made of digits only. Please type it again with the number keys."],
        .citizenIDNotDigits: [.vietnamese: "Số định danh cá nhân chỉ gồm các chữ số, không có chữ cái hay dấu. Xin nhập lại bằng các phím số.",
                              .english: "The personal identification number is made of digits only, with no letters or signs. Please type it again with the number keys."],
        .citizenIDUnknownProvince: [.vietnamese: "Ba chữ số đầu của số định danh cá nhân là mã tỉnh, thành phố nơi đăng ký khai sinh, nhưng ba chữ số vừa nhập không phải mã tỉnh nào. Xin xem lại số trên thẻ căn cước và nhập lại.",
                                    .english: "The first three digits of the personal identification number are the code of the province where your birth was registered, and the ones typed are no province's code. Please look at the number on your identity card and type it again."],
        .citizenIDFutureBirthYear: [.vietnamese: "Chữ số thứ tư đến thứ sáu của số định danh cá nhân cho biết năm sinh, nhưng theo các chữ số vừa nhập thì năm sinh là một năm chưa đến. Xin xem lại số trên thẻ căn cước và nhập lại.",
                                    .english: "The fourth to sixth digits of the personal identification number give the year of birth, and the ones typed give a year still to come. Please look at the number on your identity card and type it again."],
        .citizenIDBirthYearMismatch: [.vietnamese: "Số định danh cá nhân không khớp với năm sinh trên thẻ căn cước. Xin xem lại từng chữ số và nhập lại.",
                                      .english: "The personal identification number does not match the year of birth on the identity card. Please check each digit and type it again."],
        .citizenIDGenderMismatch: [.vietnamese: "Số định danh cá nhân không khớp với giới tính trên thẻ căn cước. Xin xem lại từng chữ số và nhập lại.",
                                   .english: "The personal identification number does not match the gender on the identity card. Please check each digit and type it again."],
        .cardQRNotCitizenCard: [.vietnamese: "Mã QR này không phải mã trên thẻ căn cước. Xin đặt thẻ căn cước lên mặt kính, mặt có mã QR úp xuống, rồi nhấn phím thăng.",
                                .english: "This QR code is not the one on an identity card. Please place your identity card on the glass with its QR code face down, then press hash."],
        .cardQRIncomplete: [.vietnamese: "Mã QR trên thẻ căn cước thiếu thông tin nên ki-ốt chưa dùng được. Quý khách vui lòng nhập số định danh cá nhân bằng bàn phím.",
                            .english: "The QR code on the identity card is missing some details, so the kiosk cannot use it. Please type your personal identification number on the keypad."],
        .cardQRBadDate: [.vietnamese: "Ngày tháng trong mã QR trên thẻ căn cước không hợp lệ nên ki-ốt chưa dùng được. Quý khách vui lòng nhập số định danh cá nhân bằng bàn phím.",
                         .english: "A date in the QR code on the identity card is not valid, so the kiosk cannot use it. Please type your personal identification number on the keypad."],
        .cardQRIDInvalid: [.vietnamese: "Số định danh trong mã QR trên thẻ căn cước không hợp lệ nên ki-ốt chưa dùng được. Quý khách vui lòng nhờ cán bộ tại quầy hỗ trợ.",
                           .english: "The identification number in the identity card's QR code is not valid, so the kiosk cannot use it. Please ask the staff at the counter for help."],
        .cardQRIDMismatch: [.vietnamese: "Số định danh trong mã QR không khớp với ngày sinh hoặc giới tính trên thẻ căn cước. Quý khách vui lòng nhờ cán bộ tại quầy hỗ trợ.",
                            .english: "The identification number in the QR code does not match the date of birth or gender on the identity card. Please ask the staff at the counter for help."],
        .cardQRNotFound: [.vietnamese: "Không thấy mã QR trên trang vừa quét. Xin đặt thẻ căn cước lên mặt kính, mặt có mã QR úp xuống, rồi nhấn phím thăng.",
                          .english: "No QR code was found on the scanned page. Please place your identity card on the glass with its QR code face down, then press hash."],
        .cardQRSeveralCodes: [.vietnamese: "Trang vừa quét có nhiều hơn một mã QR. Xin chỉ đặt một thẻ căn cước lên mặt kính, rồi nhấn phím thăng.",
                              .english: "The scanned page has more than one QR code. Please place only your identity card on the glass, then press hash."],
        .cardQRUnreadable: [.vietnamese: "Mã QR trên thẻ căn cước bị mờ hoặc hỏng nên không đọc được. Xin đặt lại thẻ rồi nhấn phím thăng, hoặc nhập số định danh cá nhân bằng bàn phím.",
                            .english: "The QR code on the identity card is blurred or damaged and cannot be read. Please place the card again and press hash, or type your personal identification number on the keypad."],
        .cardScanCancelled: [.vietnamese: "Đã dừng đọc thẻ căn cước.",
                             .english: "Reading the identity card was stopped."],
        .cardScanCoverOpen: [.vietnamese: "Nắp máy quét đang mở. Xin đóng nắp lên thẻ căn cước rồi nhấn phím thăng để đọc lại thẻ.",
                             .english: "The scanner lid is open. Please close it over the identity card, then press hash to read the card again."],
        .cardScanBusy: [.vietnamese: "Máy quét đang bận. Xin chờ một chút rồi nhấn phím thăng để đọc lại thẻ.",
                        .english: "The scanner is busy. Please wait a moment, then press hash to read the card again."],
        .cardScanFailed: [.vietnamese: "Máy quét đang gặp sự cố nên chưa đọc được thẻ căn cước. Quý khách vui lòng nhấn phím hai để nhập số định danh cá nhân bằng bàn phím.",
                          .english: "The scanner has a fault, so the identity card cannot be read now. Please press two to type your personal identification number on the keypad."],
        .identityTitle: [.vietnamese: "Cho ki-ốt biết số định danh cá nhân của quý khách",
                         .english: "Tell the kiosk your personal identification number"],
        .identityScanCard: [.vietnamese: "Quét thẻ căn cước: đặt mặt trước của thẻ, mặt có mã QR, úp xuống mặt kính máy quét",
                            .english: "Scan your identity card: place its front side, with the QR code, face down on the scanner glass"],
        .identityTypeNumber: [.vietnamese: "Nhập số định danh cá nhân bằng bàn phím",
                              .english: "Type your personal identification number on the keypad"],
        .identityHints: [.vietnamese: "Phím thăng: quét thẻ. Phím sao: nghe lại. Phím quay lại: trở về.",
                         .english: "Hash: scan the card. Star: repeat. Back key: go back."],
        .identityReading: [.vietnamese: "Đang đọc mã QR trên thẻ căn cước, xin chờ. Phím quay lại để dừng.",
                           .english: "Reading the QR code on your identity card, please wait. The back key stops it."],
        .identityConfirmTitle: [.vietnamese: "Thông tin đọc từ thẻ căn cước", .english: "Details read from your identity card"],
        .identityName: [.vietnamese: "Họ và tên: {name}", .english: "Full name: {name}"],
        .identityBirthYear: [.vietnamese: "Năm sinh: {year}", .english: "Year of birth: {year}"],
        .identityNumberShown: [.vietnamese: "Số định danh cá nhân: {digits}", .english: "Personal identification number: {digits}"],
        .identityNumberEndsWith: [.vietnamese: "Bốn chữ số cuối của số định danh cá nhân: {digits}",
                                  .english: "The last four digits of your personal identification number: {digits}"],
        .identityNumberOnScreen: [.vietnamese: "Bốn chữ số cuối của số định danh cá nhân hiện trên màn hình.",
                                  .english: "The last four digits of your personal identification number are on the screen."],
        .identityConfirmHints: [.vietnamese: "Nếu đúng, nhấn phím thăng. Nhấn phím một để quét lại thẻ, phím hai để nhập số bằng bàn phím.",
                                .english: "If this is you, press hash. Press one to scan the card again, two to type the number instead."],
        .helpIdentity: [.vietnamese: "Ki-ốt cần số định danh cá nhân của quý khách. Cách nhanh nhất: đặt thẻ căn cước lên mặt kính máy quét, mặt trước có mã QR úp xuống, rồi nhấn phím một; ki-ốt đọc mã QR trên thẻ và không lưu hình ảnh của thẻ. Hoặc nhấn phím hai để nhập mười hai chữ số bằng bàn phím.",
                        .english: "The kiosk needs your personal identification number. The quickest way: place your identity card on the scanner glass, its front side with the QR code face down, then press one; the kiosk reads the card's QR code and keeps no picture of the card. Or press two to type the twelve digits on the keypad."],
        .deliveryPostNeedsCard: [.vietnamese: "Nhận kết quả qua bưu chính cần địa chỉ ghi trên thẻ căn cước; ki-ốt chỉ biết địa chỉ này khi quý khách quét thẻ ở bước số định danh cá nhân.",
                                 .english: "Receiving the result by post needs the address on your identity card, which the kiosk only knows when you scan the card at the identification step."],
        .confirmDeliveryToCardAddress: [.vietnamese: "Nhận kết quả: {method}, gửi đến địa chỉ thường trú ghi trên thẻ căn cước",
                                        .english: "Result: {method}, sent to the permanent address on your identity card"],
        .confirmName: [.vietnamese: "Họ và tên: {name}", .english: "Full name: {name}"],
        .confirmTitle: [.vietnamese: "Kiểm tra trước khi gửi hồ sơ", .english: "Check before sending"],
        .confirmProcedure: [.vietnamese: "Thủ tục: {name}", .english: "Procedure: {name}"],
        .confirmCitizenID: [.vietnamese: "Số định danh cá nhân: {count}", .english: "Personal identification number: {count}"],
        .confirmPhone: [.vietnamese: "Số điện thoại: {count}", .english: "Phone number: {count}"],
        .confirmHints: [.vietnamese: "Nhấn phím thăng để gửi hồ sơ, phím quay lại để sửa.",
                        .english: "Press hash to send, the back key to correct."],
        .applicationSending: [.vietnamese: "Đang gửi hồ sơ, xin chờ trong giây lát.",
                              .english: "Sending your application, please wait."],
        .lookUpTitle: [.vietnamese: "Nhập mã hồ sơ in trên giấy biên nhận, rồi nhấn phím thăng.",
                       .english: "Type the application code printed on your receipt, then press hash."],
        .lookUpSearching: [.vietnamese: "Đang tra cứu, xin chờ trong giây lát.", .english: "Looking it up, please wait."],
        .helpTitle: [.vietnamese: "Trợ giúp", .english: "Help"],
        .helpKeys: [.vietnamese: "Phím số để chọn. Phím thăng để xác nhận. Phím sao để nghe lại. Phím quay lại để trở về. Hai phím âm lượng để nghe to hơn hoặc nhỏ hơn. Phím ngôn ngữ để đổi sang tiếng Anh.",
                    .english: "Number keys choose. Hash confirms. Star repeats. The back key goes back. The two volume keys make the voice louder or quieter. The language key changes to Vietnamese."],
        .helpWelcome: [.vietnamese: "Đây là ki-ốt dịch vụ công. Nhấn phím bất kỳ để bắt đầu.",
                       .english: "This is a public service kiosk. Press any key to start."],
        .helpMenu: [.vietnamese: "Màn hình này liệt kê các lựa chọn. Nhấn phím số ứng với lựa chọn của quý khách.",
                    .english: "This screen lists your choices. Press the number key of the one you want."],
        .helpInput: [.vietnamese: "Nhập các chữ số bằng bàn phím, rồi nhấn phím thăng. Phím quay lại xóa chữ số cuối.",
                     .english: "Type the digits on the keypad, then press hash. The back key deletes the last digit."],
        .helpPrivateInput: [.vietnamese: "Để giữ bí mật, các chữ số được che trên màn hình và không đọc to; ki-ốt chỉ đọc số chữ số đã nhập.",
                            .english: "To keep them private, the digits are hidden on screen and not read aloud; the kiosk only says how many you typed."],
        .helpConfirm: [.vietnamese: "Kiểm tra thông tin. Nhấn phím thăng để gửi, phím quay lại để sửa.",
                       .english: "Check the details. Press hash to send, or the back key to correct them."],
        .helpWaiting: [.vietnamese: "Ki-ốt đang làm việc. Xin chờ.", .english: "The kiosk is working. Please wait."],
        .helpReturn: [.vietnamese: "Nhấn phím thăng để trở lại.", .english: "Press hash to return."],
        .rateSlower: [.vietnamese: "Nói chậm hơn", .english: "Speak slower"],
        .rateFaster: [.vietnamese: "Nói nhanh hơn", .english: "Speak faster"],
        .rateChanged: [.vietnamese: "Tốc độ đọc đã thay đổi.", .english: "Speech speed changed."],
        .volumeLevel: [.vietnamese: "Âm lượng {level}.", .english: "Volume {level}."],
        .moreTimeTitle: [.vietnamese: "Quý khách có cần thêm thời gian không?", .english: "Do you need more time?"],
        .moreTimeHint: [.vietnamese: "Nhấn phím bất kỳ để tiếp tục.", .english: "Press any key to continue."],
        .sessionEnded: [.vietnamese: "Phiên giao dịch đã kết thúc. Thông tin quý khách đã nhập đã được xóa.",
                        .english: "The session has ended. What you typed has been erased."],
        .serviceUnavailable: [.vietnamese: "Xin lỗi, dịch vụ này hiện chưa sẵn sàng tại ki-ốt. Quý khách vui lòng chọn dịch vụ khác.",
                              .english: "Sorry, this service is not available at this kiosk right now. Please choose another one."],
        .serviceFailedDevice: [.vietnamese: "Xin lỗi, thiết bị đang gặp sự cố nên chưa thực hiện được. Các dịch vụ khác vẫn dùng được.",
                               .english: "Sorry, a device has a fault, so this could not be done. The other services still work."],
        .back: [.vietnamese: "Quay lại", .english: "Back"],
        .noSuchChoice: [.vietnamese: "Không có lựa chọn {key}.", .english: "There is no choice {key}."],
        .maintenanceTitle: [.vietnamese: "Ki-ốt đang được bảo trì", .english: "The kiosk is under maintenance"],
        .maintenancePartial: [.vietnamese: "Một số dịch vụ đang tạm dừng để bảo trì.",
                              .english: "Some services are paused for maintenance."],
        .maintenanceHint: [.vietnamese: "Xin quý khách vui lòng quay lại sau. Xin lỗi vì sự bất tiện này.",
                           .english: "Please come back later. We are sorry for the inconvenience."],
        .statusReceived: [.vietnamese: "Đã tiếp nhận", .english: "Received"],
        .statusInProcess: [.vietnamese: "Đang giải quyết", .english: "Being processed"],
        .statusNeedsMoreDocuments: [.vietnamese: "Cần bổ sung giấy tờ", .english: "More documents are needed"],
        .statusResultReady: [.vietnamese: "Đã có kết quả", .english: "The result is ready"],
        .statusDelivered: [.vietnamese: "Đã trả kết quả", .english: "The result has been handed over"],
        .lookUpResultTitle: [.vietnamese: "Hồ sơ {code}", .english: "Application {code}"],
        .lookUpStatusLine: [.vietnamese: "Tình trạng: {status}.", .english: "Status: {status}."],
        .lookUpNote: [.vietnamese: "Ghi chú của cơ quan giải quyết: {note}", .english: "Note from the office: {note}"],
        .lookUpAsOf: [.vietnamese: "Chưa kết nối được Cổng dịch vụ công, đây là tình trạng ki-ốt biết lúc {time}.",
                      .english: "The portal cannot be reached now; this is the status the kiosk knew at {time}."],
        .lookUpWaitingToBeSent: [.vietnamese: "Ki-ốt đã nhận hồ sơ này lúc {time} và sẽ tự chuyển lên Cổng dịch vụ công ngay khi có kết nối. Hồ sơ không bị mất.",
                                 .english: "This kiosk took the application at {time} and will send it to the portal by itself as soon as it is connected. It will not be lost."],
        .lookUpNotFound: [.vietnamese: "Không tìm thấy hồ sơ có mã này. Xin kiểm tra lại mã in trên giấy biên nhận.",
                          .english: "No application has this code. Please check the code printed on your receipt."],
        .lookUpCannotCheck: [.vietnamese: "Chưa tra cứu được lúc này vì không kết nối được Cổng dịch vụ công. Xin thử lại sau.",
                             .english: "This cannot be checked right now: the portal cannot be reached. Please try again later."],
        .lookUpCodeMistyped: [.vietnamese: "Mã này có một chữ số chưa đúng. Xin so lại với mã in trên giấy biên nhận.",
                              .english: "One digit of this code is wrong. Please compare it with the code on your receipt."],
        .lookUpCodeLength: [.vietnamese: "Mã hồ sơ in trên biên nhận của ki-ốt có mười sáu chữ số; quý khách đã nhập {count}.",
                            .english: "The code on a kiosk receipt has sixteen digits; you typed {count}."],
        .lookUpResultHints: [.vietnamese: "Nhấn phím thăng để tra mã khác, phím quay lại để về trình đơn.",
                             .english: "Press hash to look up another code, the back key for the menu."],
        .deliveryTitle: [.vietnamese: "Quý khách muốn nhận kết quả ở đâu?", .english: "Where would you like to receive the result?"],
        .confirmDelivery: [.vietnamese: "Nhận kết quả: {method}", .english: "Result: {method}"],
        .applicationAcceptedTitle: [.vietnamese: "Ki-ốt đã nhận hồ sơ", .english: "Your application has been received"],
        .applicationCodeLine: [.vietnamese: "Mã hồ sơ: {code}", .english: "Application code: {code}"],
        .applicationReceiptPrinted: [.vietnamese: "Giấy biên nhận đã in xong, xin quý khách lấy giấy biên nhận.",
                                     .english: "Your receipt has been printed; please take it."],
        .applicationRememberCode: [.vietnamese: "Xin ghi lại mã hồ sơ để tra cứu.", .english: "Please write the code down to look the application up."],
        .applicationWillBeForwarded: [.vietnamese: "Hồ sơ đã được lưu an toàn và sẽ được chuyển lên Cổng dịch vụ công.",
                                      .english: "The application is stored safely and will be sent to the portal."],
        .applicationAcceptedHints: [.vietnamese: "Nhấn phím sao để nghe lại mã. Nhấn phím thăng để kết thúc.",
                                    .english: "Press star to hear the code again. Press hash to finish."],
        .applicationStorageFault: [.vietnamese: "Xin lỗi, lúc này ki-ốt không lưu được hồ sơ nên chưa nhận hồ sơ của quý khách. Thông tin quý khách đã nhập không được lưu lại. Xin nộp tại quầy hoặc thử lại sau.",
                                   .english: "Sorry, the kiosk cannot store applications right now, so it could not take yours. Nothing you entered has been kept. Please apply at a counter or try again later."],
    ]

    /// The text of `key` in `language`, with `{name}` placeholders filled from `values`.
    public static func text(_ key: PromptKey, in language: Language, _ values: [String: String] = [:]) -> String {
        var text = texts[key]?[language] ?? texts[key]?[.vietnamese] ?? key.rawValue
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }
}
