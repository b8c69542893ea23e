/// A pathspec as git reads one without magic, relative to the repository root.
///
/// - A spec without wildcards names a file or a directory: it matches the path itself and every
///   path under it (`src/net` matches `src/net` and `src/net/tcp.c`).
/// - A trailing `/` limits it to a directory: `docs/` matches `docs/a.md`, not a file `docs`.
/// - With `*`, `?` or `[...]`, the whole path is matched as git matches pathspecs without
///   `:(glob)` (fnmatch without `FNM_PATHNAME`): `*` matches any characters including `/`, so
///   `*.c` matches `lib/x.c` and `src/*` matches `src/a/b`. `\` quotes the next character.
///
/// Every spec is kept as one or two glob programs (`src/net` is `src/net` or `src/net/*`), so
/// that matching a path and deciding whether two specs can ever match the same path are the same
/// small automaton.
public struct Pathspec: Sendable, Hashable, CustomStringConvertible {
    /// The spec as written after normalizing (`./a//b` → `a/b`), with its trailing `/` if any.
    public let text: String
    /// The globs, any of which matching a path means the spec matches it.
    let globs: [[Token]]
    /// The leading part without wildcards, cut at its last `/`: every path the spec matches
    /// starts with it (empty for `*.c`). Used to index specs by directory.
    let base: String
    /// Whether the spec has no wildcard: it matches exactly `literal` and the paths under it.
    let literal: String?

    enum Token: Hashable, Sendable {
        case char(UInt8)
        case any           // ?
        case star          // *
        case set([UInt8], negated: Bool)  // [...], as sorted ranges lo, hi, lo, hi...

        func accepts(_ c: UInt8) -> Bool {
            switch self {
            case .char(let x): return x == c
            case .any, .star: return true
            case .set(let ranges, let negated):
                var i = 0, hit = false
                while i + 1 < ranges.count { if ranges[i] <= c && c <= ranges[i + 1] { hit = true; break }; i += 2 }
                return hit != negated
            }
        }
    }

    public var description: String { text }

