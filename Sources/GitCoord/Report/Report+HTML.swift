extension Report {
    /// The report as one self-contained HTML page: the timeline (inline SVG) above the tables of
    /// the text form. No script, no external resource; CSS for light and dark mode and for print.
    /// Every piece of text from the data is escaped (it is peer data).
    public var html: String {
        var h = HTMLWriter()
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        h.raw("<meta name=\"color-scheme\" content=\"light dark\">\n<title>")
        h.text("git coord report \(TimeText.utc(from)) to \(TimeText.utc(until))")
        h.raw("</title>\n<style>\n\(ReportStyle.css)</style>\n</head>\n<body>\n<header>\n<h1>What happened</h1>\n<p class=\"period\">")
        h.text("\(TimeText.utc(from)) to \(TimeText.utc(until)) (\(ReportFormat.duration(until - from))), \(eventCount) operations by \(sessions.count) sessions; liveness as of \(TimeText.utc(now))")
        h.raw("</p>\n<ul class=\"figures\">\n")
        for line in headline { h.raw("<li>"); h.text(line); h.raw("</li>\n") }
        h.raw("</ul>\n</header>\n<main>\n<section>\n<h2>Timeline</h2>\n")
        ReportTimeline(report: self).write(into: &h)
        h.raw(ReportStyle.legend)
        h.raw("</section>\n")
        writeTables(into: &h)
        h.raw("</main>\n</body>\n</html>\n")
        return h.out
    }

    /// Refuses an HTML destination in a folder that does not exist, before any report is built.
    public static func checkHTMLDestination(_ path: String) throws(CoordError) {
        let folder = Files.parent(of: path.hasPrefix("/") ? path : Files.join(Files.currentDirectory(), path))
        guard Files.isDirectory(folder) else {
            throw CoordError.usage("cannot write \(path): there is no folder \(folder); create it or choose another path")
        }
    }

    /// Writes ``html`` to `path` atomically and returns the page.
    @discardableResult
    public func writeHTML(to path: String) throws(CoordError) -> String {
        let page = html
        guard Files.writeAtomically(path, page) else { throw CoordError.data("cannot write \(path)", mend: "check the folder's permissions and free space") }
        return page
    }

    func writeTables(into h: inout HTMLWriter) {
        var anchored = Set<String>()
        h.table("Ended, stale or left", id: "ended", ["Session", "State", "At", "Last seen", "Why", "Still holds", "Jobs lost or unfinished"], ends) { h, e in
            h.row(id: "end-" + e.session, [.text(e.session), .text(e.state.rawValue), .time(e.at), .time(e.lastSeen), .text(e.reason),
                                            .links(e.heldTasks, "task-"), .links(e.lostJobs, "job-")])
        }
        h.table("Jobs", id: "jobs", ["Job", "Session", "Name", "Outcome", "Duration", "Started", "Ended", "Last stderr line"], jobs) { h, j in
            h.row(id: "job-" + j.id, [.text(j.id), .text(j.session), .text(j.label), .outcome(j), .text(j.durationMs.map(ReportFormat.duration) ?? "-"),
                                      .time(j.startedAt), .time(j.endedAt), .tail(j.isFailure ? j.lastErrorLine : nil, j.tail)])
        }
        let openIDs = Set(open.map(\.task.id))
        let lastClaim = Dictionary(claims.map { ($0.task, $0) }, uniquingKeysWith: { _, b in b })
        h.table("Done", id: "done", ["Task", "Claimed by", "Claimed", "Held for", "Title"], tasks.doneIDs.filter { !openIDs.contains($0) }) { h, id in
            let c = lastClaim[id]
            let anchor = anchored.insert(id).inserted ? "task-" + id : nil
            h.row(id: anchor, [.text(id), .text(c?.session ?? "-"), .time(c?.from),
                               .text(c.map { ReportFormat.duration(($0.to ?? until) - $0.from) } ?? "-"), .text(titles[id] ?? "")])
        }
        h.table("Claims", id: "claims", ["Task", "Session", "Claimed", "Ended", "How", "Title"], claims) { h, c in
            h.row(id: nil, [.link(c.task, "task-"), .text(c.session), .time(c.from), .time(c.to), .text(c.end.rawValue), .text(c.title)])
        }
        h.table("Messages per pair", id: "messages", ["From", "To", "Messages"], pairs) { h, p in
            h.row(id: nil, [.text(p.from), .text(p.to), .text(String(p.count))])
        }
        h.table("Coordinator decisions", id: "decisions", ["Time", "Session", "Operation", "Audit line"], decisionRows) { h, r in
            h.row(id: nil, r.map(HTMLWriter.Cell.text))
        }
        h.table("Not done", id: "open", ["Task", "P", "Status", "Holder", "Waits for", "Title"], open) { h, o in
            h.row(id: anchored.insert(o.task.id).inserted ? "task-" + o.task.id : nil,
                  [.text(o.task.id), .text("P\(o.task.priority)"), .text(o.isBlocked ? "blocked" : o.task.status.rawValue),
                   .text(o.task.claimedBy ?? "-"), .text(o.waitsFor.isEmpty ? "-" : o.waitsFor.map(\.phrase).joined(separator: "; ")),
                   .text(o.task.title)])
        }
    }
}

