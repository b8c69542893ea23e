/// One key of a session's state, as last written.
public struct StateEntry: Sendable, Equatable {
    public let key: String
    public let value: JSONValue
    /// The stamp of the write that won: when, and by which session.
    public let stamp: Stamp

    /// The JSON form printed by `state show --json`.
    public var json: JSONValue {
        .object(["key": .string(key), "value": value, "at": .int(stamp.milliseconds), "by": .string(stamp.session)])
    }

    /// The value as `state get` prints it: a string bare, anything else as canonical JSON.
    public var text: String { StateEntry.text(of: value) }

    static func text(of value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.canonicalString
    }
}

/// State that survives an agent's loss of context: named values kept in `refs/coord/state/SESSION`.
///
/// Each key is one `.lww` cell `keys/<key>.lww` holding one register `v`, so the last writer wins
/// per key and concurrent writes to different keys never conflict. Unsetting writes a tombstone
/// (the register set to `null`); paths are never removed, so every replica converges. Every change
/// is one commit whose subject is an audit line: `state: set gate.pr-12 = "pass" by coordinator`.
extension Coord {
    static let stateField = "v"

    /// Sets `key` to `value` in `session`'s state (default: the acting session's own).
    @discardableResult
    public func setState(_ key: String, _ value: JSONValue, in session: String? = nil) throws(CoordError) -> StateEntry {
        try StateKey.validate(key)
        let writer = try requireSession()
        let owner: String
        if let session { owner = try SessionName.validate(session) } else { owner = writer }
        let shown = Coord.abbreviate(value.canonicalString, to: 80)
        let result = try store.update(DocumentID(.state, owner), as: writer) { (tx) throws(CoordError) in
            tx.set(StateKey.path(key), [Coord.stateField: value])
            tx.subject = value.isNull
                ? "state: unset \(key) by \(writer)"
                : "state: set \(key) = \(shown) by \(writer)"
            tx.operation = value.isNull ? "state.unset" : "state.set"
            tx.trailers = [("Coord-Key", key)]
        }
        if let result { return StateEntry(key: key, value: value, stamp: result.stamp) }
        guard let entry = try stateEntry(key, of: owner) else { throw CoordError.invariant("wrote \(key) but cannot read it back") }
        return entry
    }

    /// Unsets `key`: writes a tombstone. Returns false when the key was not set (nothing written).
    @discardableResult
    public func unsetState(_ key: String, in session: String? = nil) throws(CoordError) -> Bool {
        try StateKey.validate(key)
        let owner: String
        if let session { owner = session } else { owner = try requireSession() }
        guard try stateEntry(key, of: owner) != nil else { return false }
        try setState(key, .null, in: owner)
        return true
    }

    /// The current entry of `key` in `session`'s state; nil when never set or unset.
    public func stateEntry(_ key: String, of session: String) throws(CoordError) -> StateEntry? {
        try StateKey.validate(key)
        let snap = try store.snapshot(DocumentID(.state, session))
        return try Coord.entry(key, snap.fields(StateKey.path(key)))
    }

    /// The value of `key` in `session`'s state; refused (exit 1) when the key is not set, as
    /// `state get` answers.
    public func requiredStateEntry(_ key: String, of session: String) throws(CoordError) -> StateEntry {
        guard let entry = try stateEntry(key, of: session) else { throw CoordError.refused("\(key) is not set in \(session)'s state") }
        return entry
    }

    /// Every key set in `session`'s state, sorted by key.
    public func stateEntries(of session: String) throws(CoordError) -> [StateEntry] {
        let snap = try store.snapshot(DocumentID(.state, session))
        var out: [StateEntry] = []
        for blob in try snap.blobs(under: "keys") {
            guard let key = StateKey.key(fromPath: blob.path) else { continue }
            if let e = try Coord.entry(key, snap.fields(blob.path)) { out.append(e) }
        }
        return out.sorted { $0.key < $1.key }
    }

    static func entry(_ key: String, _ map: FieldMap?) -> StateEntry? {
        guard case .register(let stamp, let value)? = map?[stateField], !value.isNull else { return nil }
        return StateEntry(key: key, value: value, stamp: stamp)
    }

    /// `text` cut to at most `limit` characters, with an ellipsis when cut, on one line.
    static func abbreviate(_ text: String, to limit: Int) -> String {
        let flat = text.replacingNewlines()
        guard flat.count > limit else { return flat }
        return String(flat.prefix(max(0, limit - 1))) + "…"
    }
}
