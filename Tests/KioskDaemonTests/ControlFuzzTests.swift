import ControlProtocol
import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// 100,000 random and mutated control messages: each gets an answer, none disturbs the daemon.
@Suite struct ControlFuzzTests {
    /// A small deterministic generator, so a failure can be replayed with the same seed.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static let seeds = [
        #"{"version":1,"command":"status","arguments":{}}"#,
        #"{"version":1,"command":"status","arguments":{"x":"y"}}"#,
        #"{"version":2,"command":"maintenance","arguments":{"mode":"on"}}"#,
        #"{"command":"say","arguments":{"text":"Xin chào"}}"#,
    ].map { Array($0.utf8) }

    /// A message without newlines: a mutated seed, random bytes, or an oversized line.
    static func message(_ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8]
        switch random.below(10) {
        case 0:
            bytes = (0..<random.below(200)).map { _ in UInt8(random.below(256)) }
        case 1 where random.below(100) == 0:
            bytes = [UInt8](repeating: UInt8(ascii: "{"), count: ControlProtocol.maximumRequestBytes + 1 + random.below(1000))
        default:
            bytes = seeds[random.below(seeds.count)]
            for _ in 0..<(1 + random.below(4)) {
                guard !bytes.isEmpty else { break }
                let position = random.below(bytes.count)
                switch random.below(4) {
                case 0: bytes[position] = UInt8(random.below(256))
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(UInt8(random.below(256)), at: position)
                default: bytes = Array(bytes.prefix(position))
                }
            }
        }
        return bytes.map { $0 == 0x0a ? 0x20 : $0 }
    }

    @Test func hundredThousandBadMessagesLeaveTheDaemonServing() throws {
        let kiosk = try DemoKiosk(purpose: "ctl-fuzz")
        let daemon = try kiosk.start()
        #expect(kiosk.waitUntilReady() != nil)
        var random = SplitMix64(state: 20_261_122)
        var connection = try ControlSocket.connect(path: kiosk.controlSocket.path)
        var answered = 0, oversized = 0, unanswered = 0
        for _ in 0..<100_000 {
            let message = Self.message(&random)
            try connection.writeLine(Data(message))
            let reply = try connection.readLine(maximumBytes: 1 << 20, timeout: .seconds(10))
            guard let reply, let response = try? JSONDecoder().decode(ControlResponse.self, from: reply) else {
                unanswered += 1
                connection = try ControlSocket.connect(path: kiosk.controlSocket.path)
                continue
            }
            answered += 1
            if response.error?.code == "too-large" {
                oversized += 1
                // The daemon closes a connection after an oversized line: it cannot find the next line's start.
                connection = try ControlSocket.connect(path: kiosk.controlSocket.path)
            }
        }
        #expect(unanswered == 0, "\(unanswered) messages got no answer")
        #expect(answered == 100_000)
        #expect(oversized > 0, "the oversized case was exercised")
        // Still serving: kioskctl works, and the daemon stops cleanly.
        let kioskctl = PackagePaths.products.appendingPathComponent("kioskctl").path
        let (status, output) = try ChildProcess.run(kioskctl, ["status", "--socket", kiosk.controlSocket.path], capture: true)
        #expect(status == 0, "\(output)")
        #expect(daemon.process.isRunning)
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }
}
