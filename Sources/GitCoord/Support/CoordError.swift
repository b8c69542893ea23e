/// An error a user reads: one line that says what was wrong and what to do, and the exit status.
///
/// Exit statuses: 2 for bad input (nothing was written), 1 for a refusal the user can expect
/// (a claim someone else holds, a time-out), 3 for a fault in the repository or its data.
public struct CoordError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public let exitCode: Int32

    public init(_ message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }

    /// Bad input: exit 2, nothing written.
    public static func usage(_ message: String) -> CoordError { CoordError(message, exitCode: 2) }
    /// An expected refusal: exit 1.
    public static func refused(_ message: String) -> CoordError { CoordError(message, exitCode: 1) }
    /// Unreadable or inconsistent data: exit 3.
    public static func data(_ message: String) -> CoordError { CoordError(message, exitCode: 3) }
}
