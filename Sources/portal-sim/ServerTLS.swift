import NIOSSL

/// The TLS settings of the contract listener, from PEM files: a server certificate and key, and
/// optionally the CA whose client certificates are required (mutual TLS, as the real adapter
/// wants each kiosk's certificate).
enum ServerTLS {
    static func configuration(certificate: String, key: String, clientCA: String?) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        guard let clientCA else {
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: privateKey)
        }
        let roots = NIOSSLTrustRoots.certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
        // noHostnameVerification: a client certificate is required and must chain to the CA; a
        // kiosk has no host name to check.
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(certificateChain: chain, privateKey: privateKey,
                                                                           trustRoots: roots)
        // Tell clients which CA we accept, so a client holding several certificates picks the right one.
        configuration.sendCANameList = true
        return configuration
    }
}
