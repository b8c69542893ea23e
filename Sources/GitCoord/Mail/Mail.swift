import GitCoordStore

/// Where mail lives, and the limits on it.
///
/// - `refs/coord/mail/NAME`: NAME's mailbox. `msgs/A/B/ID.rec` the messages NAME received (written
///   by their senders), `sent/A/B/ID.rec` what NAME sent, `acks/A/B/ID.rec` NAME's receipts.
/// - `refs/coord/seen/NAME`: NAME's read marks, `read/A/B/ID.rec`, a grow-only set kept in a
///   history-less document (each mark replaces one parentless commit, so reading adds no history).
public enum Mail {
    /// The type prefix of message ids: `m-` and 12 base32 characters (see ``newID(now:)``).
    public static let idPrefix = "m-"
    public static let idLength = 12
    /// `coord.maxMessageBytes` when unset: 1 MiB.
    public static let defaultMaxBytes: Int64 = 1 << 20
    /// The longest subject `send` accepts, in bytes.
    public static let maxSubjectBytes = 1_000

    public static func mailbox(_ session: String) -> DocumentID { DocumentID(.mail, session) }
    public static func seen(_ session: String) -> DocumentID { DocumentID(.seen, session) }

    public static func messagePath(_ id: String) -> String { recordPath("msgs", id) }
    public static func sentPath(_ id: String) -> String { recordPath("sent", id) }
    public static func ackPath(_ id: String) -> String { recordPath("acks", id) }
    public static func readPath(_ id: String) -> String { recordPath("read", id) }

    /// Where a record of message `id` is written: `FOLDER/A/B/C/D/ID.rec`, the two characters of
    /// its time window and then its first two random ones.
    ///
    /// The window folders keep a sync's tree diff (and `--limit`'s walk) to the windows that
    /// changed; the two random levels split a window's messages over 1,024 leaves, so a send
    /// rewrites small trees however busy the hour (a 2,238-message window had one 103 KB leaf
    /// that every send rewrote). See Docs/Faults.md.
    public static func recordPath(_ folder: String, _ id: String) -> String {
        let c = Array(id.dropFirst(idPrefix.count))
        guard c.count >= 4 else { return Shard.path(folder, id, ext: "rec") }
        return "\(folder)/\(c[0])/\(c[1])/\(c[2])/\(c[3])/\(id).rec"
    }

    /// Every path a record of `id` may be at: where this build writes it, then the two-level
    /// layout of earlier builds (`FOLDER/A/B/ID.rec`), which stays readable.
    public static func recordPaths(_ folder: String, _ id: String) -> [String] {
        [recordPath(folder, id), Shard.path(folder, id, ext: "rec")]
    }

    /// The sender's note of a message: the ``SentRecord`` fields and, under `message`, the
    /// message itself, from which a delivery that failed is finished.
    static func noteRecord(_ note: SentRecord, _ message: Message) -> JSONValue {
        guard case .object(var o) = note.record else { return note.record }
        o["message"] = message.record
        return .object(o)
    }

    /// The bytes of a read mark: the same tiny blob for every mark.
    public static let readMark = JSONValue.object([:])

    /// A new message id: `m-`, two characters naming the current time window, ten random ones.
    ///
    /// The first two characters pick the message's shard folder (`msgs/A/B/`), so messages written
    /// around the same time share a leaf tree. That keeps the work of a sync proportional to what is
    /// new: the messages two clones wrote while apart sit in one or two leaves, and the rest of the
    /// mailbox (however much history it holds) is skipped by the tree diff as equal subtrees. The
    /// window is 2^22 ms (about 70 minutes) and the 1,024 windows repeat every 50 days.
    public static func newID(now: Int64 = Clock.nowMilliseconds()) -> String {
        IDGenerator.make(idPrefix + windowCode(now >> windowShift), length: idLength - 2)
    }

    /// A time window is 2^22 ms (about 70 minutes); ids carry the window's number modulo 1,024.
    static let windowShift: Int64 = 22

    /// The two characters naming absolute window `w` (modulo 1,024), as in ids and shard folders.
    static func windowCode(_ w: Int64) -> String {
        let code = Int(w & 1023)
        return String(IDGenerator.alphabet[code >> 5]) + String(IDGenerator.alphabet[code & 31])
    }

