import GitCoordStore

/// The entry point of the library: a repository's coordination store acting as one session.
///
/// Each command-line call makes one `Coord`; the domain types (mail, board, sessions, jobs,
/// state) are extensions on it, so tests drive exactly what the command line drives.
public final class Coord {
    public let store: CoordStore
    /// The session this `Coord` acts as; nil when none is known (read-only use).
    public let session: String?
    /// The agent session (Claude Code's, Codex's) this command runs inside, nil outside an agent.
    public let agent: AgentSession?
    /// Where ``session`` came from.
    public let sessionSource: Identity.Source
    /// Why no session is known, when an agent's name could not be settled (see ``requireSession()``).
    let sessionProblem: CoordError?
    /// Set by ``noteActivity()``, so that a command notes its activity once however many layers
    /// ask for it.
    var activityNoted = false

    public init(store: CoordStore, agent: AgentSession? = nil, source: Identity.Source = .explicit, sessionProblem: CoordError? = nil) {
        self.store = store
        self.session = store.session
        self.agent = agent
        self.sessionSource = store.session == nil ? .none : source
        self.sessionProblem = sessionProblem
    }

    /// Opens the repository containing `path` and resolves the acting session (``Identity``):
    /// `explicitSession` (from `--session`), else `GIT_COORD_SESSION`, else the name bound to the
    /// agent session the command runs inside, else the worktree's name.
    public static func open(at path: String? = nil, session explicitSession: String? = nil,
                            agent: AgentSession? = AgentSession.fromEnvironment()) throws(CoordError) -> Coord {
        let probe = try CoordStore.open(at: path)
        let anonymous = Coord(store: CoordStore(repository: probe.repository, session: nil), agent: agent)
        let resolved = try Identity.resolve(explicit: explicitSession, agent: agent, coord: anonymous)
        return Coord(store: CoordStore(repository: probe.repository, session: resolved.name), agent: agent,
                     source: resolved.source, sessionProblem: resolved.problem)
    }

    /// The acting session, or the error that says how to get one.
    public func requireSession() throws(CoordError) -> String {
        guard let session else { throw sessionProblem ?? Identity.noSessionError }
        return session
    }

    public var repository: Repository { store.repository }

    /// The local table of agent sessions and the names they hold.
    public var agentBindings: AgentBindings { AgentBindings(localFolder: store.localFolder) }

    /// Whether the holder of a name, whose process is unknown, is live by the session rule.
    func holderIsLive(_ holder: AgentBinding) -> Bool {
        guard let status = try? sessionStatus(holder.name) else { return false }
        return status.state == .alive
    }
}

/// How the acting session's name is found.
///
/// In order: `--session`; `GIT_COORD_SESSION`; inside an agent (Claude Code's
/// `CLAUDE_CODE_SESSION_ID` or a hook's `session_id`, Codex's `CODEX_THREAD_ID`), the name bound to
/// that agent session, or to its process after `/clear`; then the worktree's name (`join` outside
/// an agent, or `git config coord.session`). An agent that has no name of its own takes the
/// worktree's name only while no other live agent holds it, so two agents in one directory never
/// share a name silently (Docs/Agents.md).
public enum Identity {
    public static let environmentVariable = "GIT_COORD_SESSION"

    /// Where the acting session's name came from.
    public enum Source: String, Sendable {
        case explicit, environment, agent, worktree, none
    }

    static let noSessionError = CoordError.usage("no session for this worktree: run `git coord join NAME` here, or pass --session NAME, or set GIT_COORD_SESSION")

    /// The file where `join` records this worktree's session (per worktree: under its own git dir).
    public static func worktreeFile(_ repository: Repository) -> String {
        Files.join(repository.gitDir, "coord", "session")
    }

    /// The acting session and, when there is none, why. A name given but invalid is an error.
    public static func resolve(explicit: String?, agent: AgentSession?, coord: Coord) throws(CoordError) -> (name: String?, source: Source, problem: CoordError?) {
        if let explicit, !explicit.isEmpty { return (try SessionName.validate(explicit), .explicit, nil) }
        if let env = ProcessEnvironment.get(environmentVariable), !env.isEmpty {
            guard SessionName.isValid(env) else {
                throw CoordError.usage("invalid session name '\(env)' in \(environmentVariable): use \(SessionName.rule)")
            }
            return (env, .environment, nil)
        }
        guard let agent else { return (worktreeName(coord.repository), .worktree, nil) }
        let bindings = coord.agentBindings
        if let bound = bindings.name(of: agent, isLive: coord.holderIsLive) { return (bound, .agent, nil) }
        guard let worktree = worktreeName(coord.repository) else { return (nil, .none, unnamedAgentError(agent)) }
        if let holder = bindings.otherLiveHolder(of: worktree, than: agent, isLive: coord.holderIsLive) {
            return (nil, .none, heldError(worktree, by: holder))
        }
        bindings.bind(agent, to: worktree)
        return (worktree, .agent, nil)
    }

    /// The worktree's own name: the one `join` recorded here, else `git config coord.session`.
    public static func worktreeName(_ repository: Repository) -> String? {
        if let recorded = Files.readString(worktreeFile(repository))?.trimmingSpaces().split(separator: "\n").first.map(String.init),
           SessionName.isValid(recorded) {
            return recorded
        }
        if let configured = repository.configString("coord.session"), SessionName.isValid(configured) {
            return configured
        }
        return nil
    }

    static func unnamedAgentError(_ agent: AgentSession) -> CoordError {
        CoordError.usage("this agent session (\(agent.id.prefix(13))) has no coordination name and this worktree has none: run `git coord join NAME`")
    }

    static func heldError(_ name: String, by holder: AgentBinding) -> CoordError {
        CoordError.usage("this worktree's session '\(name)' belongs to another live agent session (\(holder.agent.prefix(13))\(holder.pid.map { ", process \($0)" } ?? "")): run `git coord join NAME` to give this agent a name of its own")
    }

    /// Records `name` as this worktree's session.
    public static func record(_ name: String, repository: Repository) {
        Files.writeAtomically(worktreeFile(repository), name + "\n")
    }
}

/// Reads the process environment without importing Foundation.
public enum ProcessEnvironment {
    public static func get(_ name: String) -> String? {
        OS.environmentVariable(name)
    }
}
