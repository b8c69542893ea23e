/// The hook commands an agent runs (`git coord hooks run KIND`), as library calls.
///
/// - `session-start` (SessionStart: startup, resume, clear, compact, fork): settles the agent's
///   coordination name (Docs/Agents.md), (re-)joins it, and answers the brief as
///   `additionalContext`, so the briefing comes back after every compaction or `/clear`.
/// - `session-end` (SessionEnd): marks the session left, so `alive` is right at once; after
///   `/clear` it keeps the name for the same agent process instead.
/// - `prompt` and `post-tool` (UserPromptSubmit, PostToolUse): announce unread messages not yet
///   announced, once each, as `additionalContext`; print nothing otherwise; inside a subagent
///   they stay silent, so every message is still told to the main agent.
/// - `stop-wait` (Stop, StopFailure and the idle-prompt Notification, with `asyncRewake`): waits for
///   the next unread message not yet announced and ends with exit status 2 and a short summary on
///   standard error, which wakes the idle agent. At most one waiter per session: a new one stops
///   the one before it.
public enum HookKind: String, Sendable, CaseIterable {
    case sessionStart = "session-start"
    case sessionEnd = "session-end"
    case prompt
    case postTool = "post-tool"
    case stopWait = "stop-wait"
    case preTool = "pre-tool"

    /// The Claude Code event this hook answers.
    public var event: String {
        switch self {
        case .sessionStart: return "SessionStart"
        case .sessionEnd: return "SessionEnd"
        case .prompt: return "UserPromptSubmit"
        case .postTool: return "PostToolUse"
        case .stopWait: return "Stop"
        case .preTool: return "PreToolUse"
        }
    }
}

extension Coord {
    /// SessionStart: settles the agent's name, (re-)joins it and answers the brief as context.
    ///
    /// The name: the one bound to this agent session, or to its process after `/clear`; a fork is
    /// a new agent and never inherits a name; otherwise the worktree's name while no other live
    /// agent holds it, else the first free `NAME-2`, `NAME-3`, ... (Docs/Agents.md).
    public func runSessionStartHook(_ payload: HookPayload, maxBytes: Int = Brief.defaultMaxBytes) throws(CoordError) -> HookResult {
        let event = HookKind.sessionStart.event
        var name = session
        var note: String?
        if let agent, sessionSource == .agent || sessionSource == .none {
            let worktree = Identity.worktreeName(store)
            var base: String?
            if payload.source == "fork" {
                // A fork is a new agent: it never inherits the name of the session it forked from.
                base = session ?? worktree
                name = try base.flatMap { (b) throws(CoordError) in try freeName(near: b, for: agent, from: 2) }
            } else if name == nil {
                if payload.source == "clear", let cleared = agentBindings.takeCleared() {
                    name = cleared
                } else {
                    base = worktree
                    name = try base.flatMap { (b) throws(CoordError) in try freeName(near: b, for: agent, from: 1) }
                }
            }
            if let base, let name, name != base {
                note = "\(base) is held by another agent session, so this agent session is \(name)."
            }
        }
        guard let name else {
            return .context("git coord: this agent session has no coordination name, and this worktree has none. `git coord join NAME --role ROLE` gives it one.", event: event)
        }
        if let agent { agentBindings.bind(agent, to: name) }
        let me = acting(as: name)
        defer { me.noteActivity() }
        let record = try sessionRecord(name)
        let newAgent = agent != nil && record?.agentSession != agent?.id
        if record == nil || record?.left == true || newAgent || payload.source == "startup" || payload.source == "resume" {
            try me.join(name, role: record?.role, pid: agent?.pid, agentSession: agent?.id ?? record?.agentSession, takeover: true)
        }
        let brief = try self.brief(for: name, maxBytes: maxBytes)
        return .context((note.map { "git coord: " + $0 + "\n" } ?? "") + brief.text, event: event)
    }

    /// The first of `base`, `base-2`, `base-3`, ... that no other live agent holds and no other
    /// live session is registered as.
    func freeName(near base: String, for agent: AgentSession, from first: Int) throws(CoordError) -> String? {
        let bindings = agentBindings
        for n in first...99 {
            let candidate = n == 1 ? base : "\(base.prefix(60))-\(n)"
            guard SessionName.isValid(candidate) else { continue }
            if bindings.otherLiveHolder(of: candidate, than: agent, isLive: holderIsLive) != nil { continue }
            // A live registration by another session blocks the name too, except that an agent
            // may take its worktree's own name from a registration made without an agent (the
            // worktree joined by hand).
            if let status = try sessionStatus(candidate), status.state == .alive, status.record.agentSession != agent.id,
               !(n == 1 && status.record.agentSession == nil) { continue }
            return candidate
        }
        return nil
    }