    /// Parses a spec; throws a usage error saying what is wrong with it.
    public init(_ raw: String) throws(CoordError) {
        func bad(_ why: String) -> CoordError {
            CoordError.usage("invalid pathspec '\(raw)': \(why)")
        }
        if raw.isEmpty { throw bad("it is empty; name a file, a directory (dir/) or a glob (src/*.c)") }
        if raw.utf8.count > 4096 { throw bad("longer than 4096 bytes") }
        if raw.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) { throw bad("it holds a control character") }
        if raw.hasPrefix(":") { throw bad("pathspec magic (:(...)) is not supported; write the path relative to the repository root") }
        if raw.hasPrefix("/") { throw bad("it is absolute; write it relative to the repository root") }
        let dirOnly = raw.hasSuffix("/")
        var parts: [Substring] = []
        for part in raw.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." { throw bad("'..' leaves the repository root") }
            if part == ".git" { throw bad("it names .git, which is no work tree path") }
            parts.append(part)
        }
        if parts.isEmpty { throw bad("it names the whole repository; lease the directories you change") }
        let path = parts.joined(separator: "/")
        text = path + (dirOnly ? "/" : "")
        let (tokens, wild) = try Pathspec.tokenize(Array(path.utf8), bad: bad)
        let tail: [Token] = [.char(UInt8(ascii: "/")), .star]
        if wild {
            literal = nil
            globs = [dirOnly ? tokens + tail : tokens]
            let firstWild = tokens.firstIndex { if case .char = $0 { return false }; return true } ?? tokens.count
            let lead = tokens[..<firstWild].compactMap { t -> UInt8? in if case .char(let c) = t { return c }; return nil }
            let cut = lead.lastIndex(of: UInt8(ascii: "/")) ?? 0
            base = String(decoding: lead[..<cut], as: UTF8.self)
        } else {
            let unquoted = String(decoding: tokens.compactMap { t -> UInt8? in if case .char(let c) = t { return c }; return nil }, as: UTF8.self)
            literal = unquoted
            globs = dirOnly ? [tokens + tail] : [tokens, tokens + tail]
            base = unquoted
        }
    }

    private static func tokenize(_ b: [UInt8], bad: (String) -> CoordError) throws(CoordError) -> ([Token], Bool) {
        var out: [Token] = []
        var wild = false
        var i = 0
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\\"):
                guard i + 1 < b.count else { throw bad("it ends in a lone \\") }
                out.append(.char(b[i + 1])); i += 2
            case UInt8(ascii: "*"):
                wild = true
                if out.last != .star { out.append(.star) }
                i += 1
            case UInt8(ascii: "?"):
                wild = true; out.append(.any); i += 1
            case UInt8(ascii: "["):
                wild = true
                var j = i + 1
                var negated = false
                if j < b.count, b[j] == UInt8(ascii: "!") || b[j] == UInt8(ascii: "^") { negated = true; j += 1 }
                var ranges: [UInt8] = []
                var first = true
                while j < b.count, b[j] != UInt8(ascii: "]") || first {
                    first = false
                    var lo = b[j]
                    if lo == UInt8(ascii: "\\"), j + 1 < b.count { j += 1; lo = b[j] }
                    var hi = lo
                    if j + 2 < b.count, b[j + 1] == UInt8(ascii: "-"), b[j + 2] != UInt8(ascii: "]") {
                        hi = b[j + 2]; j += 2
                        if hi < lo { throw bad("the range \(Character(Unicode.Scalar(lo)))-\(Character(Unicode.Scalar(hi))) runs backwards") }
                    }
                    ranges += [lo, hi]
                    j += 1
                }
                guard j < b.count else { throw bad("a [ is not closed by ]") }
                out.append(.set(ranges, negated: negated))
                i = j + 1
            default:
                out.append(.char(c)); i += 1
            }
        }
        return (out, wild)
    }

    /// Whether the spec matches a path (relative to the repository root, no trailing `/`).
    public func matches(_ path: String) -> Bool {
        if let literal {
            if path == literal { return !text.hasSuffix("/") }
            return path.utf8.count > literal.utf8.count && path.hasPrefix(literal) && path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: literal.utf8.count)] == UInt8(ascii: "/")
        }
        let bytes = Array(path.utf8)
        return globs.contains { Pathspec.match($0, bytes) }
    }

    /// Whether some path matches both specs: exact, by searching the product of the two globs.
    public func overlaps(_ other: Pathspec) -> Bool {
        if !base.isEmpty, !other.base.isEmpty, !Pathspec.related(base, other.base) { return false }
        for a in globs { for b in other.globs where Pathspec.intersect(a, b) { return true } }
        return false
    }

    /// Whether one path is the other or lies under it.
    static func related(_ a: String, _ b: String) -> Bool {
        let (short, long) = a.utf8.count <= b.utf8.count ? (a, b) : (b, a)
        return long == short || (long.hasPrefix(short) && long.utf8[long.utf8.index(long.utf8.startIndex, offsetBy: short.utf8.count)] == UInt8(ascii: "/"))
    }

    /// Glob match by simulating the automaton: the states are positions in the glob.
    static func match(_ glob: [Token], _ s: [UInt8]) -> Bool {
        var states = closure([0], glob)
        for c in s {
            var next = Set<Int>()
            for i in states where i < glob.count && glob[i].accepts(c) {
                next.insert(glob[i] == .star ? i : i + 1)
            }
            if next.isEmpty { return false }
            states = closure(next, glob)
        }
        return states.contains(glob.count)
    }

    /// The states reachable by letting `*` match nothing.
    private static func closure(_ s: Set<Int>, _ glob: [Token]) -> Set<Int> {
        var out = s
        var stack = Array(s)
        while let i = stack.popLast() {
            if i < glob.count, glob[i] == .star, out.insert(i + 1).inserted { stack.append(i + 1) }
        }
        return out
    }

    /// Whether some string matches both globs: a search over pairs of positions.
    static func intersect(_ a: [Token], _ b: [Token]) -> Bool {
        struct Pair: Hashable { let i: Int, j: Int }
        var seen: Set<Pair> = [Pair(i: 0, j: 0)]
        var stack = [Pair(i: 0, j: 0)]
        func push(_ p: Pair) { if seen.insert(p).inserted { stack.append(p) } }
        while let p = stack.popLast() {
            if p.i == a.count && p.j == b.count { return true }
            let ta = p.i < a.count ? a[p.i] : nil, tb = p.j < b.count ? b[p.j] : nil
            if ta == .star { push(Pair(i: p.i + 1, j: p.j)) }
            if tb == .star { push(Pair(i: p.i, j: p.j + 1)) }
            guard let ta, let tb else { continue }
            switch (ta, tb) {
            case (.star, .star): break
            case (.star, _): push(Pair(i: p.i, j: p.j + 1))
            case (_, .star): push(Pair(i: p.i + 1, j: p.j))
            case (.char(let c), _): if tb.accepts(c) { push(Pair(i: p.i + 1, j: p.j + 1)) }
            case (_, .char(let c)): if ta.accepts(c) { push(Pair(i: p.i + 1, j: p.j + 1)) }
            default:
                if (0...255).contains(where: { ta.accepts(UInt8($0)) && tb.accepts(UInt8($0)) }) { push(Pair(i: p.i + 1, j: p.j + 1)) }
            }
        }
        return false
    }
}

/// Many specs, indexed by their base directory, so that a path is tested only against the specs
/// whose base is the path or one of its directories.
public struct PathspecIndex<Value> {
    private var byBase: [String: [(Pathspec, Value)]] = [:]

    public init() {}

    public mutating func add(_ spec: Pathspec, _ value: Value) {
        byBase[spec.base, default: []].append((spec, value))
    }

    public var isEmpty: Bool { byBase.isEmpty }

    /// The values of every spec that matches `path`.
    public func matches(_ path: String) -> [Value] {
        var out: [Value] = []
        func scan(_ key: String) {
            guard let entries = byBase[key] else { return }
            for (spec, value) in entries where spec.matches(path) { out.append(value) }
        }
        scan("")
        let u = path.utf8[...]
        var idx = u.startIndex
        while let slash = u[idx...].firstIndex(of: UInt8(ascii: "/")) {
            scan(String(decoding: u[u.startIndex..<slash], as: UTF8.self))
            idx = u.index(after: slash)
        }
        scan(path)
        return out
    }
}
