import GitCoordStore

extension Coord {
    /// Acknowledges a received message (any unique prefix of its id) with an optional note: an
    /// explicit, synced receipt in this session's own mailbox that the sender sees in `sent`.
    /// Also marks the message read. Acknowledging twice keeps the first receipt.
    ///
    /// Returns the receipt and whether it is new.
    @discardableResult
    public func ack(_ idPrefix: String, note: String? = nil) throws(CoordError) -> (ack: Ack, new: Bool) {
        let me = try requireSession()
        let box = try store.snapshot(Mail.mailbox(me))
        guard let id = try resolveMessageID(idPrefix, in: box, folder: "msgs") else {
            throw CoordError.usage("no message '\(idPrefix)' in \(me)'s mailbox: only a message you received can be acknowledged (see `git coord inbox`)")
        }
        if let note, note.utf8.count > 65_536 {
            throw CoordError.usage("the ack note is \(note.utf8.count) bytes; keep it under 64 KiB and send a message for more")
        }
        if let old = try box.mailRecord("acks", id).flatMap(Ack.init(record:)) {
            try markRead([id])
            return (old, false)
        }
        var made: Ack? = nil
        var isNew = false
        try store.update(Mail.mailbox(me), as: me) { (tx) throws(CoordError) in
            if let old = try tx.snapshot.mailRecord("acks", id).flatMap(Ack.init(record:)) {
                made = old
                isNew = false
                return
            }
            let a = Ack(id: id, by: me, note: note, at: tx.stamp.milliseconds)
            made = a
            isNew = true
            tx.putRecord(Mail.ackPath(id), a.record)
            tx.subject = "mail: \(me) acked \(id)"
            tx.operation = "mail.ack"
            tx.trailers = [("Coord-Message", id)]
        }
        try markRead([id])
        guard let made else { throw CoordError.invariant("acknowledged \(id) but cannot read the receipt back") }
        return (made, isNew)
    }

    /// What this session sent, oldest first, with each recipient's read mark and receipt.
    /// With `unackedOnly`, only messages sent with `ackRequired` that some recipient has not
    /// acknowledged yet.
    public func sent(unackedOnly: Bool = false, limit: Int? = nil) throws(CoordError) -> [SentItem] {
        let me = try requireSession()
        if let limit, limit < 1 { throw CoordError.usage("--limit must be at least 1, not \(limit)") }
        let box = try store.snapshot(Mail.mailbox(me))
        func record(_ c: TreeChange) -> SentRecord? {
            guard let blob = c.new, let bytes = try? box.blob(blob), let v = try? JSONValue.parse(bytes),
                  let r = SentRecord(record: v), r.id == Shard.id(fromPath: c.path) else { return nil }
            return unackedOnly && !r.ackRequired ? nil : r
        }
        var boxes: [String: Snapshot] = [:]
        var seens: [String: Snapshot] = [:]
        func item(_ r: SentRecord) throws(CoordError) -> SentItem? {
            var receipts: [SentItem.Receipt] = []
            for to in r.to where SessionName.isValid(to) {
                if boxes[to] == nil { boxes[to] = try store.snapshot(Mail.mailbox(to)) }
                if seens[to] == nil { seens[to] = try store.snapshot(Mail.seen(to)) }
                let ack = try boxes[to]?.mailRecord("acks", r.id).flatMap(Ack.init(record:))
                let read = try seens[to]?.mailBytes("read", r.id) != nil
                receipts.append(SentItem.Receipt(recipient: to, read: read || ack != nil, ack: ack?.id == r.id ? ack : nil))
            }
            let item = SentItem(sent: r, receipts: receipts)
            return unackedOnly && item.fullyAcked ? nil : item
        }
        var items: [SentItem] = []
        if let limit {
            // The newest windows only, until they hold the `limit` newest (see Mail.walkNewest).
            // Receipts decide whether a record counts only with --unacked; otherwise they are
            // read for the records shown, not for every one the walk passes.
            var found: [(record: SentRecord, item: SentItem?)] = []
            try Mail.walkNewest(box, folder: "sent", limit: limit, now: store.now()) { (c) throws(CoordError) -> Int64? in
                guard let r = record(c) else { return nil }
                if unackedOnly {
                    guard let made = try item(r) else { return nil }
                    found.append((r, made))
                } else {
                    found.append((r, nil))
                }
                return r.sentAt
            }
            found.sort { ($0.record.sentAt, $0.record.id) < ($1.record.sentAt, $1.record.id) }
            for f in found.suffix(limit) {
                if let made = f.item { items.append(made) } else if let made = try item(f.record) { items.append(made) }
            }
            return items
        }
        for c in try box.blobs(under: "sent") where c.path.hasSuffix(".rec") {
            if let r = record(c), let made = try item(r) { items.append(made) }
        }
        items.sort { ($0.sent.sentAt, $0.sent.id) < ($1.sent.sentAt, $1.sent.id) }
        return items
    }

    /// Every message of the conversation that contains the given message, as far as this session
    /// can see it (what it received and what it sent), oldest first.
    public func thread(_ idPrefix: String) throws(CoordError) -> [InboxItem] {
        let me = try requireSession()
        let (id, _) = try resolveMessage(idPrefix, session: me)
        guard let start = try loadMessage(id, session: me) else {
            throw CoordError.data("message \(id) is listed but its record cannot be read; run `git coord doctor`")
        }
        let root = start.thread
        var byID: [String: InboxItem] = [:]
        for item in try inbox() where item.message.thread == root || item.message.id == root {
            byID[item.message.id] = item
        }
        let box = try store.snapshot(Mail.mailbox(me))
        for c in try box.blobs(under: "sent") where c.path.hasSuffix(".rec") {
            guard let blob = c.new, let bytes = try? box.blob(blob), let v = try? JSONValue.parse(bytes),
                  let r = SentRecord(record: v), r.thread == root || r.id == root, byID[r.id] == nil,
                  let m = try loadMessage(r.id, session: me) else { continue }
            var acked = !r.to.isEmpty
            for to in r.to where acked {
                guard SessionName.isValid(to) else { acked = false; break }
                acked = try store.snapshot(Mail.mailbox(to)).mailBytes("acks", r.id) != nil
            }
            byID[r.id] = InboxItem(message: m, read: true, acked: acked)
        }
        return byID.values.sorted { ($0.message.sentAt, $0.message.id) < ($1.message.sentAt, $1.message.id) }
    }
}