    /// Hands the records of `folder` (`msgs` or `sent`, sharded by message id) to `take` newest
    /// window first, until `limit` of them that `take` counted (by returning their `sentAt`) are
    /// newer than anything in the folders not yet read can be.
    ///
    /// A message's id names the window of its sender's clock when it was sent, and its `sentAt`
    /// comes from the same reading, so every message in the folders of windows before `w` was
    /// sent before window `w` began; one window of slack covers a clock read across a boundary
    /// and records from peers whose clocks run ahead (the merge refuses stamps more than 10
    /// minutes ahead). The walk starts one window past the later of `now` and the document's
    /// commit stamp (a hybrid logical clock: never behind any writer's clock when it wrote, so
    /// never behind a `sentAt` in the tree, whatever this clock says), and ids wrap every 1,024
    /// windows (about 50 days), so a folder also holds older cycles: those are read with it and
    /// sort below. After 1,024 windows every folder has been read. Records under folders that no
    /// window names (only a forged id makes one) are not visited.
    static func walkNewest(_ snapshot: Snapshot, folder: String, limit: Int, now: Int64,
                           take: (TreeChange) throws(CoordError) -> Int64?) throws(CoordError) {
        var present: Set<String> = []
        for a in try snapshot.entries(folder) where a.kind == .tree {
            for b in try snapshot.entries(folder + "/" + a.name) where b.kind == .tree { present.insert(a.name + b.name) }
        }
        let windowMs: Int64 = 1 << windowShift
        let top = max(now, try snapshot.stamp()?.milliseconds ?? now)
        var w = (top >> windowShift) + 1
        var counted: [Int64] = []
        for _ in 0..<1024 {
            let code = windowCode(w)
            if present.contains(code) {
                let path = folder + "/" + String(code.prefix(1)) + "/" + String(code.suffix(1))
                for c in try snapshot.blobs(under: path) where c.path.hasSuffix(".rec") {
                    if let sentAt = try take(c) { counted.append(sentAt) }
                }
            }
            if counted.count >= limit {
                counted.sort(by: >)
                counted.removeSubrange(limit...)
                if counted[limit - 1] > (w << windowShift) + windowMs { return }
            }
            w -= 1
        }
    }
}

extension Coord {
    /// The largest body `send` accepts: `coord.maxMessageBytes`, default 1 MiB.
    public var maxMessageBytes: Int64 {
        store.configInt("coord.maxMessageBytes").flatMap { $0 > 0 ? $0 : nil } ?? Mail.defaultMaxBytes
    }

    /// Finds the one id in `folder` of `snapshot` starting with `prefix`.
    ///
    /// Throws a usage error for text that cannot be a message id, no match or several matches.
    func resolveMessageID(_ prefix: String, in snapshot: Snapshot, folder: String) throws(CoordError) -> String? {
        let text = prefix.lowercased()
        try Coord.checkMessageIDSyntax(prefix)
        if text.count == Mail.idPrefix.count + Mail.idLength {
            return try snapshot.mailBytes(folder, text) != nil ? text : nil
        }
        let matches = try snapshot.blobs(under: Shard.folder(folder, forPrefix: text))
            .map { Shard.id(fromPath: $0.path) }
            .filter { $0.hasPrefix(text) }
        if matches.count > 1 {
            let shown = matches.sorted().prefix(5).joined(separator: ", ")
            let more = matches.count > 5 ? " and \(matches.count - 5) more" : ""
            throw CoordError.usage("message id '\(prefix)' is ambiguous: it starts \(matches.count) ids (\(shown)\(more)); type more characters")
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
        if let bytes = try box.mailBytes("msgs", id), let m = Message(bytes: bytes) { return m }
        guard let sentRec = try box.mailRecord("sent", id).flatMap(SentRecord.init(record:)) else { return nil }
        for r in sentRec.to where SessionName.isValid(r) {
            if let bytes = try store.snapshot(Mail.mailbox(r)).mailBytes("msgs", id), let m = Message(bytes: bytes) {
                return m
            }
        }
        return nil
    }
}

extension Snapshot {
    /// The bytes of the record of message `id` in `folder` (`msgs`, `sent`, `acks`, `read`),
    /// at either layout (``Mail/recordPaths(_:_:)``); nil when absent.
    public func mailBytes(_ folder: String, _ id: String) throws(CoordError) -> [UInt8]? {
        for path in Mail.recordPaths(folder, id) {
            if let b = try bytes(path) { return b }
        }
        return nil
    }

    /// The parsed record of message `id` in `folder`; nil when absent or malformed.
    public func mailRecord(_ folder: String, _ id: String) throws(CoordError) -> JSONValue? {
        guard let b = try mailBytes(folder, id) else { return nil }
        return try? JSONValue.parse(b)
    }
}
