import MCP

/// The tools the server offers, kept small on the wire: the whole `tools/list` answer stays under
/// 10,000 characters (a test measures it), so related commands share one tool with an `action`.
enum ToolCatalog {
    static let all: [Tool] = [send, inbox, message, sent, board, sessions, job, state, brief, sync]

    /// The argument names each tool accepts.
    static let arguments: [String: Set<String>] = Dictionary(uniqueKeysWithValues: all.map { tool in
        (tool.name, Set(tool.inputSchema.objectValue?["properties"]?.objectValue?.keys.map { $0 } ?? []))
    })

    // MARK: Schema shorthands

    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        var o: [String: Value] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        return .object(o)
    }

    static let string: Value = ["type": "string"]
    static let integer: Value = ["type": "integer"]
    static let boolean: Value = ["type": "boolean"]
    static let strings: Value = ["type": "array", "items": ["type": "string"]]
    static let list: Value = ["type": "array", "items": ["type": "object"]]
    static let anyObject: Value = ["type": "object"]

    static func string(_ description: String) -> Value { ["type": "string", "description": .string(description)] }
    static func integer(_ description: String) -> Value { ["type": "integer", "description": .string(description)] }
    static func boolean(_ description: String) -> Value { ["type": "boolean", "description": .string(description)] }
    static func strings(_ description: String) -> Value { ["type": "array", "items": ["type": "string"], "description": .string(description)] }
    static func action(_ names: [String]) -> Value { ["type": "string", "enum": .array(names.map { .string($0) })] }

    static func tool(_ name: String, _ description: String, input: Value, output: Value, readOnly: Bool = false) -> Tool {
        Tool(name: name, description: description, inputSchema: input,
             annotations: readOnly ? Tool.Annotations(readOnlyHint: true) : nil, outputSchema: output)
    }

    // MARK: Mail

    static let messageList = object(["messages": list], required: ["messages"])

    static let send = tool("send",
        "Send a message to sessions by name, to @all or to @ROLE. Returns the message record (id m-...).",
        input: object([
            "to": strings("Session names, @all or @ROLE"),
            "body": string,
            "subject": string,
            "replyTo": string("Message id this answers"),
            "urgent": boolean,
            "ackRequired": boolean,
            "allowUnknown": boolean("Deliver to names that never joined"),
        ], required: ["to", "body"]),
        output: object(["id": string], required: ["id"]))

    static let inbox = tool("inbox",
        "Messages sent to this session, oldest first. waitMs blocks until an unread message arrives (at most 10 min) and marks what it returns read unless peek.",
        input: object([
            "unread": boolean,
            "from": string,
            "limit": integer,
            "waitMs": integer,
            "peek": boolean,
        ]),
        output: messageList)

    static let message = tool("message",
        "One message: show (marks it read), ack (a receipt its sender sees, with an optional note), or thread (the conversation it belongs to).",
        input: object([
            "action": action(["show", "ack", "thread"]),
            "id": string("Message id or unique prefix"),
            "note": string,
        ], required: ["action", "id"]),
        output: anyObject)

    static let sent = tool("sent",
        "Messages this session sent, with who read and who acknowledged each.",
        input: object(["unacked": boolean("Only those still missing an ack"), "limit": integer]),
        output: messageList, readOnly: true)

    // MARK: Board

    static let board = tool("board",
        "The shared task board. list (status open|claimed|done|all, mine, ready, label), ready, show, add (title, desc, priority 0-4, after, labels, assign), claim, release (force), done (note), reopen, comment (note), edit (title, desc, priority, after, notAfter, labels, notLabels, assign, unassign). Tasks are named by id or unique prefix.",
        input: object([
            "action": action(["list", "ready", "show", "add", "claim", "release", "done", "reopen", "comment", "edit"]),
            "task": string,
            "title": string,
            "desc": string,
            "priority": integer,
            "after": strings,
            "notAfter": strings,
            "labels": strings,
            "notLabels": strings,
            "assign": string,
            "unassign": boolean,
            "status": string,
            "mine": boolean,
            "ready": boolean,
            "label": string,
            "note": string,
            "force": boolean,
        ], required: ["action"]),
        output: object(["task": anyObject, "tasks": list]))

    // MARK: Sessions, jobs, state

    static let sessions = tool("sessions",
        "Who takes part: every session with its state (alive, stale, dead, left), or one session's liveness by name.",
        input: object(["name": string, "all": boolean("Include sessions that left")]),
        output: object(["sessions": list, "session": anyObject]), readOnly: true)

    static let job = tool("job",
        "Supervised jobs. run starts command in the background under a supervisor that records its end (exit code, stderr tail) and messages the notify sessions; list (all), show, wait (timeoutMs).",
        input: object([
            "action": action(["run", "list", "show", "wait"]),
            "command": strings("Program and arguments"),
            "name": string,
            "notify": strings,
            "tail": integer("Stderr lines kept"),
            "id": string,
            "all": boolean,
            "timeoutMs": integer,
        ], required: ["action"]),
        output: object(["job": anyObject, "jobs": list]))

    static let state = tool("state",
        "This session's state, which survives the loss of the agent's context: get, set (any JSON value; null unsets), unset, show (all keys; of names another session).",
        input: object([
            "action": action(["get", "set", "unset", "show"]),
            "key": string,
            "value": [:],
            "of": string,
        ], required: ["action"]),
        output: anyObject)

    static let brief = tool("brief",
        "The briefing for a session: its state, claimed tasks, unread messages, running jobs.",
        input: object(["session": string, "maxBytes": integer]),
        output: anyObject, readOnly: true)

    static let sync = tool("sync",
        "Fetch, merge and push the coordination data with a git remote (default coord.remote, then origin).",
        input: object(["remote": string]),
        output: anyObject)
}
