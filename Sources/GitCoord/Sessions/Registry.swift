/// A session's registration, as `join` records it in `refs/coord/sessions/NAME`.
public struct SessionRecord: Sendable, Equatable, Codable {
    public var name: String
    public var role: String?
    public var host: String?
    public var worktree: String?
    public var pid: Int32?
    /// When that process started (``ProcessIdentity``), so a later process given the same pid
    /// is not taken for it.
    public var pidStart: String?
    /// A random id for this incarnation of the session, new at each join.
    public var instance: String?
    /// The agent's own session id (for example Claude Code's), so a resumed agent keeps its name.
    public var agentSession: String?
    public var joinedAt: Int64?
    public var left: Bool
    public var leftAt: Int64?

    public init(name: String, role: String? = nil, host: String? = nil, worktree: String? = nil, pid: Int32? = nil,
                instance: String? = nil, agentSession: String? = nil, joinedAt: Int64? = nil, left: Bool = false, leftAt: Int64? = nil,
                pidStart: String? = nil) {
        self.name = name
        self.role = role
        self.host = host
        self.worktree = worktree
        self.pid = pid
        self.pidStart = pidStart
        self.instance = instance
        self.agentSession = agentSession
        self.joinedAt = joinedAt
        self.left = left
        self.leftAt = leftAt
    }
}

extension Coord {
    static let sessionCell = "session.lww"

    /// Registers `name` with a role and binds it: inside an agent (``agent``) to that agent
    /// session and its process, outside an agent to this worktree. Returns the record.
    ///
    /// A name that another live session holds (another agent, or a session alive in another
    /// worktree or on another host) is refused unless `takeover` is set, so a join never silently
    /// takes a working session's name.
    @discardableResult
    public func join(_ name: String, role: String?, pid: Int32? = nil, agentSession: String? = nil, takeover: Bool = false) throws(CoordError) -> SessionRecord {
        try SessionName.validate(name)
        if let role { try SessionName.validate(role, what: "role") }
        if !takeover { try refuseTakeover(of: name) }
        let pid = pid ?? agent?.pid
        let agentSession = agentSession ?? agent?.id
        let worktree = worktreePath
        let host = ProcessRunner.hostName
        let instance = IDGenerator.make("i-", length: 10)
        try store.update(DocumentID(.sessions, name), as: name) { (tx) throws(CoordError) in
            var fields: [String: JSONValue] = [
                "name": .string(name),
                "host": .string(host),
                "worktree": .string(worktree),
                "instance": .string(instance),
                "joinedAt": .int(tx.stamp.milliseconds),
                "left": false,
                "leftAt": nil,
                "pid": pid.map { .int(Int64($0)) } ?? .null,
                "pidStart": pid.flatMap(ProcessIdentity.start(of:)).map(JSONValue.string) ?? .null,
            ]
            if let role { fields["role"] = .string(role) }
            if let agentSession { fields["agentSession"] = .string(agentSession) }
            tx.set(Coord.sessionCell, fields)
            tx.subject = "sessions: join \(name)\(role.map { " as \($0)" } ?? "") on \(host)"
            tx.operation = "sessions.join"
        }
        Files.makeFolders(store.localFolder)  // hook commands look for it before starting git-coord
        if let agent {
            agentBindings.bind(agent, to: name)
        } else {
            Identity.record(name, store: store)
        }
        // A join starts a new incarnation: a fresh beat, with this pid (or none) and no end.
        try beat(name, pid: pid, clearPid: pid == nil, ended: false)
        guard let record = try sessionRecord(name) else { throw CoordError.invariant("joined \(name) but cannot read it back") }
        return record
    }

