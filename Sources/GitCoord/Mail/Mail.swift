import GitCoordStore

/// Where mail lives, and the limits on it.
///
/// - `refs/coord/mail/NAME`: NAME's mailbox. `msgs/A/B/ID.rec` the messages NAME received (written
///   by their senders), `sent/A/B/ID.rec` what NAME sent, `acks/A/B/ID.rec` NAME's receipts.
/// - `refs/coord/seen/NAME`: NAME's read marks, `read/A/B/ID.rec`, a grow-only set kept in a
///   history-less document (each mark replaces one parentless commit, so reading adds no history).
public enum Mail {
    /// The type prefix of message ids: `m-` and 12 random base32 characters.
    public static let idPrefix = "m-"
    public static let idLength = 12
    /// `coord.maxMessageBytes` when unset: 1 MiB.
    public static let defaultMaxBytes: Int64 = 1 << 20

    public static func mailbox(_ session: String) -> DocumentID { DocumentID(.mail, session) }
    public static func seen(_ session: String) -> DocumentID { DocumentID(.seen, session) }

    public static func messagePath(_ id: String) -> String { Shard.path("msgs", id, ext: "rec") }
    public static func sentPath(_ id: String) -> String { Shard.path("sent", id, ext: "rec") }
    public static func ackPath(_ id: String) -> String { Shard.path("acks", id, ext: "rec") }
    public static func readPath(_ id: String) -> String { Shard.path("read", id, ext: "rec") }

    /// The bytes of a read mark: the same tiny blob for every mark.
    static let readMark = JSONValue.object([:])

    /// A new message id.
    public static func newID() -> String { IDGenerator.make(idPrefix, length: idLength) }
}

extension Coord {
    /// The largest body `send` accepts: `coord.maxMessageBytes`, default 1 MiB.
    public var maxMessageBytes: Int64 {
        repository.configInt("coord.maxMessageBytes").flatMap { $0 > 0 ? $0 : nil } ?? Mail.defaultMaxBytes
    }

    /// Finds the one id in `folder` of `snapshot` starting with `prefix`.
    ///
    /// Throws a usage error for text that cannot be a message id, no match or several matches.
    func resolveMessageID(_ prefix: String, in snapshot: Snapshot, folder: String) throws(CoordError) -> String? {
        let text = prefix.lowercased()
        try Coord.checkMessageIDSyntax(prefix)
        if text.count == Mail.idPrefix.count + Mail.idLength {
            return try snapshot.bytes(Shard.path(folder, text, ext: "rec")) != nil ? text : nil
        }
        let matches = try snapshot.blobs(under: Shard.folder(folder, forPrefix: text))
            .map { Shard.id(fromPath: $0.path) }
            .filter { $0.hasPrefix(text) }
        if matches.count > 1 {
            let shown = matches.sorted().prefix(5).joined(separator: ", ")
            throw CoordError.usage("message id '\(prefix)' is ambiguous: it starts \(matches.count) ids (\(shown)); type more characters")
        }
        return matches.first
    }

    static func checkMessageIDSyntax(_ text: String) throws(CoordError) {
        guard IDGenerator.looksLike(text, prefix: Mail.idPrefix), text.count <= Mail.idPrefix.count + Mail.idLength else {
            throw CoordError.usage("'\(text)' is not a message id: ids look like m-4k2mxq7abcde (any unique prefix, e.g. m-4k2m)")
        }
    }

    /// Resolves a (prefix of a) message id among the messages this session received or sent.
    ///
    /// Returns the full id and whether it is in this session's mailbox (received).
    func resolveMessage(_ prefix: String, session me: String) throws(CoordError) -> (id: String, received: Bool) {
        let box = try store.snapshot(Mail.mailbox(me))
        let received = try resolveMessageID(prefix, in: box, folder: "msgs")
        let sent = try resolveMessageID(prefix, in: box, folder: "sent")
        switch (received, sent) {
        case (let r?, let s?) where r != s:
            throw CoordError.usage("message id '\(prefix)' is ambiguous: it starts \(r) and \(s); type more characters")
        case (let r?, _): return (r, true)
        case (nil, let s?): return (s, false)
        case (nil, nil):
            throw CoordError.usage("no message '\(prefix)' in \(me)'s mailbox or sent messages: see `git coord inbox` and `git coord sent`")
        }
    }

    /// Reads a message by full id: from this session's mailbox when received, else from the
    /// mailbox of one of its recipients.
    func loadMessage(_ id: String, session me: String) throws(CoordError) -> Message? {
        let box = try store.snapshot(Mail.mailbox(me))
        if let bytes = try box.bytes(Mail.messagePath(id)), let m = Message(bytes: bytes) { return m }
        guard let sentRec = try box.record(Mail.sentPath(id)).flatMap(SentRecord.init(record:)) else { return nil }
        for r in sentRec.to where SessionName.isValid(r) {
            if let bytes = try store.snapshot(Mail.mailbox(r)).bytes(Mail.messagePath(id)), let m = Message(bytes: bytes) {
                return m
            }
        }
        return nil
    }
}
