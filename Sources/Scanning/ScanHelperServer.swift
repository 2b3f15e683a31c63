import CSANE
import Foundation
import KioskCore

/// The body of kiosk-scan-helper: libsane in a process of its own, serving kioskd's requests on
/// standard input and answering on standard output (both the same socket kioskd made).
///
/// One thread reads requests: a cancel is acted on at once, anything else queued for SANE's thread,
/// which serves one request at a time. When kioskd goes (its socket closes, or it dies and the
/// kernel sends the parent-death signal) the helper goes too.
public enum ScanHelperServer {
    /// Serves until kioskd closes the socket; the process's exit status.
    public static func run() async -> Int32 {
        // Dies with kioskd even if kioskd is killed outright (kill -9 leaves no one to close the socket
        // cleanly when a read is blocked in a backend).
        _ = kiosk_sane_helper_dies_with_parent()
        if getppid() == 1 { return 0 }
        let socket = FrameSocket(descriptor: STDIN_FILENO)
        let answers = FrameSocket(descriptor: STDOUT_FILENO)
        let scanInProgress = CurrentCancellation()
        let (requests, continuation) = AsyncStream<(ScanHelperWire.Request, ScanCancellation)>.makeStream()
        let reader = Thread {
            readRequests(from: socket, scanInProgress: scanInProgress, into: continuation)
        }
        reader.name = "kiosk-scan-requests"
        reader.start()

        var device: SANEDevice?
        for await (request, cancellation) in requests {
            switch request {
            case let .status(wanted):
                guard let settings = wanted.scannerSettings else {
                    send(.refused(detail: "settings this helper does not know"), to: answers)
                    continue
                }
                let status = await SANEBackend.shared.status(for: settings)
                send(.status(state: status.state.rawValue, identity: status.identity, detail: status.detail), to: answers)
            case let .scan(wanted, feeder, maximumPages):
                guard let settings = wanted.scannerSettings else {
                    send(.refused(detail: "settings this helper does not know"), to: answers)
                    continue
                }
                if let device { await device.reconfigure(settings) } else { device = SANEDevice(settings: settings) }
                guard let device else { continue }
                await scan(with: device, feeder: feeder, maximumPages: maximumPages, cancellation: cancellation, answers: answers)
            case .close:
                await device?.close()
                send(.idle, to: answers)
            case .cancel:
                continue  // acted on by the reader
            }
        }
        return 0
    }

    private static func scan(with device: SANEDevice, feeder: Bool, maximumPages: Int, cancellation: ScanCancellation,
                             answers: FrameSocket) async {
        var ended: ScanHelperWire.Answer
        do throws(ScanFailure) {
            try await device.scan(feeder: feeder, cancellation: cancellation, maximumPages: maximumPages,
                                  pageRead: { page in
                                      let header = ScanHelperWire.Answer.page(width: page.width, height: page.height,
                                                                              rgb: page.format == .rgb, dotsPerInch: page.dotsPerInch)
                                      send(header, payload: page.pixels, to: answers)
                                  },
                                  progress: { bytes in send(.progress(bytes: bytes), to: answers) })
            ended = .ended(fault: nil, detail: "", deviceName: nil, scanWidth: 0, scanHeight: 0)
        } catch {
            ended = .ended(fault: error.fault.rawValue, detail: error.detail, deviceName: nil, scanWidth: 0, scanHeight: 0)
        }
        let area = await device.scanArea
        if case let .ended(fault, detail, _, _, _) = ended {
            ended = .ended(fault: fault, detail: detail, deviceName: await device.deviceName, scanWidth: area.width,
                           scanHeight: area.height)
        }
        // The outcome goes before the device is put to rest: the citizen hears it without waiting on
        // the backend's clean-up, and kioskd can tell a backend wedged in that clean-up from a slow scan.
        send(ended, to: answers)
        await device.endScan(cancellation: cancellation)
        send(.idle, to: answers)
    }

    /// Reads requests until kioskd closes the socket, then ends the stream (and so the helper).
    private static func readRequests(from socket: FrameSocket, scanInProgress: CurrentCancellation,
                                     into continuation: AsyncStream<(ScanHelperWire.Request, ScanCancellation)>.Continuation) {
        while true {
            guard case let .frame(header, _) = socket.receive(within: nil),
                  let request = try? JSONDecoder().decode(ScanHelperWire.Request.self, from: header) else {
                // Closed, or not our protocol: either way there is no one to serve.
                scanInProgress.current?.cancel()
                continuation.finish()
                return
            }
            if request == .cancel {
                scanInProgress.current?.cancel()
                continue
            }
            // The token exists before the request is queued, so a cancel that follows at once is not lost.
            let cancellation = ScanCancellation()
            scanInProgress.current = cancellation
            continuation.yield((request, cancellation))
        }
    }

    private static func send(_ answer: ScanHelperWire.Answer, payload: [UInt8] = [], to socket: FrameSocket) {
        guard let header = try? ScanHelperWire.encode(answer, payloadBytes: payload.count), socket.send(header, payload) else {
            // kioskd is gone; nothing is left to do. _exit: a backend thread may hold locks exit's
            // clean-up would wait on.
            _exit(0)
        }
    }
}

/// The token of the request most recently read. `@unchecked Sendable`: `token` is only touched
/// with `lock` held.
private final class CurrentCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var token: ScanCancellation?

    var current: ScanCancellation? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return token
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            token = newValue
        }
    }
}
