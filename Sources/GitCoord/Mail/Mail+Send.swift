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
                thread = try store.snapshot(Mail.mailbox(me)).record(Mail.sentPath(id)).flatMap(SentRecord.init(record:))?.thread ?? id
            }
        }
        let sentAt = store.now()
        let id = Mail.newID(now: sentAt)  // the id's time window and sentAt from one clock reading
        let message = Message(id: id, from: me, to: recipients, subject: out.subject, body: out.body, replyTo: replyTo,
                              sentAt: sentAt, stamp: nil, urgent: out.urgent, ackRequired: out.ackRequired, thread: thread ?? id)
        let line = "mail: \(id) from \(me) to \(recipients.joined(separator: ","))" + (out.subject.map { " \"\($0)\"" } ?? "")
        for r in recipients {
            try store.update(Mail.mailbox(r), as: me) { (tx) throws(CoordError) in
                var m = message
                m.stamp = tx.stamp.description
                tx.putRecord(Mail.messagePath(id), m.record)
                tx.subject = line
                tx.operation = "mail.send"
                tx.trailers = [("Coord-Message", id)]
            }
        }
        let note = SentRecord(id: id, to: recipients, subject: out.subject, sentAt: sentAt, replyTo: replyTo,
                              thread: message.thread, ackRequired: out.ackRequired)
        try store.update(Mail.mailbox(me), as: me) { (tx) throws(CoordError) in
            tx.putRecord(Mail.sentPath(id), note.record)
            tx.subject = "mail: sent \(id) to \(recipients.joined(separator: ","))"
            tx.operation = "mail.sent"
            tx.trailers = [("Coord-Message", id)]
        }
        return message
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