/// Builds HTML text with every piece of data escaped.
struct HTMLWriter {
    var out = ""

    init() { out.reserveCapacity(1 << 20) }

    mutating func raw(_ s: String) { out += s }

    /// Escaped for element content and for quoted attribute values alike.
    mutating func text(_ s: String) { out += HTMLWriter.escape(s) }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 || $0 < 0x20 }) else { return s }
        var r = ""
        r.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\"": r += "&quot;"
            case "'": r += "&#39;"
            case "\n", "\t": r.unicodeScalars.append(c)
            default:
                // Other control characters are not allowed in HTML or XML text: shown as U+FFFD.
                if c.value < 0x20 { r += "\u{FFFD}" } else { r.unicodeScalars.append(c) }
            }
        }
        return r
    }

    enum Cell {
        case text(String)
        case time(Int64?)
        case link(String, String)
        case links([String], String)
        case outcome(JobRecord)
        case tail(String?, String?)
    }

    mutating func table<T>(_ title: String, id: String, _ headers: [String], _ rows: [T], _ body: (inout HTMLWriter, T) -> Void) {
        guard !rows.isEmpty else { return }
        raw("<section id=\"\(id)\">\n<h2>")
        text("\(title) (\(rows.count))")
        raw("</h2>\n<table>\n<thead><tr>")
        for t in headers { raw("<th>"); text(t); raw("</th>") }
        raw("</tr></thead>\n<tbody>\n")
        for r in rows { body(&self, r) }
        raw("</tbody>\n</table>\n</section>\n")
    }

    mutating func row(id: String?, _ cells: [Cell]) {
        if let id { raw("<tr id=\""); text(id); raw("\">") } else { raw("<tr>") }
        for c in cells {
            raw("<td>")
            switch c {
            case .text(let s): text(s)
            case .time(let t): text(t.map(TimeText.utc) ?? "-")
            case .link(let target, let prefix): anchor(target, prefix)
            case .links(let targets, let prefix):
                if targets.isEmpty { raw("-") }
                for (i, t) in targets.enumerated() { if i > 0 { raw(", ") }; anchor(t, prefix) }
            case .outcome(let j):
                raw("<span class=\"badge \(ReportTimeline.jobClass(j))\">")
                text(j.state == .lost ? "lost" : j.state == .failed ? "failed to start" : j.outcome)
                raw("</span>")
            case .tail(let line, let tail):
                if let line { raw("<code>"); text(line); raw("</code>") }
                if let tail, !tail.isEmpty, line != nil { raw("<details><summary>stderr tail</summary><pre>"); text(tail); raw("</pre></details>") }
            }
            raw("</td>")
        }
        raw("</tr>\n")
    }

    mutating func anchor(_ target: String, _ prefix: String) {
        raw("<a href=\"#"); text(prefix + target); raw("\">"); text(target); raw("</a>")
    }
}
