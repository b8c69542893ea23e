#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitCoordStore

/// The entry point of the library: a repository's coordination store acting as one session.
///
/// Each command-line call makes one `Coord`; the domain types (mail, board, sessions, jobs,
/// state) are extensions on it, so tests drive exactly what the command line drives.
public final class Coord {
    public let store: CoordStore
    /// The session this `Coord` acts as; nil when none is known (read-only use).
    public let session: String?
    /// Set by ``noteActivity()``, so that a command notes its activity once however many layers
    /// ask for it.
    var activityNoted = false

    public init(store: CoordStore) {
        self.store = store
        self.session = store.session
    }

    /// Opens the repository containing `path` and resolves the acting session as DESIGN says:
    /// `explicitSession` (from `--session`), else `GIT_COORD_SESSION`, else the name `join`
    /// recorded for this worktree, else `git config coord.session`.
    public static func open(at path: String? = nil, session explicitSession: String? = nil) throws(CoordError) -> Coord {
        let probe = try CoordStore.open(at: path)
        let name = try Identity.resolve(explicit: explicitSession, repository: probe.repository)
        return Coord(store: CoordStore(repository: probe.repository, session: name))
    }

    /// The acting session, or the error that says how to get one.
    public func requireSession() throws(CoordError) -> String {
        guard let session else { throw Identity.noSessionError }
        return session
    }

    public var repository: Repository { store.repository }
}

/// How the acting session's name is found.
public enum Identity {
    public static let environmentVariable = "GIT_COORD_SESSION"

    static let noSessionError = CoordError.usage("no session for this worktree: run `git coord join NAME` here, or pass --session NAME, or set GIT_COORD_SESSION")

    /// The file where `join` records this worktree's session (per worktree: under its own git dir).
    public static func worktreeFile(_ repository: Repository) -> String {
        Files.join(repository.gitDir, "coord", "session")
    }

    /// The acting session, nil when no source names one. A name given but invalid is an error.
    public static func resolve(explicit: String?, repository: Repository) throws(CoordError) -> String? {
        if let explicit, !explicit.isEmpty { return try SessionName.validate(explicit) }
        if let env = ProcessEnvironment.get(environmentVariable), !env.isEmpty {
            guard SessionName.isValid(env) else {
                throw CoordError.usage("invalid session name '\(env)' in \(environmentVariable): use \(SessionName.rule)")
            }
            return env
        }
        if let recorded = Files.readString(worktreeFile(repository))?.trimmingSpaces().split(separator: "\n").first.map(String.init),
           SessionName.isValid(recorded) {
            return recorded
        }
        if let configured = repository.configString("coord.session"), SessionName.isValid(configured) {
            return configured
        }
        return nil
    }

    /// Records `name` as this worktree's session.
    public static func record(_ name: String, repository: Repository) {
        Files.writeAtomically(worktreeFile(repository), name + "\n")
    }
}

/// Reads the process environment without importing Foundation.
public enum ProcessEnvironment {
    public static func get(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
    }
}
