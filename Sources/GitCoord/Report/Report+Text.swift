extension Report {
    /// The terminal form: figures first, then one table per question (who ended, which jobs
    /// failed and why, what was done, who talked to whom, what the coordinator decided, what is
    /// still open). Text from the data is cleaned of control characters, so a peer's task title
    /// cannot move the cursor or change colours in the reader's terminal.
    public var text: String {
        var out: [String] = []
        out.append("Report \(TimeText.utc(from)) to \(TimeText.utc(until)) (\(ReportFormat.duration(until - from))): \(eventCount) operations by \(sessions.count) sessions")
        out.append("")
        out.append(contentsOf: headline)
        section(&out, "Sessions", [["NAME", "ROLE", "STATE", "OPERATIONS", "JOINED", "LAST SEEN"]] + sessions.map { l in
            [l.name, l.role ?? "-", l.state.rawValue, String(l.events), l.joins.first.map(TimeText.utc) ?? "-", l.lastSeen.map(TimeText.utc) ?? "-"]
        })
        if !ends.isEmpty {
            out.append("")
            out.append("Ended, stale or left")
            for e in ends { out.append("  " + ReportFormat.clean(e.sentence)) }
        }
        section(&out, "Jobs", [["JOB", "SESSION", "NAME", "OUTCOME", "DURATION", "STARTED", "LAST STDERR LINE"]] + jobs.map { j in
            [j.id, j.session, j.label, j.outcome, j.durationMs.map(ReportFormat.duration) ?? "-", j.startedAt.map(TimeText.utc) ?? "-",
             j.isFailure ? (j.lastErrorLine ?? "") : ""].map { ReportFormat.clean($0, limit: 100) }
        })
        section(&out, "Claims", [["TASK", "SESSION", "CLAIMED", "HELD FOR", "END", "TITLE"]] + claims.map { c in
            [c.task, c.session, TimeText.utc(c.from), ReportFormat.duration((c.to ?? until) - c.from), c.end.rawValue,
             ReportFormat.clean(c.title, limit: 80)]
        })
        section(&out, "Messages per pair", [["FROM", "TO", "MESSAGES"]] + pairs.map { [$0.from, $0.to, String($0.count)] })
        section(&out, "Coordinator decisions", [["TIME", "SESSION", "OPERATION", "AUDIT LINE"]] + decisionRows)
        section(&out, "Not done", [["TASK", "P", "STATUS", "HOLDER", "WAITS FOR", "TITLE"]] + open.map { o in
            [o.task.id, "P\(o.task.priority)", o.isBlocked ? "blocked" : o.task.status.rawValue, o.task.claimedBy ?? "-",
             o.waitsFor.isEmpty ? "-" : o.waitsFor.map(\.phrase).joined(separator: "; "), ReportFormat.clean(o.task.title, limit: 80)]
        })
        return out.joined(separator: "\n") + "\n"
    }

    /// The four lines of figures at the top.
    var headline: [String] {
        let t = tasks
        let failed = failedJobs.count
        let nonZero = jobs.filter { $0.state == .exited && ($0.exitCode ?? 0) != 0 }.count
        var lines = [
            "Tasks: \(t.added) added, \(t.claimed) claimed, \(t.done) done, \(t.reopened) reopened, \(t.released) released; now \(t.openNow) not done (\(t.blockedNow) blocked, \(t.heldNow) held).",
            "Jobs: \(jobs.count): \(jobs.count - failed - jobCount(.running)) succeeded, \(failed) failed (\(nonZero) exited non-zero, \(jobCount(.signaled)) killed by a signal, \(jobCount(.failed)) could not start, \(jobCount(.lost)) lost), \(jobCount(.running)) running.",
        ]
        let counts = SessionState.allCases.map { s in (s, sessions.filter { $0.state == s }.count) }.filter { $0.1 > 0 }
        lines.append("Sessions: " + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ") + ".")
        lines.append("Messages: \(messageCount) (\(messages.count) deliveries) between \(Set(pairs.flatMap { [$0.from, $0.to] }).count) sessions.")
        // Who waited on whom: blocked tasks grouped by what they wait for, the largest groups first.
        let waits = Dictionary(grouping: open.flatMap { o in o.waitsFor.map { (o.task.id, $0) } }, by: { $0.1.task })
        let groups = waits.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0].1.task < $1[0].1.task }
        if !groups.isEmpty {
            let shown = groups.prefix(3).map { g in "\(g.count) task\(g.count == 1 ? "" : "s") wait\(g.count == 1 ? "s" : "") for \(g[0].1.phrase)" }
            lines.append("Waiting: " + shown.joined(separator: "; ") + (groups.count > 3 ? "; and \(groups.count - 3) more" : "") + ".")
        }
        return lines
    }

    /// Decisions, with runs of task additions by one session folded into one row.
    var decisionRows: [[String]] {
        var rows: [[String]] = []
        var run: (first: LogEntry, count: Int)? = nil
        func flush() {
            guard let r = run else { return }
            let line = r.count == 1 ? r.first.subject : "board: added \(r.count) tasks, one by one, from \(TimeText.utc(r.first.time))"
            rows.append([TimeText.utc(r.first.time), r.first.session, r.first.op, ReportFormat.clean(line, limit: 100)])
            run = nil
        }
        for d in decisions {
            if d.op == "board.add", let r = run, r.first.session == d.session { run = (r.first, r.count + 1); continue }
            flush()
            if d.op == "board.add" { run = (d, 1); continue }
            rows.append([TimeText.utc(d.time), d.session, d.op, ReportFormat.clean(d.subject, limit: 100)])
        }
        flush()
        return rows
    }

    private func section(_ out: inout [String], _ title: String, _ rows: [[String]]) {
        guard rows.count > 1 else { return }
        out.append("")
        out.append("\(title) (\(rows.count - 1))")
        out.append(ReportFormat.table(rows, indent: "  "))
    }
}

