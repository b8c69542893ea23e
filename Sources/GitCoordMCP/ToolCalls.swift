import GitCoord

/// What a tool answers: structured content (a JSON object, the CLI's `--json` shapes) and a short
/// text for the model.
struct ToolAnswer: Sendable {
    var structured: JSONValue
    var text: String
}

/// Runs the tools against one `Coord`: every call is a library call the CLI makes too.
///
/// Not thread-safe: ``CoordService`` runs the calls one at a time.
struct ToolCalls {
    let coord: Coord

    /// The longest an `inbox` or `job wait` call may block (a client may cancel sooner).
    static let maxWaitMs: Int64 = 600_000

    func call(_ name: String, _ args: ToolArguments) throws(CoordError) -> ToolAnswer {
        switch name {
        case "send": return try send(args)
        case "inbox": return try inbox(args)
        case "message": return try message(args)
        case "sent": return try sent(args)
        case "board": return try board(args)
        case "sessions": return try sessions(args)
        case "job": return try job(args)
        case "state": return try state(args)
        case "brief": return try brief(args)
        default: throw CoordError.usage("unknown tool '\(name)': see tools/list")
        }
    }

    // MARK: Mail

    func send(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        let m = try coord.send(Outgoing(to: try a.strings("to"), body: try a.string("body") ?? "", subject: try a.string("subject"),
                                        replyTo: try a.string("replyTo"), urgent: try a.bool("urgent"),
                                        ackRequired: try a.bool("ackRequired"), allowUnknown: try a.bool("allowUnknown")))
        return ToolAnswer(structured: m.record, text: "sent \(m.id) to \(m.to.joined(separator: ", "))")
    }

    func inbox(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        let me = try coord.requireSession()
        let from = try a.string("from"), limit = try a.int("limit")
        if let limit, limit < 1 { throw CoordError.usage("inbox: invalid limit \(limit): use 1 or more") }
        let items: [InboxItem]
        if let wait = try a.int("waitMs") {
            guard wait >= 0, Int64(wait) <= ToolCalls.maxWaitMs else {
                throw CoordError.usage("inbox: invalid waitMs \(wait): use 0 to \(ToolCalls.maxWaitMs)")
            }
            var found: [InboxItem] = []
            _ = try coord.receiveMail(timeoutMs: Int64(wait), from: from, limit: limit, peek: try a.bool("peek")) { found = $0 }
            items = found
        } else {
            if try a.bool("peek") { throw CoordError.usage("inbox: peek goes with waitMs (listing never marks messages read)") }
            items = try coord.inbox(InboxQuery(unreadOnly: try a.bool("unread"), from: from, limit: limit))
        }
        coord.markAnnounced(items.filter { !$0.read }.map(\.message.id), session: me)
        return ToolAnswer(structured: ["messages": .array(items.map(\.json))], text: MessageText.list(items))
    }

    func message(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        let action = try a.action(["show", "ack", "thread"])
        let id = try a.required("id", for: action)
        switch action {
        case "show":
            let item = try coord.show(id)
            coord.markAnnounced([item.message.id], session: try coord.requireSession())
            return ToolAnswer(structured: item.json, text: MessageText.full(item))
        case "ack":
            let (ack, new) = try coord.ack(id, note: try a.string("note"))
            return ToolAnswer(structured: ack.json, text: (new ? "acked " : "already acked ") + ack.id)
        default:
            let items = try coord.thread(id)
            return ToolAnswer(structured: ["messages": .array(items.map(\.json))], text: MessageText.list(items))
        }
    }

    func sent(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        let items = try coord.sent(unackedOnly: try a.bool("unacked"), limit: try a.int("limit"))
        let text = items.isEmpty ? "nothing sent" : items.map { item in
            let s = item.sent
            let acked = item.receipts.filter { $0.ack != nil }.count, read = item.receipts.filter(\.read).count
            return "\(s.id) to \(s.to.joined(separator: ", ")): \(read) read, \(acked) acked" + (s.subject.map { " \"\($0)\"" } ?? "")
        }.joined(separator: "\n")
        return ToolAnswer(structured: ["messages": .array(items.map(\.json))], text: text)
    }

