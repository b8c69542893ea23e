/// One thing `git coord doctor` found: what is wrong (or fine) and how to mend it.
public struct Finding: Sendable, Equatable {
    public enum Level: String, Sendable {
        /// Checked and fine.
        case ok
        /// Works, but will not for long or not everywhere.
        case warning
        /// Broken: some command fails or some data is not read.
        case problem
    }

    /// The check that found it (`refs`, `growth`, …).
    public let check: String
    public let level: Level
    /// What was found, in one line.
    public let text: String
    /// How to mend it; nil when nothing needs doing.
    public let mend: String?
    /// Set when `--fix` mended it.
    public var fixed = false

    /// A problem `--fix` did not mend: `git coord doctor` then exits 1.
    public var isOpenProblem: Bool { level == .problem && !fixed }

    public init(_ check: String, _ level: Level, _ text: String, mend: String? = nil) {
        self.check = check
        self.level = level
        self.text = text
        self.mend = mend
    }

    public var json: JSONValue {
        .object(["check": .string(check), "level": .string(level.rawValue), "text": .string(text),
                 "mend": mend.map(JSONValue.string) ?? .null, "fixed": .bool(fixed)])
    }
}

/// `git coord doctor`: checks of the setup and of the data, each a function of its own, so a new
/// check is one more entry in ``checks``.
public enum Doctor {
    /// A check: reads the repository (and with `fix`, mends what is safe to mend).
    public typealias Check = (Coord, _ fix: Bool) -> [Finding]

    /// Every check, in the order they print.
    nonisolated(unsafe) public static var checks: [(name: String, run: Check)] = [
        ("libgit2", checkLibgit2),
        ("refspecs", checkRefspecs),
        ("identity", checkIdentity),
        ("hooks", checkHooks),
        ("watcher", checkWatcher),
        ("refs", checkRefs),
        ("peers", checkPeerRefs),
        ("peer-data", checkPeerFindings),
        ("sends", checkUnfinishedSends),
        ("locks", checkStaleLocks),
        ("growth", checkGrowth),
    ]
}

extension Coord {
    /// Runs every check of ``Doctor``; with `fix`, mends what is safe to mend.
    public func doctor(fix: Bool = false) -> [Finding] {
        Doctor.checks.flatMap { $0.run(self, fix) }
    }
}
