/// The agent session a command runs inside: Claude Code's or Codex's own session, as it tells its
/// tools and hooks.
///
/// Claude Code gives every hook and every Bash tool command `CLAUDE_CODE_SESSION_ID` (a new id
/// after `/clear`) and `CLAUDE_PID`, and gives hooks `session_id` in their payload, plus `agent_id`
/// when the hook runs inside a subagent. Codex CLI gives `CODEX_THREAD_ID`. Several agents in one
/// working directory therefore tell themselves apart by these, never by the directory.
public struct AgentSession: Sendable, Equatable {
    /// The agent's own session id (Claude Code's session id, Codex's thread id).
    public var id: String
    /// The agent's process (`CLAUDE_PID`), which outlives `/clear`.
    public var pid: Int32?
    /// When that process started (``ProcessIdentity``), so a later process given the pid is not it.
    public var pidStart: String?
    /// The subagent a hook runs in (`agent_id`), nil in the main agent.
    public var subagent: String?

    public init(id: String, pid: Int32? = nil, pidStart: String? = nil, subagent: String? = nil) {
        self.id = id
        self.pid = pid
        self.pidStart = pidStart
        self.subagent = subagent
    }

    /// The environment variables that name an agent session, in the order they are read.
    public static let environmentVariables = ["CLAUDE_CODE_SESSION_ID", "CODEX_THREAD_ID"]
    /// The variable naming the agent's process.
    public static let processVariable = "CLAUDE_PID"

    /// The agent session named by this process's environment, nil outside an agent.
    public static func fromEnvironment() -> AgentSession? {
        from(sessionID: nil, agentID: nil)
    }

    /// The agent session `sessionID` names (a hook's `session_id`), else the environment's; the
    /// process from `CLAUDE_PID` either way, the subagent `agentID`. A hook's payload gives both
    /// (``from(payload:)``).
    static func from(sessionID: String?, agentID: String?) -> AgentSession? {
        let fromEnv = environmentVariables.lazy.compactMap { ProcessEnvironment.get($0) }.first { !$0.isEmpty }
        guard let id = sessionID ?? fromEnv, AgentSession.isUsable(id) else { return nil }
        var agent = AgentSession(id: id, subagent: agentID)
        if let text = ProcessEnvironment.get(processVariable), let pid = Int32(text), pid > 1 {
            agent.pid = pid
            agent.pidStart = ProcessIdentity.start(of: pid)
        }
        return agent
    }

    /// Ids are opaque, but a usable one is short printable text.
    static func isUsable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 256 && id.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7f }
    }

    /// Whether this agent session is the process `holder` names (same process, or same id).
    func isSameAgent(as holder: AgentBinding) -> Bool {
        if holder.agent == id { return true }
        if let pid, let hp = holder.pid, pid == hp, pidStart == holder.pidStart { return true }
        return false
    }
}

/// Who holds a coordination name, as the agent bindings record it.
public struct AgentBinding: Sendable, Equatable {
    /// The name.
    public var name: String
    /// The agent session id that holds it.
    public var agent: String
    /// The agent's process and its start, when known.
    public var pid: Int32?
    public var pidStart: String?
    /// When it was bound (ms since 1970).
    public var at: Int64

    var json: JSONValue {
        .object([
            "name": .string(name), "agent": .string(agent), "at": .int(at),
            "pid": pid.map { .int(Int64($0)) } ?? .null,
            "pidStart": pidStart.map(JSONValue.string) ?? .null,
        ])
    }

    init(name: String, agent: AgentSession, at: Int64) {
        self.name = name
        self.agent = agent.id
        self.pid = agent.pid
        self.pidStart = agent.pidStart
        self.at = at
    }

    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, SessionName.isValid(name),
              let agent = json["agent"]?.stringValue else { return nil }
        self.name = name
        self.agent = agent
        pid = json["pid"]?.intValue.flatMap { Int32(exactly: $0) }
        pidStart = json["pidStart"]?.stringValue
        at = json["at"]?.intValue ?? 0
    }

    /// Whether the holding process still runs; nil when no process was recorded.
    var processRunning: Bool? {
        guard let pid else { return nil }
        return ProcessIdentity.isRunning(pid, start: pidStart)
    }
}

/// The local table of which agent session holds which coordination name, under
/// `<commondir>/coord/agents/` (never synced: agent sessions are local to a machine).
///
/// - `id/<agent-id>`: the name an agent session acts as.
/// - `process/<pid>`: the name the agent process with that pid (and start) acts as, so an agent
///   keeps its name across `/clear`, which gives it a new session id in the same process.
/// - `name/<name>`: the agent that holds a name, so a second agent never takes it silently.
///
/// Every file is replaced atomically; readers tolerate a missing or malformed file (it counts as
/// absent), so the table can be deleted at any time and agents simply bind again.
public struct AgentBindings: Sendable {
    public let folder: String

