import CEvdev
import Foundation
import KioskCore

/// A USB keypad read through the Linux input layer with libevdev, mapped by the profile's key map
/// (`KEY_KP1`, `KEY_KPENTER`…). The device is grabbed so its keys reach only the kiosk, not the
/// console behind it. Unplugged, it is reopened every two seconds until it comes back, and each
/// change is reported so the technician sees it.
public final class EvdevKeys: @unchecked Sendable {
    // @unchecked: the reading thread owns every libevdev object; `isStopping` is guarded by `lock`.
    private let lock = NSLock()
    private var isStopping = false

    /// Keys as they are pressed.
    public let actions: AsyncStream<KeypadAction>

    /// What the reader reports: the keypad works, cannot be used, or has keys the profile names wrongly.
    public enum Status: Sendable, Equatable {
        case ready
        case unavailable(String)
        case misconfigured(String)
    }

    public init(devicePath: String, keyMap: KeyMap, onKey: @escaping @Sendable (KeypadAction) -> Void = { _ in },
                status: @escaping @Sendable (Status) -> Void) {
        let (stream, continuation) = AsyncStream<KeypadAction>.makeStream()
        actions = stream
        var actionsByCode: [UInt32: KeypadAction] = [:]
        var unknownNames: [String] = []
        for (action, name) in keyMap.keys {
            let code = libevdev_event_code_from_name(UInt32(EV_KEY), name)
            if code >= 0 { actionsByCode[UInt32(code)] = action } else { unknownNames.append(name) }
        }
        if !unknownNames.isEmpty {
            status(.misconfigured("key names unknown to the input layer: \(unknownNames.sorted().joined(separator: ","))"))
        }
        let codes = actionsByCode
        let thread = Thread { [self] in
            self.readKeys(devicePath: devicePath, actionsByCode: codes, onKey: onKey, status: status, continuation: continuation)
        }
        thread.name = "kiosk-evdev-keys"
        thread.start()
    }

    /// Stops reading at the next event or reopen attempt.
    public func stop() {
        lock.lock()
        isStopping = true
        lock.unlock()
    }

    private var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return isStopping
    }

    private func readKeys(devicePath: String, actionsByCode: [UInt32: KeypadAction], onKey: @Sendable (KeypadAction) -> Void,
                          status: @Sendable (Status) -> Void, continuation: AsyncStream<KeypadAction>.Continuation) {
        // Reported when it changes, so an unplugged keypad logs once, not every two seconds.
        var last: Status?
        func report(_ problem: String?) {
            let now: Status = problem.map { .unavailable($0) } ?? .ready
            if now != last { status(now) }
            last = now
        }
        while !shouldStop {
            let descriptor = open(devicePath, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                report("cannot open \(devicePath): \(String(cString: strerror(errno)))")
                Thread.sleep(forTimeInterval: 2)
                continue
            }
            var device: OpaquePointer?
            let created = libevdev_new_from_fd(descriptor, &device)
            guard created == 0, let device else {
                report("\(devicePath) is not an input device: \(String(cString: strerror(-created)))")
                close(descriptor)
                Thread.sleep(forTimeInterval: 2)
                continue
            }
            // Without the grab the same keys would also type into the console under the kiosk's screen.
            let grabbed = libevdev_grab(device, LIBEVDEV_GRAB) == 0
            report(grabbed ? nil : "\(devicePath) could not be grabbed; its keys also reach the console")
            readEvents(device, actionsByCode: actionsByCode, onKey: onKey, continuation: continuation, report: report)
            libevdev_free(device)
            close(descriptor)
            if !shouldStop { Thread.sleep(forTimeInterval: 2) }
        }
        continuation.finish()
    }

    /// Reads until the device fails (unplugged) or the reader is stopped.
    private func readEvents(_ device: OpaquePointer, actionsByCode: [UInt32: KeypadAction], onKey: @Sendable (KeypadAction) -> Void,
                            continuation: AsyncStream<KeypadAction>.Continuation, report: (String?) -> Void) {
        var flags = LIBEVDEV_READ_FLAG_NORMAL.rawValue | LIBEVDEV_READ_FLAG_BLOCKING.rawValue
        var event = input_event()
        while !shouldStop {
            let result = libevdev_next_event(device, flags, &event)
            if result == LIBEVDEV_READ_STATUS_SYNC.rawValue {
                // Events were dropped: catch up with the device's state, then read normally again.
                flags = LIBEVDEV_READ_FLAG_SYNC.rawValue
                continue
            }
            if result == -EAGAIN {
                flags = LIBEVDEV_READ_FLAG_NORMAL.rawValue | LIBEVDEV_READ_FLAG_BLOCKING.rawValue
                continue
            }
            guard result == LIBEVDEV_READ_STATUS_SUCCESS.rawValue else {
                report("keypad lost: \(String(cString: strerror(-result)))")
                return
            }
            // Value 1 is a press; 0 (release) and 2 (autorepeat) are not new keys for the menu.
            guard event.type == UInt16(EV_KEY), event.value == 1, let action = actionsByCode[UInt32(event.code)] else { continue }
            onKey(action)
            continuation.yield(action)
        }
    }
}
