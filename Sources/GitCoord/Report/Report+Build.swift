extension Report {
    /// Roles whose board and state operations the report lists as decisions.
    public static let coordinatorRoles: Set<String> = ["coordinator", "lead"]
}

extension Coord {
    /// What happened over a period: the history of every document with history (``log(_:)``,
    /// read once), joined with the documents' tips for what stands now (jobs, registrations and
    /// beats, the board). Reads only; a job whose supervisor vanished reads as lost without being
    /// marked so.
    public func report(_ query: ReportQuery = ReportQuery()) throws(CoordError) -> Report {
        let now = query.now ?? store.now()
        let until = query.until ?? now
        var from = query.from ?? (until - ReportQuery.defaultSpan)
        guard from <= until else {
            throw CoordError.usage("the period is empty: it starts (\(TimeText.utc(from))) after it ends (\(TimeText.utc(until))); give --from before --until")
        }
        let entries = try log(LogQuery(scope: .all, since: from, limit: 0)).reversed().filter { $0.time <= until }
        if query.from == nil, let first = entries.first(where: { $0.op != "merge" }) {
            // No start given: the last day, from the minute of its first operation, so a night
            // fills the timeline rather than a third of it.
            from = max(from, first.time - first.time % 60_000)
        }
        let records = try sessionRecords()
        let index = try boardIndex()
        var builder = ReportBuilder(from: from, until: until, now: now, index: index,
                                    roles: Dictionary(records.map { ($0.name, $0.role ?? "") }, uniquingKeysWith: { a, _ in a }))
        for entry in entries { builder.add(entry) }
        let ttl = heartbeatTTL, host = ProcessRunner.hostName
        let statuses = try records.map { (r) throws(CoordError) in
            Liveness.judge(record: r, beat: try lastBeat(r.name), now: now, ttl: ttl, localHost: host, fate: ProcessIdentity.fate)
        }
        let jobs = try reportJobs(from: from, until: until)
        return builder.finish(statuses: statuses, jobs: jobs, eventCount: entries.count)
    }

    /// Jobs started or ended in the period, or running at its end; a running job whose supervisor
    /// is gone reads as lost (with the reason), as `jobs` would show it.
    func reportJobs(from: Int64, until: Int64) throws(CoordError) -> [JobRecord] {
        var out: [JobRecord] = []
        for var job in try jobRecords() {
            let started = job.startedAt ?? 0
            let inPeriod = (from...until).contains(started) || job.endedAt.map { (from...until).contains($0) } == true
                || (job.state == .running && started <= until)
            guard inPeriod else { continue }
            if let reason = lostReason(job) {
                job.state = .lost
                job.error = reason
            }
            out.append(job)
        }
        return out.sorted { ($0.startedAt ?? 0, $0.id) < ($1.startedAt ?? 0, $1.id) }
    }
}

/// Folds the period's operations, oldest first, into the report's parts.
struct ReportBuilder {
    let from: Int64, until: Int64, now: Int64
    let index: BoardIndex
    let roles: [String: String]
    var lanes: [String: Report.Lane] = [:]
    var tasks = Report.TaskFigures()
    var claims: [Report.Claim] = []
    /// Task id → the index of its open claim in `claims`.
    var openClaims: [String: Int] = [:]
    var messages: [Report.Delivery] = []
    var decisions: [LogEntry] = []

    init(from: Int64, until: Int64, now: Int64, index: BoardIndex, roles: [String: String]) {
        self.from = from
        self.until = until
        self.now = now
        self.index = index
        self.roles = roles
    }

    mutating func lane(_ name: String) -> Report.Lane {
        lanes[name] ?? Report.Lane(name: name, role: roles[name].flatMap { $0.isEmpty ? nil : $0 }, state: .alive,
                                   events: 0, times: [], joins: [], leaves: [], lastSeen: nil)
    }

    mutating func add(_ e: LogEntry) {
        guard e.op != "merge", SessionName.isValid(e.session) else { return }
        var l = lane(e.session)
        l.events += 1
        l.times.append(e.time)
        if e.op == "sessions.join" { l.joins.append(e.time) }
        if e.op == "sessions.leave" { l.leaves.append(e.time) }
        lanes[e.session] = l
        if e.op.hasPrefix("board.") { addBoard(e) }
        if e.op == "mail.send", let id = e.trailers["Coord-Message"], let to = DocumentID(refName: e.document)?.owner {
            messages.append(Report.Delivery(id: id, at: e.time, from: e.session, to: to, line: e.subject))
        }
        if Report.coordinatorRoles.contains(roles[e.session] ?? ""), e.op.hasPrefix("board.") || e.op.hasPrefix("state.") {
            decisions.append(e)
        }
    }

