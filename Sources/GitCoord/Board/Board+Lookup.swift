extension Coord {
    /// The full id of the task `text` names: a whole id or any unique prefix, in any case, with or
    /// without `T-` (`4k2`, `T-4K2M`, `t-4k2mxq`).
    ///
    /// Only the shard folder the prefix names is listed (`tasks/4/k/` for `4k…`), so the cost does
    /// not grow with the board. Unknown and ambiguous prefixes are bad input (exit 2); an
    /// ambiguous one lists the candidates.
    public func resolveTask(_ text: String, in snap: Snapshot) throws(CoordError) -> String {
        let prefix = try TaskID.normalize(text)
        if prefix.count == TaskID.fullLength {
            if try snap.bytes(TaskCell.path(prefix)) != nil { return prefix }
            throw TaskID.unknown(text)
        }
        let folder = Shard.folder(TaskCell.folder, forPrefix: prefix)
        var candidates: [String] = []
        for blob in try snap.blobs(under: folder) where TaskCell.isTaskPath(blob.path) {
            let id = Shard.id(fromPath: blob.path)
            if id.hasPrefix(prefix) { candidates.append(id) }
        }
        guard let first = candidates.first else { throw TaskID.unknown(text) }
        guard candidates.count == 1 else {
            let shown = candidates.sorted().prefix(10).joined(separator: ", ")
            let more = candidates.count > 10 ? " and \(candidates.count - 10) more" : ""
            throw CoordError.usage("task prefix '\(text)' is ambiguous: it matches \(shown)\(more); type more characters")
        }
        return first
    }

    /// Runs one operation on an existing task as one atomic board write.
    ///
    /// Resolves `text` to a task id, reads the task's cell from the snapshot the write is built on
    /// (an unknown task is refused, exit 2), and tags the commit with `Coord-Task`. `body` gets the
    /// transaction, the id, the cell and the task; it sets the subject and operation of any change
    /// it makes, and may run more than once (see ``CoordStore/update(_:as:_:)``).
    func updateTask(_ text: String, as me: String, _ body: (inout Transaction, String, FieldMap, BoardTask) throws(CoordError) -> Void) throws(CoordError) {
        let id = try resolveTask(text, in: try store.snapshot(.board))
        try store.update(.board, as: me) { (tx) throws(CoordError) in
            guard let old = try tx.snapshot.fields(TaskCell.path(id)) else { throw TaskID.unknown(text) }
            try body(&tx, id, old, TaskCell.task(id: id, fields: old))
            tx.trailers.append(("Coord-Task", id))
        }
    }

    /// Reads one task by (a prefix of) its id.
    public func task(_ text: String) throws(CoordError) -> BoardTask {
        try task(text, in: try store.snapshot(.board))
    }

    /// Reads one task by (a prefix of) its id in a board as it stood.
    func task(_ text: String, in snap: Snapshot) throws(CoordError) -> BoardTask {
        let id = try resolveTask(text, in: snap)
        guard let map = try snap.fields(TaskCell.path(id)) else { throw TaskID.unknown(text) }
        return TaskCell.task(id: id, fields: map)
    }
}

/// Task ids: `T-` and six Crockford base32 characters.
public enum TaskID {
    public static let prefix = "T-"
    public static let randomLength = 6
    public static let fullLength = prefix.count + randomLength

    /// A new random id.
    public static func make() -> String { IDGenerator.make(prefix, length: randomLength) }

    /// The canonical form of what a user typed: `T-` plus lowercase base32. Crockford's
    /// look-alikes are read as meant (`o` → `0`, `i`/`l` → `1`).
    public static func normalize(_ text: String) throws(CoordError) -> String {
        var rest = Substring(text.lowercased())
        if rest.hasPrefix("t-") { rest = rest.dropFirst(2) }
        let mapped = String(rest.map { c -> Character in
            switch c {
            case "o": return "0"
            case "i", "l": return "1"
            default: return c
            }
        })
        guard !mapped.isEmpty, mapped.count <= randomLength, mapped.allSatisfy({ IDGenerator.alphabet.contains($0) }) else {
            throw CoordError.usage("'\(text)' is not a task id: expected T- and up to \(randomLength) characters of 0-9 and a-z (no i, l, o, u), e.g. T-4k2mxq or just 4k2")
        }
        return prefix + mapped
    }

    static func unknown(_ text: String) -> CoordError {
        CoordError.usage("no task matches '\(text)': run `git coord board list --status all` to see task ids")
    }
}
