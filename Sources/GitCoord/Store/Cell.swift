/// The kinds of cell a document tree holds, told apart by the file name's extension.
///
/// Every cell kind is a join-semilattice, and in fact a total order whose join is the maximum:
/// so the pathwise join of two document trees is commutative, associative and idempotent.
public enum CellKind: String, Sendable, CaseIterable {
    /// `.rec`: an immutable record, written once under a unique id. Equal bytes join to
    /// themselves; two different records at one path (a forged or colliding id) join to the
    /// one whose bytes sort last, the same on every replica.
    case record = "rec"
    /// `.lww`: a map from field names to fields, each a last-writer-wins register
    /// `{"s":STAMP,"v":VALUE}` or a claim `{"e":EPOCH,"k":"claim","s":STAMP,"v":HOLDER-OR-NULL}`.
    /// Maps join fieldwise.
    case fields = "lww"

    /// The kind named by a path's extension, or nil for a path that is no cell.
    public static func of(path: String) -> CellKind? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return CellKind(rawValue: String(path[path.index(after: dot)...]))
    }
}

/// One field of a `.lww` cell.
public enum Field: Hashable, Sendable {
    /// A last-writer-wins register: the value written with the larger stamp wins.
    case register(stamp: Stamp, value: JSONValue)
    /// A claim: the larger epoch wins; within an epoch a claim beats no claim and the earliest
    /// claim wins. Releasing writes the next epoch with no holder.
    case claim(epoch: Int64, stamp: Stamp, holder: String?)

    /// The largest epoch a cell may hold: each release adds one, so no real task comes near it.
    /// A peer's larger epoch is refused as impossible, and no epoch arithmetic can overflow.
    public static let maxEpoch: Int64 = 1 << 40

    /// The epoch a release starts after `epoch`, nil when `epoch` is already the largest allowed.
    public static func nextEpoch(after epoch: Int64) -> Int64? {
        epoch >= 0 && epoch < maxEpoch ? epoch + 1 : nil
    }

    public var stamp: Stamp {
        switch self {
        case .register(let s, _), .claim(_, let s, _): return s
        }
    }

    var json: JSONValue {
        switch self {
        case .register(let s, let v): return .object(["s": .string(s.description), "v": v])
        case .claim(let e, let s, let h): return .object(["e": .int(e), "k": "claim", "s": .string(s.description), "v": h.map(JSONValue.string) ?? .null])
        }
    }

    init?(json: JSONValue) {
        guard case .object(let o) = json, let st = o["s"]?.stringValue, let stamp = Stamp(st), let v = o["v"] else { return nil }
        if let k = o["k"] {
            guard k == "claim", let e = o["e"]?.intValue, e >= 0, e <= Field.maxEpoch, o.count == 4 else { return nil }
            switch v {
            case .null: self = .claim(epoch: e, stamp: stamp, holder: nil)
            case .string(let h) where SessionName.isValid(h): self = .claim(epoch: e, stamp: stamp, holder: h)
            default: return nil
            }
        } else {
            guard o.count == 2 else { return nil }
            self = .register(stamp: stamp, value: v)
        }
    }

    /// The join of two fields: the larger of the two in the field order.
    public static func join(_ a: Field, _ b: Field) -> Field {
        precedes(a, b) ? b : a
    }

    /// The total order behind ``join(_:_:)``.
    static func precedes(_ a: Field, _ b: Field) -> Bool {
        switch (a, b) {
        case (.register(let sa, let va), .register(let sb, let vb)):
            if sa != sb { return sa < sb }
            return va.canonicalBytes.lexicographicallyPrecedes(vb.canonicalBytes)
        case (.claim(let ea, let sa, let ha), .claim(let eb, let sb, let hb)):
            if ea != eb { return ea < eb }
            switch (ha, hb) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (nil, nil): return sa < sb
            case (.some(let x), .some(let y)):
                // The earliest claim is the greatest.
                if sa != sb { return sb < sa }
                return y < x
            }
        default:
            // A register and a claim under one name: only from a malformed peer. Order by bytes.
            return a.json.canonicalBytes.lexicographicallyPrecedes(b.json.canonicalBytes)
        }
    }
}

/// A parsed `.lww` cell: named fields.
public struct FieldMap: Hashable, Sendable {
    public var fields: [String: Field]

    public init(_ fields: [String: Field] = [:]) { self.fields = fields }

    public subscript(name: String) -> Field? {
        get { fields[name] }
        set { fields[name] = newValue }
    }

    /// The value of a register field, nil when absent or a claim.
    public func value(_ name: String) -> JSONValue? {
        if case .register(_, let v)? = fields[name] { return v }
        return nil
    }

    public var bytes: [UInt8] { JSONValue.object(fields.mapValues(\.json)).canonicalBytes }

    /// Parses a `.lww` blob, refusing anything that is not canonical.
    public init(bytes: [UInt8]) throws(CellError) {
        let v: JSONValue
        do { v = try JSONValue.parseCanonical(bytes) } catch { throw CellError(reason: error.description) }
        guard case .object(let o) = v else { throw CellError(reason: "a field map must be a JSON object") }
        var fields: [String: Field] = [:]
        for (k, fv) in o {
            guard let f = Field(json: fv) else { throw CellError(reason: "field \(k) is neither a register nor a claim") }
            fields[k] = f
        }
        self.fields = fields
    }

    /// The fieldwise join.
    public static func join(_ a: FieldMap, _ b: FieldMap) -> FieldMap {
        var out = a
        for (k, f) in b.fields {
            out.fields[k] = out.fields[k].map { Field.join($0, f) } ?? f
        }
        return out
    }

    /// The largest stamp of any field.
    public var maxStamp: Stamp? { fields.values.map(\.stamp).max() }
}

/// Why a cell's bytes are not a valid cell.
public struct CellError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

/// The join of cells stored as blobs.
public enum CellJoin {
    /// The join of two blobs stored at `path`. Pure: depends on the bytes alone.
    ///
    /// Malformed input never stops a join: a valid cell beats an invalid one, and two invalid
    /// ones join to the one whose bytes sort last, so every replica still agrees.
    public static func join(path: String, _ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        if a == b { return a }
        switch CellKind.of(path: path) {
        case .fields:
            let ma = try? FieldMap(bytes: a)
            let mb = try? FieldMap(bytes: b)
            switch (ma, mb) {
            case (let x?, let y?): return FieldMap.join(x, y).bytes
            case (.some, nil): return a
            case (nil, .some): return b
            case (nil, nil): return maxBytes(a, b)
            }
        case .record, nil:
            return maxBytes(a, b)
        }
    }

    static func maxBytes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        a.lexicographicallyPrecedes(b) ? b : a
    }

    /// Checks a cell's bytes: nil when valid, else the reason.
    public static func validate(path: String, _ bytes: [UInt8]) -> String? {
        switch CellKind.of(path: path) {
        case .fields:
            do { _ = try FieldMap(bytes: bytes); return nil } catch { return error.reason }
        case .record:
            do { _ = try JSONValue.parse(bytes); return nil } catch { return error.description }
        case nil:
            return path == DocumentMarker.path ? nil : "not a cell path (no .rec or .lww extension)"
        }
    }
}
