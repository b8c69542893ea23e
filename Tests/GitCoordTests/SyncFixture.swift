import CoordTestSupport
import GitCoord
import GitCoordStore

/// A bare remote and N clones of it, each with a `Coord` acting as its own session `sN`.
final class SyncFixture {
    let repo: TempRepo
    let bare: String
    var clones: [String] = []
    var coords: [Coord] = []

    init(clones n: Int) throws {
        repo = try TempRepo()
        bare = try repo.addBareRemote()
        for i in 0..<n {
            let path = try repo.clone(bare, as: "clone\(i)")
            clones.append(path)
            coords.append(try repo.coord("s\(i)", at: path))
        }
    }

    func store(_ i: Int) -> CoordStore { coords[i].store }

    /// Adds a message record to `to`'s mailbox from clone `i`; returns its id.
    @discardableResult
    func send(from i: Int, to: String, body: String = "hello") throws -> String {
        let id = IDGenerator.make("m-", length: 10)
        try store(i).update(DocumentID(.mail, to), as: "s\(i)") { (tx) throws(CoordError) in
            tx.putRecord(Shard.path("msgs", id, ext: "rec"), .object(["id": .string(id), "from": .string("s\(i)"), "body": .string(body)]))
            tx.subject = "mail: s\(i) → \(to)"
        }
        return id
    }

    /// Sets a register field of a board task from clone `i`; returns the write's stamp.
    @discardableResult
    func setTask(from i: Int, task: String, field: String, value: JSONValue) throws -> Stamp? {
        try store(i).update(.board, as: "s\(i)") { (tx) throws(CoordError) in
            tx.set(Shard.path("tasks", task, ext: "lww"), [field: value])
        }?.stamp
    }

    /// Claims a task from clone `i` unless the local board shows it claimed; returns the stamp.
    @discardableResult
    func claim(from i: Int, task: String) throws -> Stamp? {
        let path = Shard.path("tasks", task, ext: "lww")
        return try store(i).update(.board, as: "s\(i)") { (tx) throws(CoordError) in
            if case .claim(_, _, .some)? = try tx.snapshot.fields(path)?["holder"] { return }
            tx.setField(path, "holder", .claim(epoch: 0, stamp: tx.stamp, holder: "s\(i)"))
        }?.stamp
    }

    /// Every document ref of a repository at `path`, name → tree id.
    static func trees(at path: String) throws -> [String: ObjectID] {
        let r = try Repository.open(at: path)
        var out: [String: ObjectID] = [:]
        for (name, target) in try r.references(matching: "refs/coord/*") {
            out[name] = try r.treeOfCommit(target)
        }
        return out
    }

    /// Every `.rec` id in a document at clone `i`.
    func recordIDs(_ i: Int, _ doc: DocumentID) throws -> Set<String> {
        let snap = try store(i).snapshot(doc)
        return Set(try snap.blobs(under: "msgs").map { Shard.id(fromPath: $0.path) })
    }

    /// A ref as the bare remote has it.
    func remoteTip(_ ref: String) throws -> ObjectID? {
        try Repository.open(at: bare).referenceTarget(ref)
    }
}
