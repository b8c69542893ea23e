/// One part of a briefing: a title and lines, most important line first.
public struct BriefSection: Sendable, Equatable {
    /// A stable name for `--json` readers: `identity`, `state`, `messages`, `tasks`, `jobs`,
    /// `decisions`, `sessions`.
    public let name: String
    public var title: String
    public var lines: [String]

    public init(name: String, title: String, lines: [String]) {
        self.name = name
        self.title = title
        self.lines = lines
    }
}

/// A briefing for a session that has lost its context, cut to a byte bound.
///
/// Sections come in order of importance (who you are, your state, your unread messages, your
/// tasks, your jobs, the coordinator's decisions, the other sessions). When the whole does not fit,
/// the least important sections are cut first: every section after the first one that does not fit
/// whole is dropped (named in one closing line), and that one keeps as many of its lines as fit,
/// ending with `… N more`. The text is never longer than the bound.
public struct Brief: Sendable, Equatable {
    public let session: String
    public let maxBytes: Int
    /// The sections as printed (after cutting), with how many lines each lost.
    public let sections: [(BriefSection, omitted: Int)]
    /// Sections dropped whole.
    public let droppedSections: [String]
    /// The text, at most `maxBytes` bytes of UTF-8.
    public let text: String

    public static let defaultMaxBytes = 4096

    public static func == (a: Brief, b: Brief) -> Bool { a.text == b.text && a.session == b.session }

    /// Lays out `sections` (most important first) within `maxBytes`.
    public init(session: String, sections all: [BriefSection], maxBytes: Int) {
        self.session = session
        self.maxBytes = maxBytes
        let heading = "# git coord brief for \(session)\n"
        var out = ""
        var kept: [(BriefSection, omitted: Int)] = []
        var dropped: [String] = []
        func fits(_ s: String) -> Bool { out.utf8.count + s.utf8.count <= maxBytes }
        if fits(heading) { out += heading }
        var cutShort = false
        for section in all {
            // Once a section was cut, every less important one goes whole: cuts start at the end.
            guard dropped.isEmpty, !cutShort else { dropped.append(section.name); continue }
            let header = "## \(section.title)\n"
            let body = section.lines.map { "- " + $0.replacingNewlines() + "\n" }
            var take = body.count
            while take >= 0 {
                let note = take < body.count ? Brief.moreNote(body.count - take) : ""
                let candidate = header + body[0..<take].joined() + note
                if fits(candidate) { break }
                take -= 1
            }
            // A section shown only as "… N more" under its header is kept when that is all
            // that fits; a section with nothing at all that fits is dropped with the rest.
            guard take >= 0 else { dropped.append(section.name); continue }
            out += header + body[0..<take].joined() + (take < body.count ? Brief.moreNote(body.count - take) : "")
            var shown = section
            shown.lines = Array(section.lines[0..<take])
            kept.append((shown, omitted: body.count - take))
            cutShort = take < body.count
        }
        if !dropped.isEmpty {
            let more = "… \(dropped.count) more section\(dropped.count == 1 ? "" : "s")"
            let closing = more + " (\(dropped.joined(separator: ", "))): raise --max-bytes\n"
            if fits(closing) { out += closing } else if fits(more + "\n") { out += more + "\n" }
        }
        if out.utf8.count > maxBytes { out = Brief.cut(out, toBytes: maxBytes) }
        self.sections = kept
        self.droppedSections = dropped
        self.text = out
    }

    static func moreNote(_ n: Int) -> String { "… \(n) more\n" }

    /// The longest prefix of `text` with at most `limit` bytes that ends on a character boundary.
    static func cut(_ text: String, toBytes limit: Int) -> String {
        var out = ""
        var used = 0
        for ch in text {
            let n = String(ch).utf8.count
            if used + n > limit { break }
            out.append(ch)
            used += n
        }
        return out
    }

    /// The JSON form printed by `brief --json`.
    public var json: JSONValue {
        .object([
            "session": .string(session),
            "maxBytes": .int(Int64(maxBytes)),
            "sections": .array(sections.map { s, omitted in
                .object(["name": .string(s.name), "title": .string(s.title), "lines": .array(s.lines.map(JSONValue.string)), "omitted": .int(Int64(omitted))])
            }),
            "droppedSections": .array(droppedSections.map(JSONValue.string)),
            "text": .string(text),
        ])
    }
}
