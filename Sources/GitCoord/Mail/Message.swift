import GitCoordStore

/// One message between sessions, as stored in each recipient's mailbox.
///
/// Stored as an immutable record (`.rec`, canonical JSON) at `msgs/A/B/ID.rec` in
/// `refs/coord/mail/RECIPIENT`. Records arrive from peers, so reading one never trusts it: a
/// record missing a required field is skipped, never a crash.
public struct Message: Sendable, Equatable {
    public var id: String
    public var from: String
    /// Every recipient the message went to (groups such as `@all` already expanded).
    public var to: [String]
    public var subject: String?
    public var body: String
    /// The message this one answers.
    public var replyTo: String?
    /// Wall-clock milliseconds when it was sent.
    public var sentAt: Int64
    /// The stamp of the write that delivered it to this mailbox.
    public var stamp: String?
    public var urgent: Bool
    /// Whether the sender asked for an explicit `ack`.
    public var ackRequired: Bool
    /// The first message of the conversation (its own id for a message that answers none).
    public var thread: String

    public init(id: String, from: String, to: [String], subject: String?, body: String, replyTo: String?,
                sentAt: Int64, stamp: String?, urgent: Bool, ackRequired: Bool, thread: String) {
        self.id = id
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.replyTo = replyTo
        self.sentAt = sentAt
        self.stamp = stamp
        self.urgent = urgent
        self.ackRequired = ackRequired
        self.thread = thread
    }

    /// The record as stored.
    public var record: JSONValue {
        .object([
            "id": .string(id),
            "from": .string(from),
            "to": .array(to.map(JSONValue.string)),
            "subject": subject.map(JSONValue.string) ?? .null,
            "body": .string(body),
            "replyTo": replyTo.map(JSONValue.string) ?? .null,
            "sentAt": .int(sentAt),
            "stamp": stamp.map(JSONValue.string) ?? .null,
            "urgent": .bool(urgent),
            "ackRequired": .bool(ackRequired),
            "thread": .string(thread),
        ])
    }

    /// Reads a stored record; nil when a required field is missing or malformed.
    public init?(record v: JSONValue) {
        guard let id = v["id"]?.stringValue, IDGenerator.looksLike(id, prefix: Mail.idPrefix),
              let from = v["from"]?.stringValue,
              let body = v["body"]?.stringValue,
              let sentAt = v["sentAt"]?.intValue
        else { return nil }
        self.init(
            id: id, from: from,
            to: v["to"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            subject: v["subject"]?.stringValue,
            body: body,
            replyTo: v["replyTo"]?.stringValue,
            sentAt: sentAt,
            stamp: v["stamp"]?.stringValue,
            urgent: v["urgent"]?.boolValue ?? false,
            ackRequired: v["ackRequired"]?.boolValue ?? false,
            thread: v["thread"]?.stringValue ?? id)
    }

    /// Reads a stored record from its bytes; nil when unreadable.
    public init?(bytes: [UInt8]) {
        guard let v = try? JSONValue.parse(bytes) else { return nil }
        self.init(record: v)
    }
}

/// A message as one session sees it: the message and what this session did with it.
public struct InboxItem: Sendable, Equatable {
    public var message: Message
    public var read: Bool
    public var acked: Bool

    /// The JSON form printed by `--json`.
    public var json: JSONValue {
        guard case .object(var o) = message.record else { return .null }
        o["read"] = .bool(read)
        o["acked"] = .bool(acked)
        return .object(o)
    }
}

/// An acknowledgement: the recipient's explicit, synced receipt, kept in the recipient's own
/// mailbox at `acks/A/B/ID.rec`.
public struct Ack: Sendable, Equatable {
    public var id: String
    public var by: String
    public var note: String?
    public var at: Int64

    public var record: JSONValue {
        .object(["id": .string(id), "by": .string(by), "note": note.map(JSONValue.string) ?? .null, "at": .int(at)])
    }

    public init(id: String, by: String, note: String?, at: Int64) {
        self.id = id
        self.by = by
        self.note = note
        self.at = at
    }

    public init?(record v: JSONValue) {
        guard let id = v["id"]?.stringValue, let by = v["by"]?.stringValue else { return nil }
        self.init(id: id, by: by, note: v["note"]?.stringValue, at: v["at"]?.intValue ?? 0)
    }

    public var json: JSONValue { record }
}

/// What a sender keeps of a message it sent, at `sent/A/B/ID.rec` in its own mailbox, so that
/// `sent` lists it without reading every mailbox.
public struct SentRecord: Sendable, Equatable {
    public var id: String
    public var to: [String]
    public var subject: String?
    public var sentAt: Int64
    public var replyTo: String?
    public var thread: String
    public var ackRequired: Bool

    public var record: JSONValue {
        .object([
            "id": .string(id), "to": .array(to.map(JSONValue.string)),
            "subject": subject.map(JSONValue.string) ?? .null, "sentAt": .int(sentAt),
            "replyTo": replyTo.map(JSONValue.string) ?? .null, "thread": .string(thread),
            "ackRequired": .bool(ackRequired),
        ])
    }

    public init(id: String, to: [String], subject: String?, sentAt: Int64, replyTo: String?, thread: String, ackRequired: Bool) {
        self.id = id
        self.to = to
        self.subject = subject
        self.sentAt = sentAt
        self.replyTo = replyTo
        self.thread = thread
        self.ackRequired = ackRequired
    }

    public init?(record v: JSONValue) {
        guard let id = v["id"]?.stringValue, let sentAt = v["sentAt"]?.intValue else { return nil }
        self.init(id: id, to: v["to"]?.arrayValue?.compactMap(\.stringValue) ?? [], subject: v["subject"]?.stringValue,
                  sentAt: sentAt, replyTo: v["replyTo"]?.stringValue, thread: v["thread"]?.stringValue ?? id,
                  ackRequired: v["ackRequired"]?.boolValue ?? false)
    }
}

/// A sent message with, per recipient, whether it was read and acknowledged.
public struct SentItem: Sendable, Equatable {
    public struct Receipt: Sendable, Equatable {
        public var recipient: String
        public var read: Bool
        public var ack: Ack?
    }

    public var sent: SentRecord
    public var receipts: [Receipt]

    /// Whether every recipient acknowledged it.
    public var fullyAcked: Bool { receipts.allSatisfy { $0.ack != nil } }

    public var json: JSONValue {
        guard case .object(var o) = sent.record else { return .null }
        o["receipts"] = .array(receipts.map { r in
            .object(["to": .string(r.recipient), "read": .bool(r.read), "ack": r.ack?.json ?? .null])
        })
        o["acked"] = .bool(fullyAcked)
        return .object(o)
    }
}
