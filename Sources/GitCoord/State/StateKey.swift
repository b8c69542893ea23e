/// The rule for state keys: dotted names such as `gate.pr-12` or `worker-2.last-report`.
public enum StateKey {
    /// The rule, as shown to users.
    public static let rule = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters (e.g. gate.pr-12)"

    public static let maxLength = 128

    public static func isValid(_ key: String) -> Bool {
        let u = Array(key.utf8)
        guard !u.isEmpty, u.count <= maxLength else { return false }
        func letterOrDigit(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) }
        guard letterOrDigit(u[0]) else { return false }
        return u.allSatisfy { letterOrDigit($0) || $0 == 46 || $0 == 95 || $0 == 45 } && !key.hasSuffix(".lock")
    }

    /// Returns `key` when valid, else the usage error that shows the rule.
    @discardableResult
    public static func validate(_ key: String) throws(CoordError) -> String {
        guard isValid(key) else { throw CoordError.usage("invalid state key '\(key)': use \(rule)") }
        return key
    }

    /// The cell holding a key: `keys/<key>.lww`, one flat folder (a session keeps tens of keys).
    static func path(_ key: String) -> String { "keys/\(key).lww" }

    /// The key of a cell path, nil for anything that is not a valid key cell.
    static func key(fromPath path: String) -> String? {
        guard path.hasPrefix("keys/"), path.hasSuffix(".lww") else { return nil }
        let key = String(path.dropFirst(5).dropLast(4))
        return isValid(key) && !key.contains("/") ? key : nil
    }
}
