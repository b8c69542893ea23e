#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import SystemPackage

/// A system call that failed: what was attempted, on which file, and the error number it gave.
///
/// Every wrapper in ``OS`` throws this, so a failure keeps its cause (`errno`) and says what was
/// being done when it happened:
///
/// ```swift
/// do { _ = try OS.readFile("/no/such/file") } catch {
///     print(error)  // cannot open /no/such/file: No such file or directory (errno 2)
/// }
/// ```
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was attempted, as a verb: `open`, `rename`, `start`.
    public let operation: String
    /// The file or program the call was about, when it names one.
    public let path: String?
    /// The error number the call gave (``SystemPackage/Errno`` prints as the system's text for it).
    public let errno: Errno

    public init(_ operation: String, path: String? = nil, errno: Errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// "cannot open /x: No such file or directory (errno 2)".
    public var description: String {
        "cannot \(operation)\(path.map { " \($0)" } ?? ""): \(errno) (errno \(errno.rawValue))"
    }
}

extension SystemError {
    /// The error of the call that just failed, read from `errno`.
    static func last(_ operation: String, path: String? = nil) -> SystemError {
        SystemError(operation, path: path, errno: currentErrno())
    }

    /// The error a swift-system call threw (always an ``SystemPackage/Errno``).
    static func from(_ error: any Error, _ operation: String, path: String? = nil) -> SystemError {
        SystemError(operation, path: path, errno: error as? Errno ?? .ioError)
    }
}

/// The calling thread's `errno`.
private func currentErrno() -> Errno { Errno(rawValue: errno) }
