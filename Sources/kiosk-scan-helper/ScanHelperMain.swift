import Foundation
import Scanning

/// `kiosk-scan-helper`: libsane for kioskd, on the socket kioskd started it with. Not run by hand.
@main
struct ScanHelperMain {
    static func main() async {
        guard isatty(STDIN_FILENO) == 0 else {
            FileHandle.standardError.write(Data("kiosk-scan-helper is started by kioskd, which talks to it on its standard input and output.\n".utf8))
            exit(64)
        }
        exit(await ScanHelperServer.run())
    }
}
