#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hook commands an agent runs (`git coord hooks run KIND`), as library calls.
///
/// - `session-start` (Claude Code's SessionStart, matchers startup, resume, compact): finds the
///   coordination name of the agent session, (re-)joins it, and answers the brief as
///   `additionalContext`, so the briefing comes back after every compaction.
/// - `prompt` and `post-tool` (UserPromptSubmit, PostToolUse): announce unread messages not yet
///   announced, once each, as `additionalContext`; print nothing otherwise. Local reads only.
/// - `stop-wait` (Stop with `asyncRewake`): waits for the next unread message not yet announced and
///   ends with exit status 2 and a short summary on standard error, which wakes the idle agent. At
///   most one waiter per session: a new one stops the one before it.
public enum HookKind: String, Sendable, CaseIterable {
    case sessionStart = "session-start"
    case prompt
    case postTool = "post-tool"
    case stopWait = "stop-wait"
    case preTool = "pre-tool"

    /// The Claude Code event this hook answers.
    public var event: String {
        switch self {
        case .sessionStart: return "SessionStart"
        case .prompt: return "UserPromptSubmit"
        case .postTool: return "PostToolUse"
        case .stopWait: return "Stop"
        case .preTool: return "PreToolUse"
        }
    }
}

extension Coord {
    /// The coordination session a hook acts for: the name remembered for the agent session id,
    /// else the worktree's session (`--session`, `GIT_COORD_SESSION`, `join`), else the session
    /// that joined with this agent session id. Nil when none is known.
    public func hookSession(_ payload: HookPayload, files: HookFiles) throws(CoordError) -> String? {
        if let id = payload.sessionID, let name = files.session(forAgent: id) { return name }
        if let session { return session }
        if let id = payload.sessionID, let r = try sessionRecords().first(where: { $0.agentSession == id }) { return r.name }
        return nil
    }

    /// SessionStart: (re-)joins the agent's session and answers the brief as additional context.
    public func runSessionStartHook(_ payload: HookPayload, maxBytes: Int = Brief.defaultMaxBytes) throws(CoordError) -> HookResult {
        let files = HookFiles(coord: self)
        guard let name = try hookSession(payload, files: files) else {
            let join = "git coord join NAME --role ROLE" + (payload.sessionID.map { " --agent-session \($0)" } ?? "")
            return .context("git coord: this worktree has not joined a coordination session. To take part, run `\(join)`.", event: HookKind.sessionStart.event)
        }
        if let id = payload.sessionID { files.remember(agent: id, as: name) }
        defer { acting(as: name).noteActivity() }
        let record = try sessionRecord(name)
        let newAgent = payload.sessionID != nil && record?.agentSession != payload.sessionID
        if record == nil || record?.left == true || newAgent || payload.source == "startup" || payload.source == "resume" {
            try join(name, role: record?.role, agentSession: payload.sessionID ?? record?.agentSession)
        }
        let brief = try self.brief(for: name, maxBytes: maxBytes)
        return .context(brief.text, event: HookKind.sessionStart.event)
    }

    /// UserPromptSubmit / PostToolUse: tells about unread messages not told before; silent otherwise.
    public func runNotifyHook(_ kind: HookKind, _ payload: HookPayload) throws(CoordError) -> HookResult {
        let files = HookFiles(coord: self)
        guard let name = try hookSession(payload, files: files) else { return .silent }
        acting(as: name).noteActivity()
        let new = try untold(name, files: files)
        guard !new.isEmpty else { return .silent }
        files.markTold(new.map(\.id), session: name)
        return .context(Coord.announcement(new, to: name), event: kind.event)
    }

    /// Stop with asyncRewake: replaces any earlier waiter of the session, waits for a message not
    /// told before, and returns exit status 2 with a summary on standard error (status 0 and no
    /// output on time-out, when replaced, or when no session is known).
    public func runStopWaitHook(_ payload: HookPayload, timeoutMs: Int64) throws(CoordError) -> HookResult {
        let files = HookFiles(coord: self)
        guard let name = try hookSession(payload, files: files) else { return .silent }
        let me = getpid()
        Coord.replaceWaiter(files: files, session: name, with: me)
        defer { if files.waiterPid(name) == me { Files.remove(files.waiterPidFile(name)) } }
        var new: [HookMessage] = []
        let arrived = try waitForMail(of: name, timeoutMs: timeoutMs) { () throws(CoordError) -> Bool in
            guard files.waiterPid(name) == me else { return true }
            new = try untold(name, files: files)
            return !new.isEmpty
        }
        guard arrived, !new.isEmpty, files.waiterPid(name) == me else { return .silent }
        files.markTold(new.map(\.id), session: name)
        return HookResult(stdout: "", stderr: Coord.announcement(new, to: name) + "\n", exitCode: 2)
    }

    /// A `Coord` on the same repository acting as `name`.
    func acting(as name: String) -> Coord {
        name == session ? self : Coord(store: CoordStore(repository: repository, session: name))
    }

    /// Records `pid` as the session's waiter and stops the one recorded before it, if that very
    /// process still runs (never a later process that was given the same pid).
    static func replaceWaiter(files: HookFiles, session: String, with pid: Int32) {
        if let old = files.waiter(session), old.pid != pid, old.pid > 0,
           ProcessIdentity.isRunning(old.pid, start: old.start) {
            kill(old.pid, SIGTERM)
        }
        Files.writeAtomically(files.waiterPidFile(session), "\(pid)\n\(ProcessIdentity.start(of: pid) ?? "")\n")
    }

    /// Unread messages not announced yet. Keeps `told` small: once it holds more than 500 ids,
    /// it is rewritten with only those still unread (the others can never be announced again).
    func untold(_ session: String, files: HookFiles) throws(CoordError) -> [HookMessage] {
        let told = files.told(session)
        let unread = try unreadMessages(of: session)
        if told.count > 500 { files.replaceTold(Set(unread.map(\.id)).intersection(told), session: session) }
        return unread.filter { !told.contains($0.id) }
    }

    /// "git coord: 2 new messages for worker-1 (1 urgent)" and one line per message.
    static func announcement(_ messages: [HookMessage], to session: String) -> String {
        let urgent = messages.filter(\.urgent).count
        var lines = ["git coord: \(messages.count) new message\(messages.count == 1 ? "" : "s") for \(session)\(urgent > 0 ? " (\(urgent) urgent)" : ""):"]
        for m in messages.prefix(10) {
            lines.append("- \(m.urgent ? "URGENT " : "")\(m.id) from \(m.from): \(m.summary(160))")
        }
        if messages.count > 10 { lines.append("… \(messages.count - 10) more") }
        lines.append("Read them with `git coord inbox`, or `git coord show ID`.")
        return lines.joined(separator: "\n")
    }
}
