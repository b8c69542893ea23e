/// The timeline of a report as inline SVG: one lane per session with its activity (operations
/// per slice of time), its claims from claim to done, its jobs coloured by outcome, its joins,
/// leaves and death; messages as lines from the sender's lane to the recipient's. Every mark has
/// a `<title>` (shown on hover) and the marks of jobs, tasks and deaths link to their table rows.
struct ReportTimeline {
    let report: Report
    let width = 1200.0, left = 150.0, right = 16.0, top = 34.0, laneHeight = 78.0
    var plotWidth: Double { width - left - right }
    var height: Double { top + laneHeight * Double(max(report.sessions.count, 1)) + 8 }

    func x(_ t: Int64) -> Double {
        let span = max(report.until - report.from, 1)
        let f = Double(min(max(t, report.from), report.until) - report.from) / Double(span)
        return left + f * plotWidth
    }

    func laneTop(_ i: Int) -> Double { top + laneHeight * Double(i) }

    func write(into h: inout HTMLWriter) {
        h.raw("<div class=\"timeline\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"tl-title\">\n")
        h.raw("<title id=\"tl-title\">")
        h.text("Timeline of \(report.sessions.count) sessions, \(TimeText.utc(report.from)) to \(TimeText.utc(report.until))")
        h.raw("</title>\n")
        axis(&h)
        for i in report.sessions.indices { laneBackground(&h, i) }
        messages(&h)
        for (i, lane) in report.sessions.enumerated() { laneMarks(&h, i, lane) }
        h.raw("</svg></div>\n")
    }

    /// Hour (or finer) ticks with UTC labels, and grid lines down through the lanes.
    func axis(_ h: inout HTMLWriter) {
        let span = max(report.until - report.from, 1)
        let steps: [Int64] = [60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000]
        let step = steps.first { span / $0 <= 12 } ?? (span / 12)
        var t = (report.from / step + 1) * step
        h.raw("<g class=\"axis\">\n")
        while t < report.until {
            let px = fmt(x(t))
            h.raw("<line class=\"grid\" x1=\"\(px)\" y1=\"\(fmt(top - 6))\" x2=\"\(px)\" y2=\"\(fmt(height - 8))\"/>")
            let label = TimeText.utc(t)
            let shown = step >= 86_400_000 ? String(label.prefix(10)) : String(label.dropFirst(11).prefix(5))
            h.raw("<text x=\"\(px)\" y=\"\(fmt(top - 12))\" text-anchor=\"middle\">")
            h.text(shown)
            h.raw("</text>\n")
            t += step
        }
        h.raw("<text x=\"\(fmt(left - 8))\" y=\"\(fmt(top - 12))\" text-anchor=\"end\">UTC</text>\n</g>\n")
    }

    func laneBackground(_ h: inout HTMLWriter, _ i: Int) {
        let y = laneTop(i)
        h.raw("<rect class=\"lane\" x=\"0\" y=\"\(fmt(y + 2))\" width=\"\(Int(width))\" height=\"\(fmt(laneHeight - 4))\" rx=\"4\"/>\n")
    }