extension Report.SessionEnd {
    /// `worker-3 dead at 2026-12-01 01:36:00Z: its watched process ended; still holds T-…; jobs lost: J-…`
    public var sentence: String {
        let when: String
        switch state {
        case .dead: when = "dead" + (at.map { " at " + TimeText.utc($0) } ?? "")
        case .stale: when = "stale, last seen" + (at.map { " " + TimeText.utc($0) } ?? " never")
        case .left: when = "left" + (at.map { " at " + TimeText.utc($0) } ?? "")
        case .alive: when = "alive"
        }
        var s = "\(session) \(when): \(reason)"
        if !heldTasks.isEmpty { s += "; still holds " + heldTasks.joined(separator: ", ") }
        if !lostJobs.isEmpty { s += "; jobs lost or unfinished: " + lostJobs.joined(separator: ", ") }
        return s
    }
}

extension Report.Waiting {
    /// `T-abc123 (held by worker-3, dead)` or `T-abc123 (not claimed)`.
    var phrase: String {
        guard let holder else { return "\(task) (not claimed)" }
        return "\(task) (held by \(holder)\(holderState.map { ", \($0.rawValue)" } ?? ""))"
    }
}

/// Formatting shared by the text and HTML forms.
enum ReportFormat {
    /// `45 s`, `12 min 5 s`, `3 h 20 min`.
    static func duration(_ ms: Int64) -> String {
        let s = max(0, ms) / 1000
        if s < 60 { return ms < 1000 && ms > 0 ? "\(ms) ms" : "\(s) s" }
        if s < 3600 { return "\(s / 60) min\(s % 60 == 0 ? "" : " \(s % 60) s")" }
        return "\(s / 3600) h\(s % 3600 / 60 == 0 ? "" : " \(s % 3600 / 60) min")"
    }

    /// Text from peers made safe for a terminal: control characters shown as `?`, one line, at
    /// most `limit` characters (`…` marks a cut).
    static func clean(_ text: String, limit: Int = 400) -> String {
        var out = String(text.unicodeScalars.map { s -> Character in
            TerminalText.needsEscape(s, keepNewlines: false) ? "?" : Character(s)
        })
        if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
        return out
    }

    static func table(_ rows: [[String]], indent: String) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            indent + r.enumerated().map { i, c in
                i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
