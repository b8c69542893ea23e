import GitCoordStore

/// What every brief section provider reads: the store, the session briefed, the time, the registry.
public struct BriefContext {
    public let coord: Coord
    public let session: String
    public let now: Int64
    /// Every registered session, read once per brief.
    public let records: [SessionRecord]

    public var me: SessionRecord? { records.first { $0.name == session } }
}

/// The sections of a brief, most important first. Each is gathered by one small function below;
/// a feature adds its section by adding a case and its function.
public enum BriefPart: String, Sendable, CaseIterable {
    case identity, state, messages, tasks, leases, jobs, decisions, sessions
}

extension Coord {
    /// Gathers one section; nil when it has nothing to say.
    func briefSection(_ part: BriefPart, _ c: BriefContext) throws(CoordError) -> BriefSection? {
        switch part {
        case .identity: return Coord.identitySection(c)
        case .state: return try Coord.stateSection(c)
        case .messages: return try Coord.messagesSection(c)
        case .tasks: return try Coord.tasksSection(c)
        case .leases: return try Coord.leasesSection(c)
        case .jobs: return try Coord.jobsSection(c)
        case .decisions: return try Coord.decisionsSection(c)
        case .sessions: return try Coord.sessionsSection(c)
        }
    }

    /// The briefing of `session` (default: the acting session) within `maxBytes`.
    public func brief(for session: String? = nil, maxBytes: Int = Brief.defaultMaxBytes, now: Int64 = Clock.nowMilliseconds()) throws(CoordError) -> Brief {
        guard maxBytes > 0 else { throw CoordError.usage("--max-bytes must be a positive number of bytes, e.g. 4096") }
        let name: String
        if let session { name = try SessionName.validate(session) } else { name = try requireSession() }
        let context = BriefContext(coord: self, session: name, now: now, records: try sessionRecords())
        var sections: [BriefSection] = []
        for part in BriefPart.allCases {
            if let s = try briefSection(part, context) { sections.append(s) }
        }
        return Brief(session: name, sections: sections, maxBytes: maxBytes)
    }

    // MARK: Sections

    static func identitySection(_ c: BriefContext) -> BriefSection? {
        guard let me = c.me else {
            return BriefSection(name: "identity", title: "You", lines: [
                "You act as \(c.session), which has not joined: run `git coord join \(c.session) --role ROLE`.",
            ])
        }
        var line = "You are \(me.name)"
        if let role = me.role { line += ", role \(role)" }
        if let worktree = me.worktree { line += ", in \(worktree)" }
        if let host = me.host { line += " on \(host)" }
        if let joined = me.joinedAt { line += "; joined \(Coord.age(joined, now: c.now))" }
        if me.left { line += "; left" }
        return BriefSection(name: "identity", title: "You", lines: [line + "."])
    }

    static func stateSection(_ c: BriefContext) throws(CoordError) -> BriefSection? {
        let entries = try c.coord.stateEntries(of: c.session)
        guard !entries.isEmpty else { return nil }
        let lines = entries.map { e in
            "\(e.key) = \(abbreviate(e.text, to: 200)) (set by \(e.stamp.session) \(age(e.stamp.milliseconds, now: c.now)))"
        }
        return BriefSection(name: "state", title: "Your state (`git coord state get KEY`)", lines: lines)
    }

    /// Unread messages, urgent first, each cut to one short line.
    static func messagesSection(_ c: BriefContext) throws(CoordError) -> BriefSection? {
        let unread = try c.coord.unreadMessages(of: c.session)
        guard !unread.isEmpty else { return nil }
        let urgent = unread.filter(\.urgent).count
        let lines = unread.map { m in
            "\(m.urgent ? "URGENT " : "")\(m.id) from \(m.from), \(age(m.sentAt, now: c.now)): \(m.summary(160))"
        }
        let title = "Unread messages: \(unread.count)\(urgent > 0 ? ", \(urgent) urgent" : "") (`git coord show ID`)"
        return BriefSection(name: "messages", title: title, lines: lines)
    }

    /// Tasks the session holds, then tasks ready for it (assigned to it first, then unassigned),
    /// each as `T-… P2 "title"`.
    static func tasksSection(_ c: BriefContext) throws(CoordError) -> BriefSection? {
        let index = try c.coord.boardIndex()
        let held = index.select(TaskFilter(statuses: [.claimed])).filter { $0.claimedBy == c.session }
        let ready = index.select(TaskFilter(readyOnly: true)).filter { $0.assign == nil || $0.assign == c.session }
        let readyForMe = ready.filter { $0.assign == c.session } + ready.filter { $0.assign == nil }
        guard !held.isEmpty || !readyForMe.isEmpty else { return nil }
        var lines = held.map { t in
            "held \(t.id) P\(t.priority) \"\(abbreviate(t.title, to: 120))\"\(t.claimedAt.map { " (claimed \(age($0, now: c.now)))" } ?? "")"
        }
        let shown = 10
        lines += readyForMe.prefix(shown).map { t in
            "ready \(t.id) P\(t.priority) \"\(abbreviate(t.title, to: 120))\"\(t.assign != nil ? " (assigned to you)" : "")"
        }
        if readyForMe.count > shown { lines.append("and \(readyForMe.count - shown) more ready (`git coord board ready`)") }
        return BriefSection(name: "tasks", title: "Your tasks: \(held.count) held, \(readyForMe.count) ready", lines: lines)
    }