    /// One line per delivery, from the sender's lane to the recipient's, behind the lanes' marks.
    func messages(_ h: inout HTMLWriter) {
        let row = Dictionary(report.sessions.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        h.raw("<g class=\"msgs\">\n")
        for m in report.messages {
            guard let a = row[m.from], let b = row[m.to] else { continue }
            let px = fmt(x(m.at))
            let ya = laneTop(a) + laneHeight / 2, yb = laneTop(b) + laneHeight / 2
            h.raw("<line x1=\"\(px)\" y1=\"\(fmt(ya))\" x2=\"\(px)\" y2=\"\(fmt(yb))\"><title>")
            // The audit line is `mail: ID from A to B "subject"`: the title keeps the subject.
            let subject = m.line.firstIndex(of: "\"").map { " " + m.line[$0...] } ?? ""
            h.text("\(TimeText.utc(m.at)) \(m.from) → \(m.to)\(subject) (\(m.id))")
            h.raw("</title></line>\n")
        }
        h.raw("</g>\n")
    }

    func laneMarks(_ h: inout HTMLWriter, _ i: Int, _ lane: Report.Lane) {
        let y = laneTop(i)
        h.raw("<g class=\"lane-marks\">\n<text class=\"name\" x=\"10\" y=\"\(fmt(y + 30))\">")
        h.text(lane.name)
        h.raw("</text><text class=\"role\" x=\"10\" y=\"\(fmt(y + 48))\">")
        h.text("\(lane.role ?? "no role") · \(lane.state.rawValue)")
        h.raw("</text><text class=\"role\" x=\"10\" y=\"\(fmt(y + 64))\">")
        h.text("\(lane.events) operations")
        h.raw("</text>\n")
        activity(&h, lane, y: y + 8, height: 18)
        for c in report.claims where c.session == lane.name { claim(&h, c, y: y + 30) }
        for j in report.jobs where j.session == lane.name { job(&h, j, y: y + 46) }
        for t in lane.joins { pin(&h, t, y: y, cls: "join", label: "\(lane.name) joined at \(TimeText.utc(t))") }
        for t in lane.leaves { pin(&h, t, y: y, cls: "leave", label: "\(lane.name) left at \(TimeText.utc(t))") }
        for e in report.ends where e.session == lane.name && e.state != .left { end(&h, e, y: y) }
        h.raw("</g>\n")
    }

    /// Operations per slice of time as a small bar chart at the top of the lane.
    func activity(_ h: inout HTMLWriter, _ lane: Report.Lane, y: Double, height: Double) {
        let slices = Int(plotWidth / 4)
        var counts = [Int](repeating: 0, count: slices)
        let span = Double(max(report.until - report.from, 1))
        for t in lane.times {
            let k = Int(Double(t - report.from) / span * Double(slices))
            counts[min(max(k, 0), slices - 1)] += 1
        }
        let top = Double(max(counts.max() ?? 1, 1))
        let sliceMs = span / Double(slices)
        for (k, n) in counts.enumerated() where n > 0 {
            let bar = max(1.5, height * Double(n) / top)
            let t0 = report.from + Int64(Double(k) * sliceMs)
            h.raw("<rect class=\"act\" x=\"\(fmt(left + Double(k) * 4))\" y=\"\(fmt(y + height - bar))\" width=\"3\" height=\"\(fmt(bar))\"><title>")
            h.text("\(lane.name): \(n) operation\(n == 1 ? "" : "s") from \(TimeText.utc(t0))")
            h.raw("</title></rect>\n")
        }
    }

    func claim(_ h: inout HTMLWriter, _ c: Report.Claim, y: Double) {
        let x0 = x(c.from), x1 = x(c.to ?? report.until)
        h.raw("<a href=\"#task-"); h.text(c.task)
        h.raw("\"><rect class=\"claim \(c.end.rawValue)\" x=\"\(fmt(x0))\" y=\"\(fmt(y))\" width=\"\(fmt(max(x1 - x0, 2)))\" height=\"10\" rx=\"2\"><title>")
        let held = ReportFormat.duration((c.to ?? report.until) - c.from)
        h.text("\(c.task) \"\(c.title)\": claimed by \(c.session) at \(TimeText.utc(c.from)), \(c.end == .held ? "still held" : c.end.rawValue) after \(held)")
        h.raw("</title></rect></a>\n")
    }

    func job(_ h: inout HTMLWriter, _ j: JobRecord, y: Double) {
        let start = j.startedAt ?? report.from
        let x0 = x(start), x1 = x(j.endedAt ?? (j.state == .running ? report.until : start + (j.durationMs ?? 0)))
        h.raw("<a href=\"#job-"); h.text(j.id)
        h.raw("\"><rect class=\"job \(ReportTimeline.jobClass(j))\" x=\"\(fmt(x0))\" y=\"\(fmt(y))\" width=\"\(fmt(max(x1 - x0, 3)))\" height=\"14\" rx=\"2\"><title>")
        var label = "\(j.id) \(j.label): \(j.outcome)"
        if let d = j.durationMs { label += " after \(ReportFormat.duration(d))" }
        label += ", started \(TimeText.utc(start))"
        if j.isFailure, let line = j.lastErrorLine { label += "\n" + line }
        h.text(label)
        h.raw("</title></rect></a>\n")
    }

    func pin(_ h: inout HTMLWriter, _ t: Int64, y: Double, cls: String, label: String) {
        let px = x(t)
        h.raw("<path class=\"\(cls)\" d=\"M\(fmt(px)) \(fmt(y + 4))l5 7h-10z\"><title>")
        h.text(label)
        h.raw("</title></path>\n")
    }

    /// A death or silence: a line down the lane and a cross, linking to its row.
    func end(_ h: inout HTMLWriter, _ e: Report.SessionEnd, y: Double) {
        guard let at = e.at else { return }
        let px = x(at), cy = y + laneHeight / 2
        h.raw("<a href=\"#end-"); h.text(e.session); h.raw("\"><g class=\"end \(e.state.rawValue)\">")
        h.raw("<line x1=\"\(fmt(px))\" y1=\"\(fmt(y + 4))\" x2=\"\(fmt(px))\" y2=\"\(fmt(y + laneHeight - 4))\"/>")
        h.raw("<path d=\"M\(fmt(px - 7)) \(fmt(cy - 7))l14 14m0 -14l-14 14\"/><title>")
        h.text(e.sentence)
        h.raw("</title></g></a>\n")
    }

    /// The CSS class of a job's outcome: `ok`, `fail`, `signal`, `lost` or `running`.
    static func jobClass(_ j: JobRecord) -> String {
        switch j.state {
        case .running: return "running"
        case .exited: return (j.exitCode ?? 0) == 0 ? "ok" : "fail"
        case .failed: return "fail"
        case .signaled: return "signal"
        case .lost: return "lost"
        }
    }

    /// One decimal, enough for a 1200-wide drawing and short in the file.
    func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
