/// A single-pass reader of task cells for the board view.
///
/// A cold `list` reads every task cell of the board; building a general ``JSONValue`` tree for
/// each (dictionaries, boxed values) was most of that cost. This scanner walks the canonical
/// bytes once and keeps only what a ``BoardTask`` needs. It understands exactly the shape the
/// store writes (`{"NAME":{"s":…,"v":SCALAR}, "claim":{"e":…,"k":"claim","s":…,"v":…}}`) with
/// escape-free strings; for anything else (an escaped string, a nested value) it returns nil and
/// the caller falls back to the general parser, so the result is the same either way.
enum TaskCellScanner {
    struct Fields {
        var registers: [(name: String, value: JSONValue)] = []
        var claimEpoch: Int64?
        var claimHolder: String?
        var claimStamp: Int64?
    }

    static func scan(_ bytes: [UInt8]) -> Fields? {
        bytes.withUnsafeBufferPointer { buf in
            var s = Cursor(b: buf)
            return s.cell()
        }
    }

    struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func eat(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }

        /// A string without escapes, as its byte range.
        mutating func rawString() -> Range<Int>? {
            guard eat(0x22) else { return nil }
            let start = i
            while i < b.count {
                let c = b[i]
                if c == 0x22 { i += 1; return start..<(i - 1) }
                if c == 0x5c || c < 0x20 { return nil }
                i += 1
            }
            return nil
        }

        mutating func string() -> String? {
            guard let r = rawString() else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
        }

        mutating func int() -> Int64? {
            var neg = false
            if eat(0x2d) { neg = true }
            let start = i
            var v: Int64 = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[i] - 48))
                guard !o1, !o2 else { return nil }
                v = a
                i += 1
            }
            guard i > start else { return nil }
            return neg ? -v : v
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { return false }
            for k in 0..<n where b[i + k] != word.utf8Start[k] { return false }
            i += n
            return true
        }

        mutating func scalar() -> JSONValue? {
            guard i < b.count else { return nil }
            switch b[i] {
            case 0x22: return string().map(JSONValue.string)
            case 0x74: return literal("true") ? .bool(true) : nil
            case 0x66: return literal("false") ? .bool(false) : nil
            case 0x6e: return literal("null") ? .null : nil
            default: return int().map(JSONValue.int)
            }
        }

        mutating func cell() -> Fields? {
            var out = Fields()
            guard eat(0x7b) else { return nil }
            if eat(0x7d) { return i == b.count ? out : nil }
            repeat {
                guard let name = string(), eat(0x3a), eat(0x7b) else { return nil }
                var e: Int64? = nil, k: String? = nil, st: Range<Int>? = nil, v: JSONValue? = nil
                repeat {
                    guard let key = rawString(), key.count == 1, eat(0x3a) else { return nil }
                    switch b[key.lowerBound] {
                    case 0x65: guard let x = int() else { return nil }; e = x
                    case 0x6b: guard let x = string() else { return nil }; k = x
                    case 0x73: guard let x = rawString() else { return nil }; st = x
                    case 0x76: guard let x = scalar() else { return nil }; v = x
                    default: return nil
                    }
                } while eat(0x2c)
                guard eat(0x7d), let v, st != nil else { return nil }
                if let k {
                    guard k == "claim", let e, e >= 0, e <= Field.maxEpoch else { return nil }
                    if name == TaskCell.claimField {
                        out.claimEpoch = e
                        if case .string(let h) = v { out.claimHolder = h }
                        out.claimStamp = st.flatMap { Stamp.milliseconds(of: UnsafeBufferPointer(rebasing: b[$0])) }
                    }
                } else {
                    out.registers.append((name, v))
                }
            } while eat(0x2c)
            guard eat(0x7d), i == b.count else { return nil }
            return out
        }
    }
}
