internal import CLibgit2

/// A failure reported by libgit2, with libgit2's own code, class and message kept.
///
/// `operation` names what the store was doing ("update ref refs/coord/board"), so the message a
/// user reads says both what failed and why libgit2 refused it.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure, from libgit2's `git_error_code`.
    public enum Code: Sendable, Equatable {
        case notFound
        case exists
        case ambiguous
        case locked
        case modified
        case invalidSpec
        case unbornBranch
        case nonFastForward
        case other(Int32)

        init(_ raw: Int32) {
            switch raw {
            case GIT_ENOTFOUND.rawValue: self = .notFound
            case GIT_EEXISTS.rawValue: self = .exists
            case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
            case GIT_ELOCKED.rawValue: self = .locked
            case GIT_EMODIFIED.rawValue: self = .modified
            case GIT_EINVALIDSPEC.rawValue: self = .invalidSpec
            case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
            case GIT_ENONFASTFORWARD.rawValue: self = .nonFastForward
            default: self = .other(raw)
            }
        }
    }

    public let code: Code
    /// The raw libgit2 return value (negative).
    public let rawCode: Int32
    /// libgit2's error class (`git_error_t`), 0 when none was set.
    public let errorClass: Int32
    /// Whether libgit2 refused the repository because another user owns it (GIT_EOWNER).
    /// libgit2 1.5 reports a missing `safe.directory` setting instead when no config has one.
    public var isOwnership: Bool {
        code == .other(-36) || message.contains("not owned by current user") || message.contains("'safe.directory'")
    }

    /// libgit2's message, as `git_error_last` gave it right after the failing call.
    public let message: String
    /// What the store was doing when libgit2 failed.
    public let operation: String

    public init(code rawCode: Int32, errorClass: Int32 = 0, message: String, operation: String) {
        self.rawCode = rawCode
        self.code = Code(rawCode)
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
    }

    /// Reads `git_error_last` for the call that just returned `result`. Must run on the failing
    /// thread before anything else calls libgit2 (the error slot is thread-local).
    static func last(_ result: Int32, _ operation: @autoclosure () -> String) -> GitError {
        if let err = git_error_last(), let text = err.pointee.message {
            return GitError(code: result, errorClass: err.pointee.klass, message: String(cString: text), operation: operation())
        }
        return GitError(code: result, message: "libgit2 returned \(result)", operation: operation())
    }

    public var description: String { "\(operation): \(message)" }
}

/// Runs a libgit2 call and turns a negative result into a ``GitError``.
@inline(__always)
@discardableResult
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(GitError) -> Int32 {
    if result < 0 { throw GitError.last(result, operation()) }
    return result
}
