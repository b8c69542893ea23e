/// A JSON document parsed with the byte range of every value, for editing a file in place.
///
/// Settings files belong to their users: `hooks install` must change only what it adds and leave
/// every other byte (order, spacing, numbers with fractions, escapes) as it was. So instead of
/// decoding and re-encoding the file, edits are made as splices at positions this parser finds.
/// Accepts any valid JSON (floats included); refuses anything else.
public indirect enum JSONSpan: Sendable {
    /// An object: its members in file order, each with the key's start offset.
    case object(start: Int, end: Int, members: [(keyStart: Int, key: String, value: JSONSpan)])
    case array(start: Int, end: Int, elements: [JSONSpan])
    /// A string, number, `true`, `false` or `null`; `string` holds a string's decoded text.
    case scalar(start: Int, end: Int, string: String?)

    /// The offset of the value's first byte.
    public var start: Int {
        switch self {
        case .object(let s, _, _), .array(let s, _, _), .scalar(let s, _, _): return s
        }
    }

    /// The offset just past the value's last byte.
    public var end: Int {
        switch self {
        case .object(_, let e, _), .array(_, let e, _), .scalar(_, let e, _): return e
        }
    }

    public subscript(key: String) -> JSONSpan? {
        if case .object(_, _, let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    public var stringValue: String? {
        if case .scalar(_, _, let s) = self { return s }
        return nil
    }

    /// Parses a whole document; the error says where it went wrong.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONSpan {
        var p = SpanParser(bytes: bytes)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw JSONParseError(offset: p.i, reason: "trailing data") }
        return v
    }
}

private struct SpanParser {
    let bytes: [UInt8]
    var i = 0

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0a || bytes[i] == 0x0d || bytes[i] == 0x09 { i += 1 }
    }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: i, reason: reason) }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONSpan {
        guard depth < 128 else { throw fail("nested too deep") }
        guard i < bytes.count else { throw fail("unexpected end") }
        let start = i
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(keyStart: Int, key: String, value: JSONSpan)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(start: start, end: i, members: members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let keyStart = i
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected :") }
                i += 1
                skipSpace()
                members.append((keyStart, key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw fail("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(start: start, end: i, members: members) }
                throw fail("expected , or }")
            }
        case UInt8(ascii: "["):
            i += 1
            var elements: [JSONSpan] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(start: start, end: i, elements: elements) }
            while true {
                skipSpace()
                elements.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unterminated array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(start: start, end: i, elements: elements) }
                throw fail("expected , or ]")
            }
        case UInt8(ascii: "\""):
            let s = try string()
            return .scalar(start: start, end: i, string: s)
        default:
            // true, false, null or a number: validate by re-parsing the token alone.
            while i < bytes.count, !Self.isDelimiter(bytes[i]) { i += 1 }
            guard i > start, Self.isScalarToken(Array(bytes[start..<i])) else { i = start; throw fail("unexpected character") }
            return .scalar(start: start, end: i, string: nil)
        }
    }

    static func isDelimiter(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 || c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}")
    }

    /// `true`, `false`, `null` or a JSON number (fractions and exponents allowed).
    static func isScalarToken(_ t: [UInt8]) -> Bool {
        if t == Array("true".utf8) || t == Array("false".utf8) || t == Array("null".utf8) { return true }
        var k = 0
        func digits() -> Int { let s = k; while k < t.count, t[k] >= 48, t[k] <= 57 { k += 1 }; return k - s }
        if k < t.count, t[k] == UInt8(ascii: "-") { k += 1 }
        guard digits() > 0 else { return false }
        if k < t.count, t[k] == UInt8(ascii: ".") { k += 1; guard digits() > 0 else { return false } }
        if k < t.count, t[k] == UInt8(ascii: "e") || t[k] == UInt8(ascii: "E") {
            k += 1
            if k < t.count, t[k] == UInt8(ascii: "+") || t[k] == UInt8(ascii: "-") { k += 1 }
            guard digits() > 0 else { return false }
        }
        return k == t.count
    }

    mutating func string() throws(JSONParseError) -> String {
        try JSONStringScanner.string(bytes, at: &i, strict: false)
    }
}