    /// Refuses to join as `name` when another live session holds it: an agent bound to it (other
    /// than this one), or a registration alive in another worktree or on another host.
    func refuseTakeover(of name: String) throws(CoordError) {
        let bindings = agentBindings
        if let holder = bindings.otherLiveHolder(of: name, than: agent, isLive: holderIsLive) {
            throw CoordError.refused("session '\(name)' is held by another live agent session (\(holder.agent.prefix(13))\(holder.pid.map { ", process \($0)" } ?? "")): choose another name, or pass --takeover to take it over")
        }
        guard let status = try sessionStatus(name), status.state == .alive else { return }
        if let agent, let holder = bindings.holder(of: name), agent.isSameAgent(as: holder) { return }
        let here = worktreePath
        let sameHost = status.record.host == nil || status.record.host == ProcessRunner.hostName
        let sameWorktree = status.record.worktree == nil || status.record.worktree == here
        if sameHost && sameWorktree { return }
        let whereText = sameHost ? "in \(status.record.worktree ?? "?")" : "on \(status.record.host ?? "?")"
        throw CoordError.refused("session '\(name)' is alive \(whereText): choose another name, run `git coord leave \(name)` there first, or pass --takeover")
    }

    /// This worktree's folder (the git dir for a bare repository), as `join` records it.
    var worktreePath: String {
        store.workDir.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? store.gitDir
    }

    /// Marks `name` as gone for good: `sessions` hides it and `alive` answers `left`.
    @discardableResult
    public func leave(_ name: String) throws(CoordError) -> SessionRecord {
        try SessionName.validate(name)
        guard try sessionRecord(name) != nil else {
            throw CoordError.usage("no session named '\(name)' has joined: see `git coord sessions --all`")
        }
        try store.update(DocumentID(.sessions, name), as: name) { (tx) throws(CoordError) in
            tx.set(Coord.sessionCell, ["left": true, "leftAt": .int(tx.stamp.milliseconds)])
            tx.subject = "sessions: leave \(name)"
            tx.operation = "sessions.leave"
        }
        guard let record = try sessionRecord(name) else { throw CoordError.invariant("left \(name) but cannot read it back") }
        return record
    }

    /// The registration of a session, nil when it never joined.
    public func sessionRecord(_ name: String) throws(CoordError) -> SessionRecord? {
        let snap = try store.snapshot(DocumentID(.sessions, name))
        guard let map = try snap.fields(Coord.sessionCell) else { return nil }
        return SessionRecord(fields: map, name: name)
    }

    /// Every session that ever joined, sorted by name.
    public func sessionRecords() throws(CoordError) -> [SessionRecord] {
        var out: [SessionRecord] = []
        for doc in try store.documents(.sessions) {
            if let owner = doc.owner, let r = try sessionRecord(owner) { out.append(r) }
        }
        return out
    }
}

extension SessionRecord {
    init(fields map: FieldMap, name: String) {
        self.name = name
        role = map.value("role")?.stringValue
        host = map.value("host")?.stringValue
        worktree = map.value("worktree")?.stringValue
        pid = map.value("pid")?.intValue.map { Int32(truncatingIfNeeded: $0) }
        pidStart = map.value("pidStart")?.stringValue
        instance = map.value("instance")?.stringValue
        agentSession = map.value("agentSession")?.stringValue
        joinedAt = map.value("joinedAt")?.intValue
        left = map.value("left")?.boolValue ?? false
        leftAt = map.value("leftAt")?.intValue
    }
}

extension SessionRecord {
    /// The JSON form printed by `--json`.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["name": .string(name), "left": .bool(left)]
        o["role"] = role.map(JSONValue.string) ?? .null
        o["host"] = host.map(JSONValue.string) ?? .null
        o["worktree"] = worktree.map(JSONValue.string) ?? .null
        o["pid"] = pid.map { .int(Int64($0)) } ?? .null
        o["pidStart"] = pidStart.map(JSONValue.string) ?? .null
        o["instance"] = instance.map(JSONValue.string) ?? .null
        o["agentSession"] = agentSession.map(JSONValue.string) ?? .null
        o["joinedAt"] = joinedAt.map(JSONValue.int) ?? .null
        o["leftAt"] = leftAt.map(JSONValue.int) ?? .null
        return .object(o)
    }
}
