import Foundation

/// A throw-away certificate authority for tests, made with the openssl command line: it issues a
/// server certificate for the loopback address (as portal-sim serves HTTPS) and client
/// certificates (as each kiosk holds one for mutual TLS). Two authorities made in the same folder
/// do not share a file, so a test can hold the right CA and a wrong one side by side.
///
/// Certificates are valid for two days: long enough for any test run, short enough that a leaked
/// test folder is no credential for anything.
public struct TestCertificateAuthority: Sendable {
    /// A certificate and its private key, both PEM.
    public struct Issued: Sendable {
        /// The certificate, signed by the authority (PEM).
        public let certificate: URL
        /// Its private key, unencrypted (PEM).
        public let key: URL
    }

    /// What a certificate is for.
    public enum Use: Sendable {
        /// A TLS server on this machine: subjectAltName IP:127.0.0.1 and DNS:localhost.
        case loopbackServer
        /// A TLS client (a kiosk) with this common name.
        case client(commonName: String)
    }

    /// The authority's own certificate (PEM): what a client trusts (`ca_file`) or a server requires
    /// its clients to chain to (`--tls-client-ca`).
    public let certificate: URL
    private let key: URL
    private let folder: URL

    /// Creates a new authority (a fresh RSA key and a self-signed CA certificate) in
    /// `folder/name`, which must not exist yet.
    public static func create(in folder: URL, name: String = "test-ca") throws -> TestCertificateAuthority {
        let own = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: false)
        let authority = TestCertificateAuthority(certificate: own.appendingPathComponent("ca.pem"),
                                                 key: own.appendingPathComponent("ca.key"), folder: own)
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", authority.key.path,
                     "-out", authority.certificate.path, "-days", "2", "-subj", "/CN=\(name) (kioskd tests)",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        return authority
    }

    /// Issues a certificate (and a new key) signed by this authority, named `name` in its folder.
    public func issue(_ name: String, for use: Use) throws -> Issued {
        func file(_ suffix: String) -> URL { folder.appendingPathComponent("\(name).\(suffix)") }
        let subject: String
        let extensions: String
        switch use {
        case .loopbackServer:
            subject = "/CN=127.0.0.1"
            extensions = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
        case .client(let commonName):
            subject = "/CN=\(commonName)"
            extensions = "extendedKeyUsage=clientAuth\n"
        }
        try Self.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("key").path, "-out", file("csr").path,
                          "-subj", subject])
        try Data(extensions.utf8).write(to: file("ext"))
        try Self.openssl(["x509", "-req", "-in", file("csr").path, "-CA", certificate.path, "-CAkey", key.path,
                          "-CAcreateserial", "-out", file("pem").path, "-days", "2", "-extfile", file("ext").path])
        return Issued(certificate: file("pem"), key: file("key"))
    }

    private static func openssl(_ arguments: [String]) throws {
        let result = try ChildProcess.run("/usr/bin/openssl", arguments, capture: true)
        guard result.status == 0 else {
            throw ChildProcess.Failure(description: "openssl \(arguments.joined(separator: " ")): \(result.output)")
        }
    }
}
