/// The JSON an agent passes a hook on standard input, as far as git coord reads it.
///
/// Claude Code sends `session_id`, `transcript_path`, `cwd`, `hook_event_name` and per-event fields
/// (`source` for SessionStart, `prompt`, `tool_name`, ...). Only the fields below are read; anything
/// else (including tool output of any size and shape) is skipped. A missing or unreadable payload
/// is an empty one: hooks then fall back to the worktree's session.
public struct HookPayload: Sendable, Equatable {
    public var sessionID: String?
    public var cwd: String?
    public var event: String?
    /// SessionStart's `source`: startup, resume, clear, compact or fork.
    public var source: String?
    /// SessionEnd's `reason`: clear, logout, prompt_input_exit, other, ...
    public var reason: String?
    /// The subagent the hook runs in (`agent_id`), nil in the main agent.
    public var agentID: String?
    /// Set by `hooks doctor`: answer who the hook would act as, and do nothing else.
    public var probe = false

    public init(sessionID: String? = nil, cwd: String? = nil, event: String? = nil, source: String? = nil,
                reason: String? = nil, agentID: String? = nil) {
        self.sessionID = sessionID
        self.cwd = cwd
        self.event = event
        self.source = source
        self.reason = reason
        self.agentID = agentID
    }

    public init(bytes: [UInt8]) {
        guard let root = try? JSONSpan.parse(bytes) else { self.init(); return }
        self.init(
            sessionID: root["session_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
            cwd: root["cwd"]?.stringValue,
            event: root["hook_event_name"]?.stringValue,
            source: root["source"]?.stringValue,
            reason: root["reason"]?.stringValue,
            agentID: root["agent_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
        if case .scalar(let start, let end, nil)? = root["git_coord_probe"] { probe = Array(bytes[start..<end]) == Array("true".utf8) }
    }
}

/// What a hook run prints and how it exits.
public struct HookResult: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    public static let silent = HookResult(stdout: "", stderr: "", exitCode: 0)

    /// The documented answer that adds context: `{"hookSpecificOutput":{"additionalContext":…,"hookEventName":EVENT}}`.
    static func context(_ text: String, event: String) -> HookResult {
        let json = JSONValue.object(["hookSpecificOutput": .object(["hookEventName": .string(event), "additionalContext": .string(text)])])
        return HookResult(stdout: json.canonicalString + "\n", stderr: "", exitCode: 0)
    }
}

extension HookResult {
    /// The `additionalContext` inside an answer printed by a hook, for `--plain` output.
    public static func additionalContext(of stdout: String) -> String? {
        guard let v = try? JSONValue.parse(Array(stdout.utf8)) else { return nil }
        return v["hookSpecificOutput"]?["additionalContext"]?.stringValue
    }
}

extension AgentSession {
    /// The agent session of a hook: the environment's, else the payload's `session_id`; the
    /// process from `CLAUDE_PID` either way, the subagent from the payload's `agent_id`.
    public static func from(payload: HookPayload?) -> AgentSession? {
        from(sessionID: payload?.sessionID, agentID: payload?.agentID)
    }
}
