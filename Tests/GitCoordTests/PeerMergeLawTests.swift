import CoordTestSupport
@testable import GitCoord
import GitCoordStore
import PropertyBased
import Testing

/// One way a peer's tree can be wrong, chosen by an integer so the generator shrinks well.
struct PeerMutation: Sendable, CustomStringConvertible {
    let n: Int

    /// The path and bytes this mutation puts into the peer's tree, given a path the honest
    /// replicas hold.
    func apply(honestPath: String) -> (path: String, bytes: [UInt8]) {
        let id = "k-" + String(IDGenerator.alphabet[n / 9 % 32]) + "zz"
        let far = Stamp(milliseconds: 4_102_444_800_000 + Int64(n), counter: 0, session: "mallory")
        switch n % 9 {
        case 0: return (Shard.path("cells", id, ext: "lww"), Array("{\"a\":\(n)".utf8))                   // malformed
        case 1: return (honestPath + "/x.lww", CellGen.fieldMap([n]).bytes)                                // file → folder
        case 2: return ("cells/a b/\(id).rec", Array("{}".utf8))                                          // strange name
        case 3: return ("cells/-\(n % 7)~1/\(id).rec", Array("{}".utf8))                                   // strange name
        case 4: return (Shard.path("cells", id, ext: "lww"), FieldMap(["c": .claim(epoch: .max - Int64(n % 3), stamp: CellGen.stamp(n), holder: "a")]).bytes)
        case 5: return (honestPath.hasSuffix(".lww") ? honestPath : Shard.path("cells", id, ext: "lww"),
                        FieldMap(["a": .register(stamp: far, value: "stolen")]).bytes)                     // far future
        case 6: return (Shard.path("cells", id, ext: "rec"), [UInt8](repeating: 0x20, count: 300))          // over the size limit
        case 7: return (Shard.path("cells", id, ext: "nope"), Array("{}".utf8))                            // no cell
        default: return (Shard.path("recs", id, ext: "rec"), JSONValue.object(["id": .string(id)]).canonicalBytes) // sound
        }
    }

    var description: String { "mutation \(n % 9) (\(n))" }
}

@Suite struct PeerMergeLawTests {
    static let ops = Gen.int(in: 0...100_000).array(of: 1...8)
    static let mutations = Gen.int(in: 0...100_000).array(of: 1...6)

    static func policy() -> PeerPolicy {
        var p = PeerPolicy(now: Clock.nowMilliseconds())
        p.maxCellBytes = 200
        return p
    }

    /// A peer tree: an honest replica's tree with mutations put on top.
    static func peerTree(_ store: CoordStore, honest: ObjectID?, _ mutations: [PeerMutation], honestPaths: [String]) throws -> ObjectID {
        var updates: [TreeUpdate] = []
        var taken = Set<String>()
        for (i, m) in mutations.enumerated() {
            let (path, bytes) = m.apply(honestPath: honestPaths[i % honestPaths.count])
            // One update per path and no update below another's file: libgit2 builds the tree in one go.
            guard !taken.contains(where: { path.hasPrefix($0 + "/") || $0.hasPrefix(path + "/") || $0 == path }) else { continue }
            taken.insert(path)
            updates.append(.blob(path, try store.repository.writeBlob(bytes)))
        }
        if updates.contains(where: { u in honestPaths.contains { u.path.hasPrefix($0 + "/") } }) {
            // A file turned into a folder: build the peer tree without the file first (each path
            // once: two honest operations may write the same path).
            let files = Set(honestPaths).filter { p in updates.contains { $0.path.hasPrefix(p + "/") } }.sorted()
            let kept = try store.repository.updateTree(base: honest, files.map { TreeUpdate(path: $0, action: .remove) })
            return try store.repository.updateTree(base: kept, updates)
        }
        return try store.repository.updateTree(base: honest, updates)
    }

    /// Random and mutated peer trees: the merge never throws or traps, every honest cell survives
    /// (the merged cell is at least the honest one), and replicas that meet the same peer in any
    /// order hold the same tree.
    @Test func mutatedPeerTreesNeverStopTheMergeLoseNoHonestCellAndReplicasConverge() async throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        var round = 0
        await forAll(count: 40, input: Self.ops, Self.ops, Self.mutations) { xa, xb, xm in
            round += 1
            let a = try DocumentMergeTests.apply(xa.map(DocOp.init), to: DocumentID(.state, "p\(round)-a"), store)
            let b = try DocumentMergeTests.apply(xb.map(DocOp.init), to: DocumentID(.state, "p\(round)-b"), store)
            let honestPaths = xa.map { DocOp($0).path }
            let peer = try Self.peerTree(store, honest: a, xm.map(PeerMutation.init), honestPaths: honestPaths)
            let policy = Self.policy()
            func j(_ x: ObjectID?, _ y: ObjectID?) throws -> ObjectID {
                try store.joinTrees(ours: x, theirs: y, document: "refs/coord/state/p", policy: policy).tree
            }
            let ap = try j(a, peer), bp = try j(b, peer)
            let honestTree = try #require(a)
            for path in Set(honestPaths) {
                let honest = try #require(try store.repository.treeEntry(honestTree, path: path))
                let merged = try #require(try store.repository.treeEntry(ap, path: path), "\(path) lost")
                let mb = try store.repository.readBlob(merged.id)
                #expect(CellJoin.join(path: path, mb, try store.repository.readBlob(honest.id)) == mb, "\(path) went down")
            }
            #expect(try j(ap, bp) == j(bp, ap))
            #expect(try j(j(ap, bp), peer) == j(ap, bp))
        }
    }

    /// The stamp clamp, in the merge sync makes: a peer commit stamped beyond the skew limit
    /// gives the merge the largest stamp actually taken, never the forged one nor the limit.
    @Test func theMergeStampTakesNoPeerStampBeyondTheSkewLimit() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        let doc = DocumentID(.state, "x")
        let ours = try #require(try store.update(doc) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 1]) })
        let policy = Self.policy()
        let taken = Stamp(milliseconds: policy.now + 1_000, counter: 0, session: "peer")
        let forged = Stamp(milliseconds: 4_102_444_800_000, counter: 0, session: "peer")
        let peerTree = try store.repository.updateTree(base: try store.repository.treeOfCommit(ours.commit), [
            .blob("b.lww", try store.repository.writeBlob(FieldMap(["v": .register(stamp: taken, value: 2)]).bytes)),
        ])
        let theirs = try store.repository.createCommit(tree: peerTree, parents: [ours.commit],
                                                       message: Trailers.message(subject: "peer", [("Coord-Stamp", forged.description)]),
                                                       author: Signature(name: "peer", email: "p@x.invalid", time: 1_764_000_000))
        let oursInfo = try store.repository.commit(ours.commit), theirsInfo = try store.repository.commit(theirs)
        let join = try store.joinTrees(ours: oursInfo.tree, theirs: theirsInfo.tree, policy: policy)
        let merge = try store.mergeCommit(doc, ours: oursInfo, theirs: theirsInfo, join: join, policy: policy, adopt: false)
        let stamp = try store.snapshot(doc, at: merge).stamp()
        #expect(stamp == taken)
        #expect(try store.repository.commit(merge).parents == [ours.commit, theirs].sorted())
        let adopted = try store.mergeCommit(doc, ours: oursInfo, theirs: theirsInfo, join: join, policy: policy, adopt: true)
        let info = try store.repository.commit(adopted)
        #expect(info.parents == [ours.commit])
        #expect(Trailers.parse(info.message)["Coord-Adopted"] == theirs.hex)
    }
}
