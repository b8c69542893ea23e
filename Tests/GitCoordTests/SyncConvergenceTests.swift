import CoordTestSupport
import GitCoord
import GitCoordStore
import PropertyBased
import Testing

/// Replicas converge: whatever the clones do and in whatever order they sync, after a final
/// round every clone holds the same tree for every document, and every operation is there.
@Suite struct SyncConvergenceTests {
    /// What the operations of one run should leave behind.
    struct Expected {
        var records: [DocumentID: Set<String>] = [:]
        /// (document, path, field) → the stamped values written.
        var registers: [String: [(Stamp, JSONValue)]] = [:]
        /// task → the claims made.
        var claims: [String: [(Stamp, String)]] = [:]
        /// task → the first holder seen on the remote: the claim that reached it first wins.
        var firstOnRemote: [String: String] = [:]

        /// Notes which claims the remote holds now, keeping the first holder of each task.
        mutating func noteRemoteClaims(_ f: SyncFixture) throws {
            let remote = try Repository.open(at: f.bare)
            guard let tip = try remote.referenceTarget("refs/coord/board") else { return }
            let tree = try remote.treeOfCommit(tip)
            for task in SyncConvergenceTests.tasks where firstOnRemote[task] == nil {
                guard let entry = try remote.treeEntry(tree, path: Shard.path("tasks", task, ext: "lww")),
                      case .claim(_, _, let holder?)? = try FieldMap(bytes: remote.readBlob(entry.id))["holder"] else { continue }
                firstOnRemote[task] = holder
            }
        }

        mutating func register(_ doc: DocumentID, _ path: String, _ field: String, _ stamp: Stamp?, _ value: JSONValue) {
            guard let stamp else { return }
            registers["\(doc.refName)|\(path)|\(field)", default: []].append((stamp, value))
        }
    }

    static let tasks = ["T-aaaaaa", "T-bbbbbb", "T-cccccc"]
    static let mailboxes = ["s0", "s1", "s2", "coordinator"]

    /// Runs one step: `code` picks the clone, the action and its target.
    static func step(_ f: SyncFixture, _ code: Int, _ n: Int, _ expected: inout Expected) async throws {
        let clone = code % 3, action = (code / 3) % 6, pick = code / 18
        let me = "s\(clone)"
        switch action {
        case 0:
            let task = tasks[pick % tasks.count], field = pick % 2 == 0 ? "title" : "status"
            let value = JSONValue.string("\(me)-\(n)")
            expected.register(.board, Shard.path("tasks", task, ext: "lww"), field, try f.setTask(from: clone, task: task, field: field, value: value), value)
        case 1:
            let task = tasks[pick % tasks.count]
            if let stamp = try f.claim(from: clone, task: task) { expected.claims[task, default: []].append((stamp, me)) }
        case 2:
            let to = mailboxes[pick % mailboxes.count]
            expected.records[DocumentID(.mail, to), default: []].insert(try f.send(from: clone, to: to, body: "\(n)"))
        case 3:
            let doc = DocumentID(.state, me), key = "k\(pick % 3)"
            let value = JSONValue.int(Int64(n))
            let stamp = try f.store(clone).update(doc, as: me) { (tx) throws(CoordError) in tx.set("state.lww", [key: value]) }?.stamp
            expected.register(doc, "state.lww", key, stamp, value)
        case 4:
            let doc = DocumentID(.beat, me), value = JSONValue.int(Int64(n))
            let stamp = try f.store(clone).update(doc, as: me) { (tx) throws(CoordError) in tx.set("beat.lww", ["at": value]) }?.stamp
            expected.register(doc, "beat.lww", "at", stamp, value)
        default:
            let report = try await f.coords[clone].sync()
            #expect(report.complete, "\(report.lines)")
            #expect(report.rejectedCells.isEmpty && report.skipped.isEmpty, "\(report.lines)")
            try expected.noteRemoteClaims(f)
        }
    }

    static func check(_ f: SyncFixture, _ expected: Expected) throws {
        let reference = try SyncFixture.trees(at: f.bare)
        for path in f.clones {
            #expect(try SyncFixture.trees(at: path) == reference, "clone \(path) differs from the remote")
        }
        for (doc, ids) in expected.records {
            for i in 0..<3 { #expect(try f.recordIDs(i, doc) == ids) }
        }
        for (key, writes) in expected.registers {
            let parts = key.split(separator: "|").map(String.init)
            let doc = try #require(DocumentID(refName: parts[0]))
            let winner = try #require(writes.max { $0.0 < $1.0 })
            for i in 0..<3 {
                #expect(try f.store(i).snapshot(doc).fields(parts[1])?.value(parts[2]) == winner.1, "\(key) in clone \(i)")
            }
        }
        // Claims go to the claim that reached the remote first, whatever the stamps say.
        for (task, claims) in expected.claims {
            let first = try #require(expected.firstOnRemote[task], "\(task) never reached the remote")
            #expect(claims.contains { $0.1 == first })
            for i in 0..<3 {
                let field = try f.store(i).snapshot(.board).fields(Shard.path("tasks", task, ext: "lww"))?["holder"]
                guard case .claim(_, _, let holder)? = field else { Issue.record("no claim on \(task)"); continue }
                #expect(holder == first, "\(task) in clone \(i)")
            }
        }
    }

    @Test func threeClonesSyncingInRandomOrderConvergeAndKeepEveryOperation() async {
        await forAll(count: 6, input: Gen.int(in: 0..<72).array(of: 30...60)) { steps in
            let f = try SyncFixture(clones: 3)
            var expected = Expected()
            for (n, code) in steps.enumerated() { try await Self.step(f, code, n, &expected) }
            // Final round: everyone syncs, twice around, so the last merge reaches all.
            for clone in [0, 1, 2, 0, 1] {
                let report = try await f.coords[clone].sync()
                #expect(report.complete)
                try expected.noteRemoteClaims(f)
            }
            try Self.check(f, expected)
        }
    }

    /// Offline for a while, two clones each write 1,000 messages to one mailbox; one sync each
    /// (and one more to pick up the merge) and both hold all 2,000.
    @Test func twoClonesEachSendingAThousandMessagesOfflineBothEndWithAllTwoThousand() async throws {
        let f = try SyncFixture(clones: 2)
        let doc = DocumentID(.mail, "coordinator")
        var ids: Set<String> = []
        for i in 0..<1000 {
            ids.insert(try f.send(from: 0, to: "coordinator", body: "a\(i)"))
            ids.insert(try f.send(from: 1, to: "coordinator", body: "b\(i)"))
        }
        _ = try await f.coords[0].sync()
        let merged = try await f.coords[1].sync()
        #expect(merged.moved.first?.how == .merged)
        #expect(merged.moved.first?.added == 1000)
        let last = try await f.coords[0].sync()
        #expect(last.moved.first?.how == .fastForward)
        for i in 0..<2 { #expect(try f.recordIDs(i, doc) == ids) }
        #expect(try f.store(0).tip(doc) == f.store(1).tip(doc))
    }
}
