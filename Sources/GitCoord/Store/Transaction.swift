import GitCoordStore

/// The changes one operation makes to a document, built from the snapshot it read.
///
/// Every change is joined with what the snapshot holds at that path, so a write can only move a
/// cell up its order: it never loses anything that was already there.
public struct Transaction {
    /// The document as the operation read it.
    public let snapshot: Snapshot
    /// The stamp of this operation, later than every stamp in the snapshot.
    public let stamp: Stamp
    /// The commit subject, an audit line: `board: claim T-4k2m "title" by worker-1`.
    public var subject: String = ""
    /// The operation name for the `Coord-Op` trailer, e.g. `board.claim`.
    public var operation: String = ""
    /// Extra trailers after `Coord-Session`, `Coord-Op` and `Coord-Stamp`.
    public var trailers: [(String, String)] = []
    /// Path → new bytes (before the join with the snapshot).
    public private(set) var edits: [String: [UInt8]] = [:]

    init(snapshot: Snapshot, stamp: Stamp) {
        self.snapshot = snapshot
        self.stamp = stamp
    }

    /// Puts raw cell bytes at a path (joined with any earlier edit and the snapshot's cell).
    public mutating func put(_ path: String, _ bytes: [UInt8]) {
        if let earlier = edits[path] {
            edits[path] = CellJoin.join(path: path, earlier, bytes)
        } else {
            edits[path] = bytes
        }
    }

    /// Writes an immutable record.
    public mutating func putRecord(_ path: String, _ value: JSONValue) {
        put(path, value.canonicalBytes)
    }

    /// Sets register fields of a `.lww` cell, stamped with this operation's stamp.
    public mutating func set(_ path: String, _ values: [String: JSONValue]) {
        var map = FieldMap()
        for (k, v) in values { map[k] = .register(stamp: stamp, value: v) }
        put(path, map.bytes)
    }

    /// Sets one field (register or claim) of a `.lww` cell as given.
    public mutating func setField(_ path: String, _ name: String, _ field: Field) {
        var map = FieldMap()
        map[name] = field
        put(path, map.bytes)
    }

    public var isEmpty: Bool { edits.isEmpty }
}
