// swift-tools-version:6.2
import PackageDescription

// kioskd: the controller of one self-service public-administration kiosk.
// The shape follows ../shared/DESIGN.md: a pure core (KioskCore), one room per device class with
// its C library inside it, one composition root (KioskDaemon) and thin executables.

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "kioskd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kioskd", targets: ["kioskd"]),
        .executable(name: "kioskctl", targets: ["kioskctl"]),
        .executable(name: "kiosk-scan-helper", targets: ["kiosk-scan-helper"]),
        .executable(name: "kiosk-bench", targets: ["kiosk-bench"]),
        .executable(name: "portal-sim", targets: ["portal-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The portal: AsyncHTTPClient (with NIOSSL for the profile's CA and client certificate) sends,
        // swift-crypto seals personal data at rest, Hummingbird serves portal-sim.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Metrics: libraries count through swift-metrics; kioskd exports them (and its gauges) as
        // Prometheus text on loopback, served by Hummingbird.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // System libraries. Debian 12 ships no cups.pc, so CCUPS links -lcups in its module map.
        .systemLibrary(name: "CCUPS", path: "Sources/CCUPS"),
        .systemLibrary(name: "CSANE", path: "Sources/CSANE", pkgConfig: "sane-backends",
                       providers: [.apt(["libsane-dev"])]),
        .systemLibrary(name: "CLibUSB", path: "Sources/CLibUSB", pkgConfig: "libusb-1.0",
                       providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CEspeakNG", path: "Sources/CEspeakNG", pkgConfig: "espeak-ng",
                       providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CPCAudio", path: "Sources/CPCAudio"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "pangocairo",
                       providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .systemLibrary(name: "CQREncode", path: "Sources/CQREncode", pkgConfig: "libqrencode",
                       providers: [.apt(["libqrencode-dev"])]),
        // gzip for kioskctl's diagnostics archive.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
                       providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CZbar", path: "Sources/CZbar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),
        .systemLibrary(name: "CEvdev", path: "Sources/CEvdev", pkgConfig: "libevdev", providers: [.apt(["libevdev-dev"])]),

        // The pure core: profile model, device status model. Foundation only.
        .target(name: "KioskCore", swiftSettings: strictSwift),
        // Reading kiosk profiles from YAML with line:column diagnostics.
        .target(name: "ProfileLoading",
                dependencies: ["KioskCore", .product(name: "Yams", package: "Yams")],
                swiftSettings: strictSwift),
        // A serial executor backed by one dedicated thread, for actors that own a blocking C library.
        .target(name: "DeviceThread", swiftSettings: strictSwift),

        // Device rooms.
        .target(name: "Speech", dependencies: ["KioskCore", "DeviceThread", "CEspeakNG", "CPCAudio"],
                swiftSettings: strictSwift),
        .target(name: "Scanning", dependencies: ["KioskCore", "DeviceThread", "CSANE", "CTurboJPEG", "CCairo", "CZbar"],
                swiftSettings: strictSwift),
        .target(name: "Printing", dependencies: ["KioskCore", "DeviceThread", "CCUPS", "CLibUSB", "CCairo", "CQREncode"],
                swiftSettings: strictSwift),

        // Durable queue numbering: every ticket committed (SQLite, WAL, synchronous=FULL) before it prints.
        .target(name: "TicketLedger",
                dependencies: ["KioskCore", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: strictSwift),

        // The portal adapter's wire format, shared by the forwarder and portal-sim. Foundation only.
        .target(name: "PortalAPI", swiftSettings: strictSwift),
        // Applications: the encrypted durable outbox, the forwarder and status look-up.
        .target(name: "Portal",
                dependencies: ["KioskCore", "PortalAPI",
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics")],
                swiftSettings: strictSwift),

        // kioskctl ⇄ kioskd: line-delimited JSON over a Unix socket with peer credentials.
        .target(name: "ControlProtocol", swiftSettings: strictSwift),

        // The citizen's screen and keys: terminal / Linux console rendering, terminal and evdev input.
        .target(name: "Console", dependencies: ["KioskCore", "CEvdev"], swiftSettings: strictSwift),

        // Composition root.
        .target(name: "KioskDaemon",
                dependencies: [
                    "KioskCore", "ProfileLoading", "Speech", "Scanning", "Printing", "TicketLedger", "Portal", "Console", "ControlProtocol",
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                    .product(name: "Metrics", package: "swift-metrics"),
                    .product(name: "Prometheus", package: "swift-prometheus"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                ],
                swiftSettings: strictSwift),

        // Runs kioskd as a process (NOTIFY_SOCKET, signals, captured output) and finds the local
        // stand-ins `make test` starts: shared by the tests and kiosk-bench.
        // PortalAPI (Foundation only) for portal-sim's admin types, which the PortalSimulator launcher speaks.
        .target(name: "KioskHarness", dependencies: ["PortalAPI"], swiftSettings: strictSwift),

        // Thin executables.
        .executableTarget(name: "kioskd",
                          dependencies: ["KioskDaemon",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSwift),
        // libsane in a process of its own, started and supervised by kioskd (see SANEScanner).
        .executableTarget(name: "kiosk-scan-helper", dependencies: ["Scanning"], swiftSettings: strictSwift),
        .executableTarget(name: "kioskctl",
                          dependencies: ["ControlProtocol", "CZlib",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSwift),
        // A local stand-in for the national portal adapter: the OpenAPI contract in docs/, SQLite,
        // idempotency, statuses that move on with time, optional TLS, injectable faults.
        .executableTarget(name: "portal-sim",
                          dependencies: ["PortalAPI",
                                         .product(name: "Hummingbird", package: "hummingbird"),
                                         .product(name: "HummingbirdTLS", package: "hummingbird"),
                                         .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                         .product(name: "GRDB", package: "GRDB.swift"),
                                         .product(name: "Crypto", package: "swift-crypto"),
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: strictSwift),
        .executableTarget(name: "kiosk-bench",
                          dependencies: ["KioskHarness", "KioskCore", "ProfileLoading", "Speech", "Printing", "TicketLedger", "Scanning",
                                         "Portal", "PortalAPI",
                                         .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                         .product(name: "Crypto", package: "swift-crypto"),
                                         .product(name: "Logging", package: "swift-log"),
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSwift),

        // Tests.
        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore"], swiftSettings: strictSwift),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "KioskCore"], swiftSettings: strictSwift),
        .testTarget(name: "ProfileLoadingTests", dependencies: ["ProfileLoading", "KioskCore"],
                    swiftSettings: strictSwift),
        .testTarget(name: "DeviceBindingTests",
                    dependencies: ["Speech", "Scanning", "Printing", "KioskCore", "KioskHarness"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ScanningTests", dependencies: ["Scanning", "Printing", "KioskCore", "KioskHarness"], swiftSettings: strictSwift),
        .testTarget(name: "ReceiptTests", dependencies: ["Printing", "KioskCore", "ProfileLoading", "KioskHarness"],
                    swiftSettings: strictSwift),
        .testTarget(name: "TicketingTests",
                    dependencies: ["TicketLedger", "Printing", "KioskCore", "ProfileLoading", "KioskHarness"],
                    swiftSettings: strictSwift),
        .testTarget(name: "PortalTests",
                    dependencies: ["Portal", "PortalAPI", "KioskCore", "ProfileLoading", "KioskHarness",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "NIOSSL", package: "swift-nio-ssl")],
                    swiftSettings: strictSwift),
        .testTarget(name: "KioskDaemonTests",
                    dependencies: ["KioskDaemon", "KioskCore", "ProfileLoading", "KioskHarness", "ControlProtocol", "Scanning", "PortalAPI"],
                    swiftSettings: strictSwift),
    ]
)
