/// A hybrid logical clock stamp: wall-clock milliseconds, a counter, and the writing session.
///
/// Written as `1764079200123.0002.worker-1` (13 or more digits, a dot, 4 or more digits, a dot,
/// the session name). Stamps order by milliseconds, then counter, then session name, so two
/// different writers never produce equal stamps.
public struct Stamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let milliseconds: Int64
    public let counter: Int64
    public let session: String

    public init(milliseconds: Int64, counter: Int64, session: String) {
        self.milliseconds = milliseconds
        self.counter = counter
        self.session = session
    }

    /// Parses the text form; nil for anything malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3,
              let ms = Stamp.milliseconds(of: parts[0].utf8),
              parts[1].utf8.count >= 1, parts[1].utf8.count <= 9, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let c = Int64(parts[1]),
              SessionName.isValid(String(parts[2]))
        else { return nil }
        self.init(milliseconds: ms, counter: c, session: String(parts[2]))
    }

    /// The milliseconds of a stamp's text form, its 1 to 16 digits before the first dot (or the
    /// end); nil when they are not that. Reads nothing after them: the board view reads claim
    /// times this way without parsing whole stamps.
    static func milliseconds<Bytes: Collection<UInt8>>(of utf8: Bytes) -> Int64? {
        var ms: Int64 = 0
        var digits = 0
        for b in utf8 {
            if b == UInt8(ascii: ".") { break }
            guard b >= 48, b <= 57, digits < 16 else { return nil }
            ms = ms * 10 + Int64(b - 48)
            digits += 1
        }
        return digits > 0 ? ms : nil
    }

    public var description: String {
        let ms = String(milliseconds)
        let c = String(counter)
        return String(repeating: "0", count: max(0, 13 - ms.count)) + ms + "."
            + String(repeating: "0", count: max(0, 4 - c.count)) + c + "." + session
    }

    public static func < (a: Stamp, b: Stamp) -> Bool {
        if a.milliseconds != b.milliseconds { return a.milliseconds < b.milliseconds }
        if a.counter != b.counter { return a.counter < b.counter }
        return a.session < b.session
    }

    /// The next stamp for `session`: later than `seen` (the largest stamp the writer knows of)
    /// and at least the wall clock `now`, so causality holds even when clocks disagree.
    public static func next(after seen: Stamp?, session: String, now: Int64) -> Stamp {
        guard let seen, seen.milliseconds >= now else {
            return Stamp(milliseconds: now, counter: 0, session: session)
        }
        return Stamp(milliseconds: seen.milliseconds, counter: seen.counter + 1, session: session)
    }
}
