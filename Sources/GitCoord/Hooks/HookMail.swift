import GitCoordStore

extension Coord {
    /// Waits until `condition` holds or `timeoutMs` passes, waking when `session`'s mailbox or read
    /// marks change (see ``RefWatcher``); returns whether it held.
    func waitForMail(of session: String, timeoutMs: Int64, _ condition: () throws(CoordError) -> Bool) throws(CoordError) -> Bool {
        let watcher = RefWatcher(store: store, refs: [Mail.mailbox(session).refName, Mail.seen(session).refName])
        return try watcher.wait(timeoutMs: timeoutMs, until: condition)
    }
}

extension Coord {
    /// The unread messages of `session` not announced to its agent yet, by a hook or by the MCP
    /// server, now recorded as announced: whichever path tells the agent first, it is told once.
    public func takeUnannounced(_ session: String) throws(CoordError) -> [HookMessage] {
        let files = HookFiles(coord: self)
        let new = try untold(session, files: files)
        files.markTold(new.map(\.id), session: session)
        return new
    }

    /// Records messages as announced to `session`'s agent (it has read them through a tool).
    public func markAnnounced(_ ids: [String], session: String) {
        let files = HookFiles(coord: self)
        let told = files.told(session)
        files.markTold(ids.filter { !told.contains($0) }, session: session)
    }

    /// The text hooks announce messages with: a count line, one line per message, how to read them.
    public static func announcementText(_ messages: [HookMessage], to session: String) -> String {
        announcement(messages, to: session)
    }
}

extension Coord {
    /// Waits until `session` has an unread message whose id is not in `known`, or `timeoutMs`
    /// passes (nil: no limit), waking on a change of its mailbox (see ``RefWatcher``). Returns the
    /// unread messages not in `known`, urgent first, then oldest first; empty on time-out.
    public func waitForUnread(of session: String, excluding known: Set<String>, timeoutMs: Int64?) throws(CoordError) -> [HookMessage] {
        var new: [HookMessage] = []
        // A mailbox also changes when its owner sends (the note of the send, under `sent/`): only
        // a change of the received messages (`msgs/`) can bring a new one, so the unread list is
        // read again only then.
        var received: ObjectID?? = .none
        let watcher = RefWatcher(store: store, refs: [Mail.mailbox(session).refName])
        _ = try watcher.wait(timeoutMs: timeoutMs) { () throws(CoordError) -> Bool in
            let now = try store.snapshot(Mail.mailbox(session)).folderID("msgs")
            if received == .some(now) { return false }
            received = .some(now)
            new = try unreadMessages(of: session).filter { !known.contains($0.id) }
            return !new.isEmpty
        }
        return new
    }
}
