/// The rule for session names, roles and other names users type.
public enum SessionName {
    /// The rule, as shown to users.
    public static let rule = "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters"

    public static func isValid(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard !u.isEmpty, u.count <= 64 else { return false }
        func ok(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 46 || c == 95 || c == 45 }
        guard (u[0] >= 97 && u[0] <= 122) || (u[0] >= 48 && u[0] <= 57) else { return false }
        return u.allSatisfy(ok) && name != "." && name != ".." && !name.hasSuffix(".lock")
    }

    /// Returns `name` when valid, else throws the error that shows the rule.
    @discardableResult
    public static func validate(_ name: String, what: String = "session name") throws(CoordError) -> String {
        guard isValid(name) else {
            throw CoordError.usage("invalid \(what) '\(name)': use \(rule)")
        }
        return name
    }
}
