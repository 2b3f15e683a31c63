import Crypto
import Foundation
import KioskCore

/// Seals personal data (applicant details, scanned pages) before it touches the disk: AES-256-GCM
/// with the kiosk's key, each piece bound to its application's idempotency key as associated data,
/// so a sealed blob moved into another application's row fails to open instead of being sent.
public struct PersonalDataSealer: Sendable {
    /// The raw key bytes: swift-crypto's SymmetricKey is not Sendable, so one is made per use.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(key: SymmetricKey) {
        keyBytes = key.withUnsafeBytes { Data($0) }
    }

    /// Reads the key the profile names: a file only its owner can read, or a systemd credential
    /// (`LoadCredential=`/`SetCredential=`, found under `$CREDENTIALS_DIRECTORY`). The content is
    /// 32 bytes raw, or the same as 64 hex digits or base64 (what `openssl rand -hex 32` or
    /// `systemd-creds` write), with or without a trailing newline.
    public static func load(_ source: EncryptionKeySource,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(OutboxError) -> PersonalDataSealer {
        let path: String
        switch source {
        case let .file(file):
            path = file
        case let .systemdCredential(name):
            guard let directory = environment["CREDENTIALS_DIRECTORY"] else {
                throw OutboxError(.key, "credential \(name): CREDENTIALS_DIRECTORY is not set (start kioskd with LoadCredential=\(name):…)")
            }
            path = directory + "/" + name
        }
        var information = stat()
        guard stat(path, &information) == 0 else {
            throw OutboxError(.key, "key \(path): \(String(cString: strerror(errno)))")
        }
        guard information.st_mode & S_IFMT == S_IFREG else { throw OutboxError(.key, "key \(path): not a regular file") }
        // A key others can read protects nothing: refuse it rather than encrypt with it.
        guard information.st_mode & 0o077 == 0 else {
            throw OutboxError(.key, "key \(path): mode \(String(information.st_mode & 0o777, radix: 8)) lets others read it; expected 0600 or 0400")
        }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw OutboxError(.key, "key \(path): cannot be read")
        }
        guard let bytes = keyBytes(contents) else {
            throw OutboxError(.key, "key \(path): expected 32 bytes, raw or as 64 hex digits or base64")
        }
        return PersonalDataSealer(key: SymmetricKey(data: bytes))
    }

    static func keyBytes(_ contents: Data) -> Data? {
        if contents.count == 32 { return contents }
        guard let text = String(data: contents, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        if text.count == 64, text.allSatisfy(\.isHexDigit) {
            var bytes = Data()
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return bytes
        }
        if let decoded = Data(base64Encoded: text), decoded.count == 32 { return decoded }
        return nil
    }

    /// Nonce, ciphertext and tag in one blob.
    public func seal(_ plaintext: Data, boundTo application: String) throws(OutboxError) -> Data {
        do {
            guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Data(application.utf8)).combined else {
                throw OutboxError(.damaged, "AES-GCM gave no combined box")
            }
            return combined
        } catch let error as OutboxError {
            throw error
        } catch {
            throw OutboxError(.damaged, "sealing failed: \(error)")
        }
    }

    public func open(_ sealed: Data, boundTo application: String) throws(OutboxError) -> Data {
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(application.utf8))
        } catch {
            throw OutboxError(.damaged, "a sealed record of application \(application) does not open with this key (\(error))")
        }
    }
}
