import GitCoordStore

/// An error a user reads: one line that says what was wrong and how to mend it, the exit status,
/// and the error underneath when there is one.
///
/// Exit statuses (`git coord --help`, README, Docs/DECISIONS.md say the same):
/// - 1 ``Kind/refused``: a refusal the user can expect (a claim someone else holds, a time-out);
/// - 2 ``Kind/usage``: bad input; nothing was written;
/// - 3 ``Kind/data``: a fault in the repository or its data;
/// - 70 ``Kind/invariant``: an internal error, a bug in git-coord (`EX_SOFTWARE` of sysexits.h);
/// - a command's own status (``Kind/status(_:)``): `run` exits 127 when the command could not
///   start, `job wait` 124 on time-out, as shells and `timeout(1)` do.
///
/// The ``cause`` keeps the error underneath (libgit2's ``GitError``, a JSON parse error, a
/// transport error) for code that wants more than the sentence; the sentence shows its text, so
/// users read what they read before it was kept. Two errors are equal when their kind and message
/// are; the cause is not compared.
///
/// ```swift
/// do { try store.deleteReference(name) } catch {
///     throw CoordError.data("cannot delete \(name)", cause: error)  // "cannot delete NAME: <libgit2's message>"
/// }
/// ```
public struct CoordError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure, which fixes the exit status.
    public enum Kind: Sendable, Equatable {
        /// An expected refusal: exit 1.
        case refused
        /// Bad input, nothing written: exit 2.
        case usage
        /// Unreadable or inconsistent data in the repository: exit 3.
        case data
        /// A broken internal invariant, a bug: exit 70.
        case invariant
        /// A command's own exit status (124 time-out, 127 could not start).
        case status(Int32)

        /// The process exit status for this kind.
        public var exitCode: Int32 {
            switch self {
            case .refused: return 1
            case .usage: return 2
            case .data: return 3
            case .invariant: return 70
            case .status(let code): return code
            }
        }

        /// The kind whose exit status is `code`.
        public init(exitCode code: Int32) {
            switch code {
            case 1: self = .refused
            case 2: self = .usage
            case 3: self = .data
            case 70: self = .invariant
            default: self = .status(code)
            }
        }
    }

    public let kind: Kind
    /// The one line users read, the cause's text included.
    public let message: String
    /// The error underneath, when this one wraps another. (`Error` refines `Sendable`.)
    public let cause: (any Error)?

    /// An error whose `message` is the whole line as given: for sentences that show the cause's
    /// text somewhere other than at the end.
    public init(_ kind: Kind, _ message: String, cause: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.cause = cause
    }

    public init(_ message: String, exitCode: Int32) {
        self.init(Kind(exitCode: exitCode), message)
    }

    public var exitCode: Int32 { kind.exitCode }

    public var description: String { message }

    public static func == (a: CoordError, b: CoordError) -> Bool {
        a.kind == b.kind && a.message == b.message
    }

    /// Bad input: exit 2, nothing written.
    public static func usage(_ message: String, cause: (any Error)? = nil, mend: String? = nil) -> CoordError {
        CoordError(.usage, line(message, cause, mend), cause: cause)
    }

    /// An expected refusal: exit 1.
    public static func refused(_ message: String, cause: (any Error)? = nil, mend: String? = nil) -> CoordError {
        CoordError(.refused, line(message, cause, mend), cause: cause)
    }

    /// Unreadable or inconsistent data: exit 3.
    public static func data(_ message: String, cause: (any Error)? = nil, mend: String? = nil) -> CoordError {
        CoordError(.data, line(message, cause, mend), cause: cause)
    }

    /// A case that cannot happen unless git-coord has a bug: exit 70, and said as such.
    public static func invariant(_ what: String) -> CoordError {
        CoordError(.invariant, "internal error: \(what) (a bug in git-coord; please report it with the command that failed)")
    }

    /// `message: cause; mend`, leaving out what is missing.
    static func line(_ message: String, _ cause: (any Error)?, _ mend: String?) -> String {
        var line = message
        if let cause { line += ": " + text(of: cause) }
        if let mend { line += "; " + mend }
        return line
    }

    /// How a cause reads inside a sentence: libgit2's own message for a ``GitError`` (without the
    /// operation, which the sentence names), the line of a ``CoordError``, else its description.
    public static func text(of cause: any Error) -> String {
        switch cause {
        case let e as GitError: return e.message
        case let e as CoordError: return e.message
        default: return String(describing: cause)
        }
    }
}
