import KioskCore
import KioskHarness
import ProfileLoading

/// The shipped profiles, loaded as kioskd loads them.
enum ProfileFixtures {
    static func demo() throws -> KioskProfile {
        try ProfileLoader.load(path: PackagePaths.profile("demo").path)
    }
}