    public init(localFolder: String) { folder = Files.join(localFolder, "agents") }

    static func safe(_ text: String) -> String {
        String(text.prefix(128).map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : "_"
        })
    }

    func idFile(_ id: String) -> String { Files.join(folder, "id", Self.safe(id)) }
    func processFile(_ pid: Int32) -> String { Files.join(folder, "process", String(pid)) }
    func nameFile(_ name: String) -> String { Files.join(folder, "name", name) }

    func read(_ path: String) -> AgentBinding? {
        guard let bytes = Files.read(path), let json = try? JSONValue.parse(bytes) else { return nil }
        return AgentBinding(json: json)
    }

    /// The binding of `name`, nil when no agent holds it.
    public func holder(of name: String) -> AgentBinding? { read(nameFile(name)) }

    /// The name an agent session acts as: the one bound to its id, else the one bound to its
    /// process (the same Claude Code process after `/clear`). Nil when neither, or when the name
    /// has since been taken by another agent that still runs.
    /// `isLive` judges a holder whose process is unknown (see ``otherLiveHolder(of:than:isLive:)``).
    public func name(of agent: AgentSession, usingProcess: Bool = true, isLive: (AgentBinding) -> Bool = { _ in true }) -> String? {
        if let b = read(idFile(agent.id)), b.agent == agent.id,
           otherLiveHolder(of: b.name, than: agent, isLive: isLive) == nil {
            return b.name
        }
        if usingProcess, let pid = agent.pid, let b = read(processFile(pid)), b.pid == pid, b.pidStart == agent.pidStart,
           otherLiveHolder(of: b.name, than: agent, isLive: isLive) == nil {
            return b.name
        }
        return nil
    }

    /// The binding of `name` when another agent holds it and is live: its process runs, or, when
    /// no process was recorded, `isLive` says so (the caller asks the session's liveness).
    public func otherLiveHolder(of name: String, than agent: AgentSession?, isLive: (AgentBinding) -> Bool) -> AgentBinding? {
        guard let h = holder(of: name) else { return nil }
        if let agent, agent.isSameAgent(as: h) { return nil }
        if let running = h.processRunning { return running ? h : nil }
        return isLive(h) ? h : nil
    }

    /// Binds `agent` to `name` (its id, its process, and the name's holder).
    public func bind(_ agent: AgentSession, to name: String, now: Int64 = Clock.nowMilliseconds()) {
        // A name this agent held before is free again.
        for old in [read(idFile(agent.id)), agent.pid.flatMap { read(processFile($0)) }].compactMap({ $0 }) where old.name != name {
            if let h = holder(of: old.name), agent.isSameAgent(as: h) { Files.remove(nameFile(old.name)) }
        }
        let b = AgentBinding(name: name, agent: agent, at: now).json.canonicalString + "\n"
        Files.writeAtomically(idFile(agent.id), b)
        if let pid = agent.pid { Files.writeAtomically(processFile(pid), b) }
        Files.writeAtomically(nameFile(name), b)
    }

    func clearedFile(_ name: String) -> String { Files.join(folder, "cleared", name) }

    /// Notes that the agent holding `name` ran `/clear` (for agents without a known process,
    /// whose next session id cannot be tied to them otherwise).
    public func markCleared(_ name: String, now: Int64 = Clock.nowMilliseconds()) {
        Files.writeAtomically(clearedFile(name), "\(now)\n")
    }

    /// The name most recently marked cleared within the last minute, taken (removed) so that
    /// only one new session gets it.
    public func takeCleared(now: Int64 = Clock.nowMilliseconds()) -> String? {
        let folder = Files.join(self.folder, "cleared")
        let fresh = Files.list(folder).compactMap { name -> (String, Int64)? in
            guard SessionName.isValid(name), let text = Files.readString(Files.join(folder, name)),
                  let at = Int64(text.trimmingSpaces()), now - at < 60_000 else { return nil }
            return (name, at)
        }.sorted { $0.1 > $1.1 }
        for (name, _) in fresh {
            let claimed = clearedFile(name) + ".taken.\(OS.processID)"
            if (try? OS.move(clearedFile(name), to: claimed)) != nil { Files.remove(claimed); return name }
        }
        return nil
    }

    /// Lets go of `name` if `agent` holds it (the agent's session ended).
    public func release(_ name: String, by agent: AgentSession) {
        if let h = holder(of: name), agent.isSameAgent(as: h) { Files.remove(nameFile(name)) }
        if let b = read(idFile(agent.id)), b.name == name { Files.remove(idFile(agent.id)) }
        if let pid = agent.pid, let b = read(processFile(pid)), b.name == name, b.pidStart == agent.pidStart {
            Files.remove(processFile(pid))
        }
    }
}
