/// A citizen's gender as the civil registry records it: the citizen identity card prints it
/// (`Nam` / `Nữ`) and the identity number encodes it in its fourth digit together with the century.
public enum CitizenGender: String, Sendable, Hashable, CaseIterable {
    case male
    case female
}
