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
    public static func worktreeFile(_ store: CoordStore) -> String {
        Files.join(store.gitDir, "coord", "session")
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
        guard let agent else { return (worktreeName(coord.store), .worktree, nil) }
        let bindings = coord.agentBindings
        if let bound = bindings.name(of: agent, isLive: coord.holderIsLive) { return (bound, .agent, nil) }
        guard let worktree = worktreeName(coord.store) else { return (nil, .none, unnamedAgentError(agent)) }
        if let holder = bindings.otherLiveHolder(of: worktree, than: agent, isLive: coord.holderIsLive) {
            return (nil, .none, heldError(worktree, by: holder))
        }
        bindings.bind(agent, to: worktree)
        return (worktree, .agent, nil)
    }

    /// The worktree's own name: the one `join` recorded here, else `git config coord.session`.
    public static func worktreeName(_ store: CoordStore) -> String? {
        if let recorded = Files.readString(worktreeFile(store))?.trimmingSpaces().split(separator: "\n").first.map(String.init),
           SessionName.isValid(recorded) {
            return recorded
        }
        if let configured = store.config("coord.session"), SessionName.isValid(configured) {
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
    public static func record(_ name: String, store: CoordStore) {
        Files.writeAtomically(worktreeFile(store), name + "\n")
    }
}