    mutating func addBoard(_ e: LogEntry) {
        let task = e.trailers["Coord-Task"]
        switch e.op {
        case "board.add":
            tasks.added += task != nil ? 1 : ReportBuilder.addedCount(e.subject)
        case "board.claim":
            guard let task else { return }
            tasks.claimed += 1
            close(task, at: e.time, as: .released)
            openClaims[task] = claims.count
            claims.append(Report.Claim(task: task, title: index.tasks[task]?.title ?? "", session: e.session, from: e.time, to: nil, end: .held))
        case "board.done":
            guard let task else { return }
            tasks.done += 1
            tasks.doneIDs.append(task)
            close(task, at: e.time, as: .done)
        case "board.reopen":
            tasks.reopened += 1
        case "board.release":
            tasks.released += 1
            if let task { close(task, at: e.time, as: .released) }
        default:
            break
        }
    }

    mutating func close(_ task: String, at time: Int64, as end: Report.Claim.End) {
        guard let i = openClaims.removeValue(forKey: task) else { return }
        claims[i].to = time
        claims[i].end = end
    }

    /// `board: add 12 tasks by NAME` → 12.
    static func addedCount(_ subject: String) -> Int {
        let words = subject.split(separator: " ")
        guard words.count > 3, words[1] == "add", words[3] == "tasks" || words[3] == "task" else { return 1 }
        return Int(words[2]) ?? 1
    }

    func finish(statuses: [SessionStatus], jobs: [JobRecord], eventCount: Int) -> Report {
        var lanes = self.lanes
        var ends: [Report.SessionEnd] = []
        let heldBy = Dictionary(grouping: index.tasks.values.filter { $0.claimedBy != nil && !$0.isDone }, by: { $0.claimedBy! })
        for s in statuses {
            let name = s.record.name
            var l = lanes[name] ?? Report.Lane(name: name, role: s.record.role, state: s.state, events: 0, times: [], joins: [], leaves: [], lastSeen: nil)
            l.state = s.state
            l.lastSeen = s.lastSeen
            guard lanes[name] != nil || (s.lastSeen ?? 0) >= from else { continue }
            lanes[name] = l
            guard s.state != .alive else { continue }
            let at: Int64?
            switch s.state {
            case .left: at = s.record.leftAt ?? s.lastSeen
            case .dead: at = (s.beat?.ended == true ? s.beat?.endedAt : nil) ?? s.lastSeen
            default: at = s.lastSeen
            }
            ends.append(Report.SessionEnd(
                session: name, state: s.state, at: at, lastSeen: s.lastSeen, reason: s.reason,
                heldTasks: (heldBy[name] ?? []).map(\.id).sorted(),
                lostJobs: jobs.filter { $0.session == name && ($0.state == .lost || $0.state == .running) }.map(\.id)))
        }
        let states = lanes.mapValues(\.state)
        var open: [Report.OpenTask] = []
        for t in index.select(TaskFilter()) {
            let waits = t.after.filter { index.tasks[$0]?.isDone != true }.map { dep in
                let holder = index.tasks[dep]?.claimedBy
                return Report.Waiting(task: dep, holder: holder, holderState: holder.flatMap { states[$0] })
            }
            open.append(Report.OpenTask(task: t, waitsFor: waits))
        }
        var figures = tasks
        figures.openNow = open.count
        figures.blockedNow = open.filter(\.isBlocked).count
        figures.heldNow = open.filter { $0.task.claimedBy != nil }.count
        var counts: [String: Report.Pair] = [:]
        for m in messages { counts[m.from + "\u{0}" + m.to, default: Report.Pair(from: m.from, to: m.to, count: 0)].count += 1 }
        let coordinatorsFirst: (Report.Lane) -> (Int, String) = { (Report.coordinatorRoles.contains($0.role ?? "") ? 0 : 1, $0.name) }
        return Report(
            from: from, until: until, now: now, eventCount: eventCount,
            sessions: lanes.values.sorted { coordinatorsFirst($0) < coordinatorsFirst($1) },
            tasks: figures, claims: claims, jobs: jobs,
            ends: ends.sorted { ($0.at ?? 0, $0.session) < ($1.at ?? 0, $1.session) },
            messages: messages,
            pairs: counts.values.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.from, $0.to) < ($1.from, $1.to) },
            decisions: decisions, open: open,
            titles: Dictionary((claims.map(\.task) + tasks.doneIDs).map { ($0, index.tasks[$0]?.title ?? "") }, uniquingKeysWith: { a, _ in a }))
    }
}
