import CSANE
import Foundation

/// A device's SANE options by name, and setting them with values of the right type. Values are
/// checked against the option's constraint, so a profile asking for something the scanner cannot
/// do gets a precise refusal, not a backend's silent substitute.
struct SANEOptions {
    let handle: SANE_Handle
    let deviceName: String
    private var indexByName: [String: SANE_Int] = [:]

    init(handle: SANE_Handle, deviceName: String) {
        self.handle = handle
        self.deviceName = deviceName
        var count: SANE_Word = 0
        // Option 0 always holds the number of options.
        _ = sane_control_option(handle, 0, SANE_ACTION_GET_VALUE, &count, nil)
        for index in 1..<max(count, 1) {
            guard let descriptor = sane_get_option_descriptor(handle, index), let name = descriptor.pointee.name else { continue }
            indexByName[String(cString: name)] = index
        }
    }

    func has(_ name: String) -> Bool { indexByName[name] != nil }

    private func descriptor(_ name: String) throws(ScanFailure) -> (SANE_Int, SANE_Option_Descriptor) {
        guard let index = indexByName[name], let descriptor = sane_get_option_descriptor(handle, index) else {
            throw ScanFailure(fault: .other, detail: "\(deviceName) has no option \(name)")
        }
        return (index, descriptor.pointee)
    }

    /// Sets a string option to the first of `preferring` its constraint list offers (case-insensitive).
    func setChoice(_ name: String, preferring: [String], describing: String) throws(ScanFailure) {
        let (_, descriptor) = try descriptor(name)
        let offered = Self.stringList(descriptor)
        guard let choice = preferring.lazy.compactMap({ wanted in offered.first { $0.lowercased() == wanted } }).first else {
            throw ScanFailure(fault: .other, detail: "\(deviceName) cannot scan \(name) \(describing); it offers \(offered.joined(separator: ", "))")
        }
        try setText(name, choice)
    }

    /// Sets a numeric option (int or fixed-point). With `clamp`, a value beyond the option's range
    /// becomes its nearest end; returns the value set.
    @discardableResult
    func setNumber(_ name: String, _ value: Double, clamp: Bool = false) throws(ScanFailure) -> Double {
        let (index, descriptor) = try descriptor(name)
        var wanted = value
        if descriptor.constraint_type == SANE_CONSTRAINT_RANGE, let range = descriptor.constraint.range?.pointee {
            let (minimum, maximum) = descriptor.type == SANE_TYPE_FIXED
                ? (Self.double(range.min), Self.double(range.max)) : (Double(range.min), Double(range.max))
            if clamp { wanted = min(max(wanted, minimum), maximum) }
            guard wanted >= minimum && wanted <= maximum else {
                throw ScanFailure(fault: .other, detail: "\(deviceName): \(name) \(value) is outside \(minimum)...\(maximum)")
            }
        }
        var word: SANE_Word
        switch descriptor.type {
        case SANE_TYPE_FIXED: word = SANE_Word((wanted * 65536).rounded())
        case SANE_TYPE_INT: word = SANE_Word(wanted.rounded())
        default: throw ScanFailure(fault: .other, detail: "\(deviceName): option \(name) is not a number")
        }
        try set(index, name: name, value: &word)
        return descriptor.type == SANE_TYPE_FIXED ? Self.double(word) : Double(word)
    }

    /// Sets any option from text: `true`/`false` for booleans, numbers, or a string.
    func setText(_ name: String, _ text: String) throws(ScanFailure) {
        let (index, descriptor) = try descriptor(name)
        switch descriptor.type {
        case SANE_TYPE_BOOL:
            guard let flag = ["true": SANE_TRUE, "yes": SANE_TRUE, "false": SANE_FALSE, "no": SANE_FALSE][text.lowercased()] else {
                throw ScanFailure(fault: .other, detail: "\(deviceName): option \(name) wants true or false, not \(text)")
            }
            var word = SANE_Word(flag)
            try set(index, name: name, value: &word)
        case SANE_TYPE_INT, SANE_TYPE_FIXED:
            guard let number = Double(text) else {
                throw ScanFailure(fault: .other, detail: "\(deviceName): option \(name) wants a number, not \(text)")
            }
            try setNumber(name, number)
        case SANE_TYPE_STRING:
            var buffer = [CChar](repeating: 0, count: max(Int(descriptor.size), text.utf8.count + 1))
            _ = text.withCString { strncpy(&buffer, $0, buffer.count - 1) }
            try set(index, name: name, value: &buffer)
        default:
            throw ScanFailure(fault: .other, detail: "\(deviceName): option \(name) cannot be set")
        }
    }

    private func set<Value>(_ index: SANE_Int, name: String, value: inout Value) throws(ScanFailure) {
        var info: SANE_Int = 0
        let status = withUnsafeMutablePointer(to: &value) { pointer in
            sane_control_option(handle, index, SANE_ACTION_SET_VALUE, pointer, &info)
        }
        guard status == SANE_STATUS_GOOD else {
            throw ScanFailure(fault: ScanFailure.fault(for: status) == .other ? .other : ScanFailure.fault(for: status),
                              detail: "\(deviceName): setting \(name): \(String(cString: sane_strstatus(status)))")
        }
    }

    private func set(_ index: SANE_Int, name: String, value buffer: inout [CChar]) throws(ScanFailure) {
        var info: SANE_Int = 0
        let status = buffer.withUnsafeMutableBufferPointer { pointer in
            sane_control_option(handle, index, SANE_ACTION_SET_VALUE, pointer.baseAddress, &info)
        }
        guard status == SANE_STATUS_GOOD else {
            throw ScanFailure(fault: .other, detail: "\(deviceName): setting \(name): \(String(cString: sane_strstatus(status)))")
        }
    }

    static func stringList(_ descriptor: SANE_Option_Descriptor) -> [String] {
        guard descriptor.constraint_type == SANE_CONSTRAINT_STRING_LIST, var item = descriptor.constraint.string_list else { return [] }
        var strings: [String] = []
        while let string = item.pointee {
            strings.append(String(cString: string))
            item += 1
        }
        return strings
    }

    static func double(_ fixed: SANE_Word) -> Double { Double(fixed) / 65536 }
}
