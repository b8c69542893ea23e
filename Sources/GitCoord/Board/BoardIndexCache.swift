/// The board view's cached state: every task as one record of `|`-separated fields, records
/// separated by `~`.
///
/// A flat text instead of one JSON object per task: 10,000 tasks decode in a few milliseconds,
/// which is what makes a warm `list --ready` cheap. Every byte JSON would escape (control
/// characters, `"`, `\`, `/`) and the separators (`|`, `~`, `,`, `%`) are percent-encoded, so the
/// view's JSON holds one string without a single escape and decodes at memory speed. Lists are
/// comma-separated. A record that does not parse is dropped; the cache is only an accelerator.
struct BoardIndexCache: Codable, Sendable {
    var text: String

    init() { text = "" }

    init(_ index: BoardIndex) {
        var out = ""
        out.reserveCapacity(index.tasks.count * 160)
        for t in index.tasks.values {
            let fields: [String] = [
                t.id, t.title, t.desc, String(t.priority), t.isDone ? "1" : "0", t.createdBy,
                String(t.createdAt), BoardIndexCache.optional(t.assign), BoardIndexCache.optional(t.claimedBy),
                t.claimedAt.map(String.init) ?? "", String(t.claimEpoch),
                t.after.map(BoardIndexCache.escape).joined(separator: ","),
                t.labels.map(BoardIndexCache.escape).joined(separator: ","),
            ]
            for (i, f) in fields.enumerated() {
                if i > 0 { out.append("|") }
                out.append(i == 11 || i == 12 ? f : BoardIndexCache.escape(f))
            }
            out.append("~")
        }
        text = out
    }

    var index: BoardIndex {
        var text = self.text
        return text.withUTF8 { BoardIndexCache.parse($0) }
    }

    /// Parses the lines in one pass over the bytes, making a string only per field.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> BoardIndex {
        var tasks: [String: BoardTask] = [:]
        tasks.reserveCapacity(bytes.reduce(0) { $1 == 0x7e ? $0 + 1 : $0 })
        var fields: [Range<Int>] = []
        fields.reserveCapacity(13)
        var start = 0
        var fieldStart = 0
        var i = 0
        let n = bytes.count
        while i <= n {
            let b: UInt8 = i < n ? bytes[i] : 0x7e
            if b == 0x7c || b == 0x7e {
                fields.append(fieldStart..<min(i, n))
                fieldStart = i + 1
                if b == 0x7e {
                    if fields.count == 13, i > start, let t = task(bytes, fields) { tasks[t.id] = t }
                    fields.removeAll(keepingCapacity: true)
                    start = i + 1
                }
            }
            i += 1
        }
        return BoardIndex(tasks: tasks)
    }

    private static func task(_ bytes: UnsafeBufferPointer<UInt8>, _ f: [Range<Int>]) -> BoardTask? {
        func s(_ i: Int) -> String { unescape(UnsafeBufferPointer(rebasing: bytes[f[i]])) }
        func int(_ i: Int) -> Int64? {
            let r = f[i]
            guard !r.isEmpty else { return nil }
            var v: Int64 = 0
            var neg = false
            for k in r {
                let c = bytes[k]
                if c == 45, k == r.lowerBound { neg = true; continue }
                guard c >= 48, c <= 57 else { return nil }
                v = v &* 10 &+ Int64(c - 48)
            }
            return neg ? -v : v
        }
        func list(_ i: Int) -> [String] {
            f[i].isEmpty ? [] : splitList(UnsafeBufferPointer(rebasing: bytes[f[i]]))
        }
        let id = s(0)
        guard !id.isEmpty else { return nil }
        return BoardTask(
            id: id, title: s(1), desc: s(2), priority: Int(int(3) ?? Int64(TaskCell.defaultPriority)),
            isDone: f[4].count == 1 && bytes[f[4].lowerBound] == 49, createdBy: s(5), createdAt: int(6) ?? 0,
            assign: fromOptional(s(7)), claimedBy: fromOptional(s(8)),
            claimedAt: int(9), claimEpoch: int(10) ?? 0, after: list(11), labels: list(12))
    }

    static func optional(_ s: String?) -> String { s.map { "=" + $0 } ?? "" }

    static func fromOptional(_ s: String) -> String? { s.hasPrefix("=") ? String(s.dropFirst()) : nil }

    static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x22 || b == 0x25 || b == 0x2c || b == 0x2f || b == 0x5c || b == 0x7c || b == 0x7e || b == 0x7f
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: needsEscape) else { return s }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 {
            if needsEscape(b) {
                out += [0x25, hex[Int(b >> 4)], hex[Int(b & 0xf)]]
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(0x25) else { return String(decoding: bytes, as: UTF8.self) }
        func digit(_ c: UInt8) -> UInt8 { c >= 65 ? c - 55 : c &- 48 }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count {
                out.append(digit(bytes[i + 1]) << 4 | digit(bytes[i + 2]) & 0xf)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits an escaped comma-separated list, then unescapes each item.
    static func splitList(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var items: [String] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 44 {
                items.append(unescape(UnsafeBufferPointer(rebasing: bytes[start..<i])))
                start = i + 1
            }
            i += 1
        }
        items.append(unescape(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])))
        return items
    }
}
