import GitCoordStore

/// What `send` asks for.
public struct Outgoing: Sendable {
    /// Session names, `@all` (every joined session but the sender) or `@ROLE`.
    public var to: [String]
    public var body: String
    public var subject: String?
    /// A (prefix of a) message id this answers.
    public var replyTo: String?
    public var urgent = false
    public var ackRequired = false
    /// Deliver to names that never joined (they read it once they join).
    public var allowUnknown = false

    public init(to: [String], body: String, subject: String? = nil, replyTo: String? = nil,
                urgent: Bool = false, ackRequired: Bool = false, allowUnknown: Bool = false) {
        self.to = to
        self.body = body
        self.subject = subject
        self.replyTo = replyTo
        self.urgent = urgent
        self.ackRequired = ackRequired
        self.allowUnknown = allowUnknown
    }
}

extension Coord {
    /// Sends a message: one immutable record in each recipient's mailbox, and a note of it in the
    /// sender's own mailbox. Returns the message as delivered.
    ///
    /// Every check runs before anything is written: an empty or oversized body, an invalid or
    /// unknown recipient, a group that names nobody, or an unknown `replyTo` id is a usage error
    /// (exit 2) and no ref moves.
    @discardableResult
    public func send(_ out: Outgoing) throws(CoordError) -> Message {
        let me = try requireSession()
        let recipients = try resolveRecipients(out.to, sender: me, allowUnknown: out.allowUnknown)
        try checkBody(out.body)
        if let s = out.subject, s.contains(where: { $0 == "\n" || $0 == "\r" }) {
            throw CoordError.usage("the subject must be one line: put the rest in the body")
        }
        if let s = out.subject, s.utf8.count > Mail.maxSubjectBytes {
            throw CoordError.usage("the subject is \(s.utf8.count) bytes, over \(Mail.maxSubjectBytes): keep it to one short line and put the rest in the body")
        }
        var replyTo: String? = nil
        var thread: String? = nil
        if let prefix = out.replyTo {
            let (id, _) = try resolveMessage(prefix, session: me)
            replyTo = id
            if let parent = try loadMessage(id, session: me) {
                thread = parent.thread
            } else {
                thread = try store.snapshot(Mail.mailbox(me)).mailRecord("sent", id).flatMap(SentRecord.init(record:))?.thread ?? id
            }
        }
        let sentAt = store.now()
        let id = Mail.newID(now: sentAt)  // the id's time window and sentAt from one clock reading
        let message = Message(id: id, from: me, to: recipients, subject: out.subject, body: out.body, replyTo: replyTo,
                              sentAt: sentAt, stamp: nil, urgent: out.urgent, ackRequired: out.ackRequired, thread: thread ?? id)
        let note = SentRecord(id: id, to: recipients, subject: out.subject, sentAt: sentAt, replyTo: replyTo,
                              thread: message.thread, ackRequired: out.ackRequired)
        // The sender's note first, holding the whole message: if it cannot be written the send
        // reached nobody; once it is, a delivery that fails can be finished from it
        // (`git coord doctor --fix`) without a second copy anywhere.
        try store.update(Mail.mailbox(me), as: me) { (tx) throws(CoordError) in
            tx.putRecord(Mail.sentPath(id), Mail.noteRecord(note, message))
            tx.subject = "mail: sent \(id) to \(recipients.joined(separator: ","))"
            tx.operation = "mail.sent"
            tx.trailers = [("Coord-Message", id)]
        }
        var reached: [String] = []
        for r in recipients {
            do { try deliver(message, to: r) } catch {
                let missing = recipients.filter { !reached.contains($0) }
                throw CoordError(.data, "message \(id) is in your sent messages but did not reach \(missing.joined(separator: ", ")) (\(error.message)); run `git coord doctor --fix` to finish delivering it (sending it again would deliver a second copy\(reached.isEmpty ? "" : " to " + reached.joined(separator: ", ")))", cause: error)
            }
            reached.append(r)
        }
        return message
    }