    /// The session's jobs, running first, then the latest that ended with how they ended and the
    /// last line of their standard error.
    static func jobsSection(_ c: BriefContext) throws(CoordError) -> BriefSection? {
        let jobs = try c.coord.jobRecords(session: c.session)
        guard !jobs.isEmpty else { return nil }
        let running = jobs.filter { $0.state == .running }
        let ended = jobs.filter { $0.state != .running }
        var lines = running.map { j in
            "\(j.id) \(abbreviate(j.label, to: 60)): running\(j.startedAt.map { " since \(age($0, now: c.now))" } ?? "")"
        }
        lines += ended.prefix(8).map { j in
            var line = "\(j.id) \(abbreviate(j.label, to: 60)): \(abbreviate(j.outcome, to: 80))"
            if let at = j.endedAt { line += " \(age(at, now: c.now))" }
            if j.state != .exited || j.exitCode != 0,
               let last = j.tail?.split(separator: "\n").last(where: { !String($0).trimmingSpaces().isEmpty }) {
                line += ": " + abbreviate(String(last), to: 120)
            }
            return line
        }
        if ended.count > 8 { lines.append("and \(ended.count - 8) more ended (`git coord jobs`)") }
        return BriefSection(name: "jobs", title: "Your jobs: \(running.count) running, \(ended.count) ended", lines: lines)
    }

    /// The latest audit lines written by sessions whose role is `coordinator`, on the board and in
    /// every session's state. Reads a bounded number of recent commits per document.
    static func decisionsSection(_ c: BriefContext) throws(CoordError) -> BriefSection? {
        let coordinators = Set(c.records.filter { $0.role == "coordinator" }.map(\.name))
        guard !coordinators.isEmpty else { return nil }
        var docs: [DocumentID] = [.board]
        docs += try c.coord.store.documents(.state)
        var found: [(ms: Int64, subject: String)] = []
        for doc in docs {
            found += try c.coord.recentCommits(doc, limit: 30).filter { coordinators.contains($0.session) }.map { ($0.milliseconds, $0.subject) }
        }
        guard !found.isEmpty else { return nil }
        found.sort { $0.ms > $1.ms }
        let lines = found.prefix(8).map { "\(abbreviate($0.subject, to: 200)) (\(age($0.ms, now: c.now)))" }
        return BriefSection(name: "decisions", title: "Coordinator's latest decisions", lines: lines)
    }

    static func sessionsSection(_ c: BriefContext) throws(CoordError) -> BriefSection? {
        let others = try c.coord.sessionStatuses().filter { $0.record.name != c.session }
        guard !others.isEmpty else { return nil }
        let lines = others.map { s in
            "\(s.record.name)\(s.record.role.map { " (\($0))" } ?? ""): \(s.state.rawValue)\(s.lastSeen.map { ", last seen \(age($0, now: c.now))" } ?? "")"
        }
        return BriefSection(name: "sessions", title: "Other sessions", lines: lines)
    }

    // MARK: Helpers

    /// One audit line of a document's history.
    struct AuditLine {
        let session: String
        let milliseconds: Int64
        let subject: String
    }

    /// The latest `limit` commits of a document along first parents, newest first; merge
    /// commits (no `Coord-Session`) are skipped but walked through.
    func recentCommits(_ doc: DocumentID, limit: Int) throws(CoordError) -> [AuditLine] {
        var out: [AuditLine] = []
        var next = try store.tip(doc)
        var walked = 0
        while let id = next, walked < limit {
            walked += 1
            let info: CommitInfo
            do { info = try store.commit(id) } catch { break }
            let trailers = Trailers.parse(info.message)
            if let who = trailers["Coord-Session"] {
                let ms = trailers["Coord-Stamp"].flatMap { Stamp($0) }?.milliseconds ?? info.author.time * 1000
                let subject = String(info.message.split(separator: "\n", maxSplits: 1).first ?? "")
                out.append(AuditLine(session: who, milliseconds: ms, subject: subject))
            }
            next = info.parents.first
        }
        return out
    }

    /// "just now", "3 min ago", "2 h ago", "4 d ago".
    static func age(_ ms: Int64, now: Int64) -> String {
        let d = max(0, now - ms) / 1000
        if d < 10 { return "just now" }
        if d < 60 { return "\(d) s ago" }
        if d < 3600 { return "\(d / 60) min ago" }
        if d < 86400 { return "\(d / 3600) h ago" }
        return "\(d / 86400) d ago"
    }
}
