/// The board view's cached state: every task as one line of tab-separated fields.
///
/// A flat text instead of one JSON object per task: 10,000 tasks decode in a few milliseconds,
/// which is what makes a warm `list --ready` cheap. Fields are escaped (`\\`, `\t`, `\n`, `\,`),
/// lists are comma-separated. A cache line that does not parse is dropped and the view reads
/// the document again on the next rebuild; the cache is only an accelerator.
struct BoardIndexCache: Codable, Sendable {
    var text: String

    init() { text = "" }

    init(_ index: BoardIndex) {
        var out = ""
        out.reserveCapacity(index.tasks.count * 160)
        for id in index.tasks.keys.sorted() {
            let t = index.tasks[id]!
            let fields: [String] = [
                t.id, t.title, t.desc, String(t.priority), t.isDone ? "1" : "0", t.createdBy,
                String(t.createdAt), BoardIndexCache.optional(t.assign), BoardIndexCache.optional(t.claimedBy),
                t.claimedAt.map(String.init) ?? "", String(t.claimEpoch),
                t.after.map(BoardIndexCache.escape).joined(separator: ","),
                t.labels.map(BoardIndexCache.escape).joined(separator: ","),
            ]
            for (i, f) in fields.enumerated() {
                if i > 0 { out.append("\t") }
                out.append(i == 11 || i == 12 ? f : BoardIndexCache.escape(f))
            }
            out.append("\n")
        }
        text = out
    }

    var index: BoardIndex {
        var tasks: [String: BoardTask] = [:]
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let f = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard f.count == 13 else { continue }
            func s(_ i: Int) -> String { BoardIndexCache.unescape(f[i]) }
            func list(_ i: Int) -> [String] {
                f[i].isEmpty ? [] : BoardIndexCache.splitList(f[i])
            }
            let t = BoardTask(
                id: s(0), title: s(1), desc: s(2), priority: Int(s(3)) ?? TaskCell.defaultPriority,
                isDone: s(4) == "1", createdBy: s(5), createdAt: Int64(s(6)) ?? 0,
                assign: BoardIndexCache.fromOptional(s(7)), claimedBy: BoardIndexCache.fromOptional(s(8)),
                claimedAt: Int64(s(9)), claimEpoch: Int64(s(10)) ?? 0, after: list(11), labels: list(12))
            tasks[t.id] = t
        }
        return BoardIndex(tasks: tasks)
    }

    static func optional(_ s: String?) -> String { s.map { "=" + $0 } ?? "" }

    static func fromOptional(_ s: String) -> String? { s.hasPrefix("=") ? String(s.dropFirst()) : nil }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 44 }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case ",": out += "\\,"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ bytes: Substring.UTF8View.SubSequence) -> String {
        guard bytes.contains(92) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for b in bytes {
            if escaped {
                switch b {
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "n"): out.append(10)
                default: out.append(b)
                }
                escaped = false
            } else if b == 92 {
                escaped = true
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits an escaped comma-separated list, then unescapes each item.
    static func splitList(_ bytes: Substring.UTF8View.SubSequence) -> [String] {
        var items: [String] = []
        var start = bytes.startIndex
        var i = bytes.startIndex
        var escaped = false
        while i < bytes.endIndex {
            let b = bytes[i]
            if escaped { escaped = false } else if b == 92 { escaped = true } else if b == 44 {
                items.append(unescape(bytes[start..<i]))
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        items.append(unescape(bytes[start..<bytes.endIndex]))
        return items
    }
}