    // MARK: Sessions, state, brief

    func sessions(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        if let name = try a.string("name") {
            try SessionName.validate(name)
            guard let status = try coord.sessionStatus(name) else {
                return ToolAnswer(structured: ["session": ["name": .string(name), "state": "unknown"]], text: "\(name): unknown (never joined)")
            }
            return ToolAnswer(structured: ["session": status.json], text: "\(name): \(status.json["state"]?.stringValue ?? "?")")
        }
        let statuses = try coord.sessionStatuses(includeLeft: try a.bool("all"))
        let text = statuses.isEmpty ? "no sessions" : statuses.map { s in
            "\(s.json["name"]?.stringValue ?? "?"): \(s.json["state"]?.stringValue ?? "?")"
        }.joined(separator: "\n")
        return ToolAnswer(structured: ["sessions": .array(statuses.map(\.json))], text: text)
    }

    func state(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        let action = try a.action(["get", "set", "unset", "show"])
        switch action {
        case "get":
            let key = try a.required("key", for: action)
            try StateKey.validate(key)
            let owner = try owner(a)
            let entry = try coord.requiredStateEntry(key, of: owner)
            return ToolAnswer(structured: entry.json, text: entry.text)
        case "set":
            let key = try a.required("key", for: action)
            try StateKey.validate(key)
            guard let value = try a.json("value") else { throw CoordError.usage("state set: argument 'value' is required (null unsets)") }
            let entry = try coord.setState(key, value)
            return ToolAnswer(structured: entry.json, text: "set \(key)")
        case "unset":
            let key = try a.required("key", for: action)
            try StateKey.validate(key)
            let removed = try coord.unsetState(key)
            return ToolAnswer(structured: ["key": .string(key), "removed": .bool(removed)], text: removed ? "unset \(key)" : "\(key) was not set")
        default:
            let owner = try owner(a)
            let entries = try coord.stateEntries(of: owner)
            let text = entries.isEmpty ? "no state" : entries.map { "\($0.key) = \($0.text)" }.joined(separator: "\n")
            return ToolAnswer(structured: ["session": .string(owner), "state": .array(entries.map(\.json))], text: text)
        }
    }

    /// The session named by `of`, else this one.
    private func owner(_ a: ToolArguments) throws(CoordError) -> String {
        if let of = try a.string("of") { return try SessionName.validate(of) }
        return try coord.requireSession()
    }

    func brief(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        var name: String?
        if let s = try a.string("session") { name = try SessionName.validate(s) }
        let maxBytes = try a.int("maxBytes") ?? Brief.defaultMaxBytes
        guard maxBytes > 0 else { throw CoordError.usage("brief: invalid maxBytes \(maxBytes): use 1 or more") }
        let b = try coord.brief(for: name, maxBytes: maxBytes)
        return ToolAnswer(structured: b.json, text: b.text)
    }
}

/// Short texts for messages.
enum MessageText {
    static func line(_ i: InboxItem) -> String {
        let m = i.message
        let mark = i.read ? "" : "*"
        return "\(mark)\(m.id) from \(m.from)\(m.urgent ? " URGENT" : ""): " + (m.subject.map { "\($0) — " } ?? "") + short(m.body, 200)
    }

    /// `text` on one line, at most `limit` characters.
    static func short(_ text: String, _ limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    static func list(_ items: [InboxItem]) -> String {
        items.isEmpty ? "no messages" : items.map(line).joined(separator: "\n")
    }

    static func full(_ i: InboxItem) -> String {
        let m = i.message
        var head = "\(m.id) from \(m.from) to \(m.to.joined(separator: ", "))"
        if let s = m.subject { head += "\nsubject: \(s)" }
        if let r = m.replyTo { head += "\nin reply to: \(r)" }
        return head + "\n\n" + m.body
    }
}