    /// Writes one copy of `message` in `recipient`'s mailbox. Delivering it twice writes nothing
    /// the second time (same path, same record but for the stamp of the write).
    func deliver(_ message: Message, to recipient: String) throws(CoordError) {
        let line = "mail: \(message.id) from \(message.from) to \(message.to.joined(separator: ","))" + (message.subject.map { " \"\($0)\"" } ?? "")
        try store.update(Mail.mailbox(recipient), as: message.from) { (tx) throws(CoordError) in
            if try tx.snapshot.mailBytes("msgs", message.id) != nil { return }
            var m = message
            m.stamp = tx.stamp.description
            tx.putRecord(Mail.messagePath(message.id), m.record)
            tx.subject = line
            tx.operation = "mail.send"
            tx.trailers = [("Coord-Message", message.id)]
        }
    }

    /// The messages `session` sent that some recipient's mailbox lacks, with those recipients.
    public func unfinishedSends(of session: String) throws(CoordError) -> [(message: Message, missing: [String])] {
        let box = try store.snapshot(Mail.mailbox(session))
        var boxes: [String: Snapshot] = [:]
        var out: [(message: Message, missing: [String])] = []
        for c in try box.blobs(under: "sent") where c.path.hasSuffix(".rec") {
            guard let new = c.new, let bytes = try? box.blob(new), let v = try? JSONValue.parse(bytes),
                  let m = v["message"].flatMap(Message.init(record:)), m.from == session, m.id == Shard.id(fromPath: c.path) else { continue }
            var missing: [String] = []
            for r in m.to where SessionName.isValid(r) {
                if boxes[r] == nil { boxes[r] = try store.snapshot(Mail.mailbox(r)) }
                if try boxes[r]?.mailBytes("msgs", m.id) == nil { missing.append(r) }
            }
            if !missing.isEmpty { out.append((m, missing)) }
        }
        return out
    }

    /// Checks a body against the rules `send` enforces.
    public func checkBody(_ body: String) throws(CoordError) {
        if body.allSatisfy({ $0.isWhitespace }) {
            throw CoordError.usage("empty message: give the text with -m TEXT, -F FILE or on standard input")
        }
        let limit = maxMessageBytes
        if Int64(body.utf8.count) > limit {
            throw CoordError.usage("message body is \(body.utf8.count) bytes, over the \(limit)-byte limit (coord.maxMessageBytes): send a path or a summary instead")
        }
    }

    /// Expands `@all` and `@ROLE` and checks every name; the result is sorted and has no duplicates.
    public func resolveRecipients(_ names: [String], sender: String, allowUnknown: Bool) throws(CoordError) -> [String] {
        guard !names.isEmpty else { throw CoordError.usage("no recipient: name a session, @all or @ROLE") }
        var out = Set<String>()
        var sessions: [SessionRecord]? = nil
        func all() throws(CoordError) -> [SessionRecord] {
            if let sessions { return sessions }
            let s = try sessionRecords().filter { !$0.left }
            sessions = s
            return s
        }
        for name in names {
            if name == "@all" {
                let everyone = try all().map(\.name).filter { $0 != sender }
                guard !everyone.isEmpty else { throw CoordError.usage("@all names nobody: no other session has joined (see `git coord sessions`)") }
                out.formUnion(everyone)
            } else if name.hasPrefix("@") {
                let role = String(name.dropFirst())
                try SessionName.validate(role, what: "role in '\(name)'")
                let members = try all().filter { $0.role == role && $0.name != sender }.map(\.name)
                guard !members.isEmpty else { throw CoordError.usage("\(name) names nobody: no other joined session has role '\(role)' (see `git coord sessions`)") }
                out.formUnion(members)
            } else {
                try SessionName.validate(name, what: "recipient")
                if !allowUnknown, try sessionRecord(name) == nil {
                    throw CoordError.usage("unknown recipient '\(name)': no session of that name ever joined; check the name, or pass --allow-unknown to deliver it anyway")
                }
                out.insert(name)
            }
        }
        return out.sorted()
    }
}
