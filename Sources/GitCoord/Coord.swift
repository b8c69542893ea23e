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
        let anonymous = Coord(store: probe.acting(as: nil), agent: agent)
        let resolved = try Identity.resolve(explicit: explicitSession, agent: agent, coord: anonymous)
        return Coord(store: probe.acting(as: resolved.name), agent: agent,
                     source: resolved.source, sessionProblem: resolved.problem)
    }

    /// The acting session, or the error that says how to get one.
    public func requireSession() throws(CoordError) -> String {
        guard let session else { throw sessionProblem ?? Identity.noSessionError }
        return session
    }

    /// A `Coord` on the same repository acting as `name`.
    func acting(as name: String) -> Coord {
        name == session ? self : Coord(store: store.acting(as: name), agent: agent, source: .explicit)
    }

    /// The local table of agent sessions and the names they hold.
    public var agentBindings: AgentBindings { AgentBindings(localFolder: store.localFolder) }

    /// Whether the holder of a name, whose process is unknown, is live by the session rule.
    func holderIsLive(_ holder: AgentBinding) -> Bool {
        guard let status = try? sessionStatus(holder.name) else { return false }
        return status.state == .alive
    }
}
