import GitCoordStore

/// What `inbox` lists.
public struct InboxQuery: Sendable {
    /// Only messages not yet read.
    public var unreadOnly = false
    /// Only messages from this session.
    public var from: String?
    /// At most this many: the oldest ones for unread messages (delivery order, so nothing is
    /// skipped), the newest ones otherwise. Always printed oldest first.
    public var limit: Int?

    public init(unreadOnly: Bool = false, from: String? = nil, limit: Int? = nil) {
        self.unreadOnly = unreadOnly
        self.from = from
        self.limit = limit
    }
}

extension Coord {
    /// The messages in this session's mailbox, oldest first, each with its read and ack state.
    ///
    /// With `unreadOnly` the cost follows the number of unread messages (see ``UnreadIndex``);
    /// with a `limit`, the newest time windows are read until they hold the `limit` newest
    /// messages (see ``Mail/walkNewest(_:folder:limit:now:take:)``); otherwise the whole mailbox.
    public func inbox(_ query: InboxQuery = InboxQuery()) throws(CoordError) -> [InboxItem] {
        let me = try requireSession()
        if let from = query.from { try SessionName.validate(from, what: "sender name in --from") }
        if let limit = query.limit, limit < 1 { throw CoordError.usage("--limit must be at least 1, not \(limit)") }
        let (unread, box, _) = try UnreadIndex(session: me).read(store)
        var items: [InboxItem] = []
        if query.unreadOnly {
            var entries = unread.filter { query.from == nil || $0.value.from == query.from }
                .sorted { ($0.value.sentAt, $0.key) < ($1.value.sentAt, $1.key) }
            if let limit = query.limit { entries = Array(entries.prefix(limit)) }
            for (id, e) in entries {
                guard let blob = ObjectID(hex: e.blob) else { continue }
                let bytes: [UInt8]
                do { bytes = try box.blob(blob) } catch { continue }
                guard let m = Message(bytes: bytes), m.id == id else { continue }
                items.append(InboxItem(message: m, read: false, acked: try box.mailBytes("acks", id) != nil))
            }
            return items
        }
        if let limit = query.limit {
            var messages: [Message] = []
            try Mail.walkNewest(box, folder: "msgs", limit: limit, now: store.now()) { (c) throws(CoordError) -> Int64? in
                guard let blob = c.new, let bytes = try? box.blob(blob), let m = Message(bytes: bytes),
                      m.id == Shard.id(fromPath: c.path), query.from == nil || m.from == query.from else { return nil }
                messages.append(m)
                return m.sentAt
            }
            messages.sort { ($0.sentAt, $0.id) < ($1.sentAt, $1.id) }
            // Receipts are looked up for the messages shown only, not for every one the walk read.
            for m in messages.suffix(limit) {
                items.append(InboxItem(message: m, read: unread[m.id] == nil, acked: try box.mailBytes("acks", m.id) != nil))
            }
            return items
        }
        let acked = Set(try box.blobs(under: "acks").map { Shard.id(fromPath: $0.path) })
        for c in try box.blobs(under: "msgs") where c.path.hasSuffix(".rec") {
            guard let blob = c.new, let bytes = try? box.blob(blob), let m = Message(bytes: bytes),
                  m.id == Shard.id(fromPath: c.path) else { continue }
            if let from = query.from, m.from != from { continue }
            items.append(InboxItem(message: m, read: unread[m.id] == nil, acked: acked.contains(m.id)))
        }
        items.sort { ($0.message.sentAt, $0.message.id) < ($1.message.sentAt, $1.message.id) }
        if let limit = query.limit, items.count > limit { items = Array(items.suffix(limit)) }
        return items
    }

    /// The ids of this session's unread messages (cheap: see ``UnreadIndex``).
    public func unreadIDs(from: String? = nil) throws(CoordError) -> [String] {
        let me = try requireSession()
        return try UnreadIndex(session: me).read(store).unread.filter { from == nil || $0.value.from == from }.map(\.key).sorted()
    }

    /// Marks messages read for this session: one write of the history-less read-marks document,
    /// whatever the number of ids, adding no commit to any history.
    public func markRead(_ ids: [String]) throws(CoordError) {
        let me = try requireSession()
        guard !ids.isEmpty else { return }
        try store.update(Mail.seen(me), as: me) { (tx) throws(CoordError) in
            for id in ids { tx.putRecord(Mail.readPath(id), Mail.readMark) }
            tx.subject = "seen: \(me) read \(ids.count) message\(ids.count == 1 ? "" : "s")"
            tx.operation = "mail.read"
        }
    }

    /// Waits until an unread message is there (from `from`, when given), then returns the unread
    /// messages, oldest first. Returns nil on time-out. Wakes on a change of this session's
    /// mailbox ref (see ``RefWatcher``), not by polling.
    public func waitForMail(timeoutMs: Int64?, from: String? = nil, limit: Int? = nil) throws(CoordError) -> [InboxItem]? {
        let me = try requireSession()
        if let from { try SessionName.validate(from, what: "sender name in --from") }
        let watcher = RefWatcher(store: store, refs: [Mail.mailbox(me).refName, Mail.seen(me).refName])
        let arrived = try watcher.wait(timeoutMs: timeoutMs) { () throws(CoordError) -> Bool in
            try !unreadIDs(from: from).isEmpty
        }
        if !arrived, watcher.repositoryVanished { throw RefWatcher.vanished(watcher) }
        guard arrived else { return nil }
        return try inbox(InboxQuery(unreadOnly: true, from: from, limit: limit))
    }

    /// `inbox --wait`: waits as ``waitForMail(timeoutMs:from:limit:)`` does, hands the unread
    /// messages to `show`, then marks them read unless `peek`. They are marked only once shown,
    /// so a waiter stopped in between leaves them unread for the next one. Returns false on
    /// time-out (nothing shown, nothing marked).
    public func receiveMail(timeoutMs: Int64?, from: String? = nil, limit: Int? = nil, peek: Bool = false,
                            show: ([InboxItem]) -> Void) throws(CoordError) -> Bool {
        guard let items = try waitForMail(timeoutMs: timeoutMs, from: from, limit: limit) else { return false }
        show(items)
        if !peek { try markRead(items.map(\.message.id)) }
        return true
    }

    /// Reads one message (any unique prefix of its id) and marks it read when it was received.
    public func show(_ idPrefix: String, markRead mark: Bool = true) throws(CoordError) -> InboxItem {
        let me = try requireSession()
        let (id, received) = try resolveMessage(idPrefix, session: me)
        guard let m = try loadMessage(id, session: me) else {
            throw CoordError.data("message \(id) is listed but its record cannot be read; run `git coord doctor`")
        }
        guard received else { return InboxItem(message: m, read: true, acked: false) }
        let seen = try store.snapshot(Mail.seen(me))
        let wasRead = try seen.mailBytes("read", id) != nil
        if mark && !wasRead { try markRead([id]) }
        let acked = try store.snapshot(Mail.mailbox(me)).mailBytes("acks", id) != nil
        return InboxItem(message: m, read: wasRead, acked: acked)
    }
}
