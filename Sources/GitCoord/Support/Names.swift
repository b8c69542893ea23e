/// The one rule for session names, roles, labels and other names users type.
///
/// A name becomes one component of a ref (`refs/coord/mail/NAME`), so the rule includes git's
/// ref-name rule for a component (`git check-ref-format`): besides the character set, no `..`,
/// no `.` at either end and no `.lock` at the end. Every place a name enters (join, send,
/// `--notify`, `--assign`, `--session`, roles, labels) checks it here, before anything is written.
public enum SessionName {
    /// The rule, as shown to users.
    public static let rule = "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, not ending with '.' or '.lock', no '..', at most 64 characters"

    public static func isValid(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard !u.isEmpty, u.count <= 64 else { return false }
        func ok(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 46 || c == 95 || c == 45 }
        guard (u[0] >= 97 && u[0] <= 122) || (u[0] >= 48 && u[0] <= 57) else { return false }
        guard u.allSatisfy(ok), u.last != 46, !name.hasSuffix(".lock") else { return false }
        return !zip(u, u.dropFirst()).contains { $0 == 46 && $1 == 46 }
    }

    /// Returns `name` when valid, else throws the error that shows the rule.
    @discardableResult
    public static func validate(_ name: String, what: String = "session name") throws(CoordError) -> String {
        guard isValid(name) else {
            throw CoordError.usage("invalid \(what) '\(TerminalText.escaped(name))': use \(rule)")
        }
        return name
    }
}