    /// SessionEnd: the session is left at once (its waiter stopped, its name free again), except
    /// after `/clear`, when the same agent carries on under a new session id and keeps the name.
    public func runSessionEndHook(_ payload: HookPayload) throws(CoordError) -> HookResult {
        guard payload.agentID == nil, let name = session else { return .silent }
        if payload.reason == "clear" {
            if agent?.pid == nil { agentBindings.markCleared(name) }
            return .silent
        }
        if let agent { agentBindings.release(name, by: agent) }
        let files = HookFiles(coord: self)
        Coord.replaceWaiter(files: files, session: name, with: nil)
        if let record = try sessionRecord(name), !record.left,
           agent == nil || record.agentSession == nil || record.agentSession == agent?.id {
            try acting(as: name).leave(name)
        }
        return .silent
    }

    /// UserPromptSubmit / PostToolUse: tells about unread messages not told before; silent otherwise
    /// and always inside a subagent (its context is not the main agent's).
    public func runNotifyHook(_ kind: HookKind, _ payload: HookPayload) throws(CoordError) -> HookResult {
        guard let name = session else { return .silent }
        acting(as: name).noteActivity()
        guard payload.agentID == nil else { return .silent }
        let files = HookFiles(coord: self)
        let new = try untold(name, files: files)
        guard !new.isEmpty else { return .silent }
        files.markTold(new.map(\.id), session: name)
        return .context(Coord.announcement(new, to: name), event: kind.event)
    }

    /// Stop with asyncRewake: replaces any earlier waiter of the session, waits for a message not
    /// told before, and returns exit status 2 with a summary on standard error (status 0 and no
    /// output on time-out, when replaced, or when no session is known).
    public func runStopWaitHook(_ payload: HookPayload, timeoutMs: Int64) throws(CoordError) -> HookResult {
        guard payload.agentID == nil, let name = session else { return .silent }
        let files = HookFiles(coord: self)
        let me = OS.processID
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

    /// Records `pid` as the session's waiter and stops the one recorded before it, if that very
    /// process still runs (never a later process that was given the same pid).
    /// With nil, only stops the recorded waiter (the session ended).
    static func replaceWaiter(files: HookFiles, session: String, with pid: Int32?) {
        if let old = files.waiter(session), old.pid != pid, old.pid > 0,
           ProcessIdentity.isRunning(old.pid, start: old.start) {
            try? OS.send(.terminate, to: old.pid)
        }
        if let pid {
            Files.writeAtomically(files.waiterPidFile(session), "\(pid)\n\(ProcessIdentity.start(of: pid) ?? "")\n")
        } else {
            Files.remove(files.waiterPidFile(session))
        }
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
        lines.append("`git coord inbox` lists them; `git coord show ID` shows one in full.")
        return lines.joined(separator: "\n")
    }
}

extension Coord {
    /// Runs one hook, `git coord hooks run KIND`: what it prints and how it exits, for the agent's
    /// payload (`input`, read as `payload`).
    ///
    /// A probe from `hooks doctor` is answered with who the hook would act as and which binary
    /// runs it, and nothing else is done. With `plain`, only the text of the answer's
    /// `additionalContext` is printed (for agents other than Claude Code).
    public func runHook(_ hook: HookKind, input: [UInt8], payload: HookPayload, plain: Bool = false, maxBytes: Int = Brief.defaultMaxBytes,
                        timeoutMs: Int64, binary: String = Executable.current) throws(CoordError) -> HookResult {
        if payload.probe {
            let answer: JSONValue = ["gitCoordProbe": .object(["hook": .string(hook.rawValue), "binary": .string(binary),
                                                               "session": session.map(JSONValue.string) ?? .null])]
            return HookResult(stdout: answer.canonicalString + "\n", stderr: "", exitCode: 0)
        }
        var result: HookResult
        switch hook {
        case .sessionStart: result = try runSessionStartHook(payload, maxBytes: maxBytes)
        case .sessionEnd: result = try runSessionEndHook(payload)
        case .prompt, .postTool: result = try runNotifyHook(hook, payload)
        case .stopWait: result = try runStopWaitHook(payload, timeoutMs: timeoutMs)
        case .preTool: result = try runLeaseGuardHook(input, payload: payload)
        }
        if plain { result.stdout = HookResult.additionalContext(of: result.stdout).map { $0 + "\n" } ?? "" }
        return result
    }
}
