import ArgumentParser
import ControlProtocol
import CZlib
import Foundation

/// `kioskctl diagnostics --out FILE`: one file a technician can send to support.
struct Diagnostics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a diagnostics archive (.tar.gz): status, profile without secrets, recent log, outbox.",
        discussion: """
            The archive holds one folder, kiosk-diagnostics-KIOSK-TIME, with status.txt and status.json \
            (what 'kioskctl status' shows), profile.yaml (the profile in use, the values of key, secret, \
            password, token and credential settings withheld), kioskd.log (the daemon's recent lines) \
            and outbox.json (applications by code and state only). Nothing personal is in any of them. \
            The file is written readable by its owner only.
            """)

    @Option(help: "Where to write the archive, e.g. /tmp/kiosk-diagnostics.tar.gz.")
    var out: String

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let response = try connection.send(ControlRequest(command: "diagnostics"))
        guard let report = response.diagnostics else { throw ExitCode(76) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // 2026-12-06T11:09:53+07:00 → 20261206T110953 (the kiosk's local time; the offset is in status.json).
        let stamp = String(report.collectedAt.filter { $0.isNumber || $0 == "T" }.prefix(15))
        let folder = "kiosk-diagnostics-\(report.status.kioskID)-\(stamp)"
        var members: [(name: String, contents: [UInt8])] = [
            ("status.txt", Array((Status.text(report.status) + "\n").utf8)),
            ("status.json", Array(try encoder.encode(report.status))),
            ("profile.yaml", Array(report.profileWithoutSecrets.utf8)),
            ("kioskd.log", Array(report.logs.map { $0 + "\n" }.joined().utf8)),
        ]
        if let outbox = report.outbox { members.append(("outbox.json", Array(try encoder.encode(outbox)))) }
        let modified = Int(Date().timeIntervalSince1970)
        var tar = TarArchive()
        tar.addFolder(folder, modified: modified)
        for member in members { tar.addFile("\(folder)/\(member.name)", member.contents, modified: modified) }
        let archive: [UInt8]
        do {
            archive = try Gzip.compress(tar.finished())
        } catch {
            FileHandle.standardError.write(Data("kioskctl: diagnostics not compressed: \(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            try Self.writePrivately(archive, to: out)
        } catch {
            FileHandle.standardError.write(Data("kioskctl: cannot write \(out): \((error as NSError).localizedDescription)\n".utf8))
            throw ExitCode(73)
        }
        if connection.json {
            try ConnectionOptions.printJSON(["archive": out, "folder": folder])
        } else {
            print("wrote \(out): \(members.map(\.name).joined(separator: ", ")) in \(folder)/ (\(archive.count) bytes)")
        }
    }

    /// Written beside the target, made owner-only, then renamed: never a half-written archive under
    /// the name asked for, nor one another user could read in between.
    static func writePrivately(_ bytes: [UInt8], to path: String) throws {
        let staging = path + ".partial"
        guard FileManager.default.createFile(atPath: staging, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: staging])
        }
        if rename(staging, path) != 0 {
            let failure = String(cString: strerror(errno))
            unlink(staging)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(path): \(failure)"])
        }
    }
}

/// A POSIX ustar archive (what GNU tar, bsdtar and every support engineer's tool read), built in memory.
struct TarArchive {
    private var bytes: [UInt8] = []
    private static let block = 512

    mutating func addFolder(_ name: String, modified: Int) {
        append(header(name: name + "/", size: 0, mode: 0o700, type: UInt8(ascii: "5"), modified: modified))
    }

    mutating func addFile(_ name: String, _ contents: [UInt8], modified: Int) {
        append(header(name: name, size: contents.count, mode: 0o600, type: UInt8(ascii: "0"), modified: modified))
        append(contents)
        append([UInt8](repeating: 0, count: (Self.block - contents.count % Self.block) % Self.block))
    }

    /// The archive with its end marker (two zero blocks).
    func finished() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 2 * Self.block)
    }

    private mutating func append(_ more: [UInt8]) {
        bytes.append(contentsOf: more)
    }

    /// Names here are short ASCII (kiosk id, time, fixed member names): they fit the 100-byte field.
    private func header(name: String, size: Int, mode: Int, type: UInt8, modified: Int) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: Self.block)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        }
        put(name, at: 0, width: 100)
        put(octal(mode, width: 8), at: 100, width: 7)
        put(octal(Int(getuid()), width: 8), at: 108, width: 7)
        put(octal(Int(getgid()), width: 8), at: 116, width: 7)
        put(octal(size, width: 12), at: 124, width: 11)
        put(octal(modified, width: 12), at: 136, width: 11)
        header[156] = type
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        // The checksum is computed with its own field as spaces.
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7), at: 148, width: 6)
        header[154] = 0
        header[155] = UInt8(ascii: " ")
        return header
    }
}

/// gzip (RFC 1952) through zlib's deflate.
enum Gzip {
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "zlib error \(code)" }
    }

    static func compress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 asks deflate for a gzip wrapper rather than a zlib one.
        let initialised = deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                        Int32(MemoryLayout<z_stream>.size))
        guard initialised == Z_OK else { throw Failure(code: initialised) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        var input = input
        let result = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw Failure(code: result) }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
