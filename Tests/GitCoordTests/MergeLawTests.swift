import CoordTestSupport
@testable import GitCoord
import GitCoordStore
import PropertyBased
import Testing

/// Builds cells deterministically from small integers, so that the generator shrinks well.
enum CellGen {
    static let sessions = ["a", "b", "c"]

    static func stamp(_ n: Int) -> Stamp {
        Stamp(milliseconds: 1_700_000_000_000 + Int64(n % 7), counter: Int64(n / 7 % 3), session: sessions[n / 21 % 3])
    }

    static func field(_ n: Int) -> Field {
        switch n % 4 {
        case 0, 1: return .register(stamp: stamp(n / 4), value: n % 8 < 4 ? .int(Int64(n / 8 % 5)) : .string("v\(n / 8 % 3)"))
        case 2: return .claim(epoch: Int64(n / 4 % 3), stamp: stamp(n / 12), holder: sessions[n / 4 % 3])
        default: return .claim(epoch: Int64(n / 4 % 3), stamp: stamp(n / 12), holder: nil)
        }
    }

    /// A `.lww` cell from a few integers: field names a/b/c chosen by the integers.
    static func fieldMap(_ xs: [Int]) -> FieldMap {
        var m = FieldMap()
        for x in xs { m[["a", "b", "c"][x % 3]] = field(x / 3) }
        return m
    }
}

@Suite struct MergeLawTests {
    static let triple = Gen.int(in: 0...5_000).array(of: 3)
    static let maps = Gen.int(in: 0...5_000).array(of: 0...4).array(of: 3)

    @Test func fieldJoinIsCommutativeAssociativeAndIdempotent() async {
        await forAll(count: 500, input: MergeLawTests.triple) { xs in
            let (a, b, c) = (CellGen.field(xs[0]), CellGen.field(xs[1]), CellGen.field(xs[2]))
            #expect(Field.join(a, b) == Field.join(b, a))
            #expect(Field.join(Field.join(a, b), c) == Field.join(a, Field.join(b, c)))
            #expect(Field.join(a, a) == a)
        }
    }

    @Test func theEarliestClaimInTheLatestEpochWins() {
        let early = Field.claim(epoch: 1, stamp: CellGen.stamp(0), holder: "a")
        let late = Field.claim(epoch: 1, stamp: CellGen.stamp(5), holder: "b")
        let released = Field.claim(epoch: 2, stamp: CellGen.stamp(1), holder: nil)
        let reclaimed = Field.claim(epoch: 2, stamp: CellGen.stamp(6), holder: "c")
        #expect(Field.join(early, late) == early)
        #expect(Field.join(late, released) == released)
        #expect(Field.join(released, reclaimed) == reclaimed)
        #expect(Field.join(early, reclaimed) == reclaimed)
    }

    @Test func cellJoinOnStoredBytesObeysTheLawsAndIsByteIdentical() async {
        await forAll(count: 300, input: MergeLawTests.maps) { xs in
            let (a, b, c) = (CellGen.fieldMap(xs[0]).bytes, CellGen.fieldMap(xs[1]).bytes, CellGen.fieldMap(xs[2]).bytes)
            let p = "t.lww"
            #expect(CellJoin.join(path: p, a, b) == CellJoin.join(path: p, b, a))
            #expect(CellJoin.join(path: p, CellJoin.join(path: p, a, b), c) == CellJoin.join(path: p, a, CellJoin.join(path: p, b, c)))
            #expect(CellJoin.join(path: p, a, a) == a)
        }
    }

    @Test func recordsJoinToTheSameValueEverywhereEvenWhenTheyCollide() async {
        await forAll(count: 200, input: MergeLawTests.triple) { xs in
            let (a, b, c) = xs.map { JSONValue.object(["n": .int(Int64($0 % 4))]).canonicalBytes }.tuple3
            let p = "m/x.rec"
            #expect(CellJoin.join(path: p, a, b) == CellJoin.join(path: p, b, a))
            #expect(CellJoin.join(path: p, CellJoin.join(path: p, a, b), c) == CellJoin.join(path: p, a, CellJoin.join(path: p, b, c)))
            #expect(CellJoin.join(path: p, a, a) == a)
        }
    }

    @Test func malformedCellsNeverStopAJoinAndStillConverge() {
        let good = CellGen.fieldMap([1, 2]).bytes
        let bad = Array("{not json".utf8)
        let worse = Array("[]".utf8)
        #expect(CellJoin.join(path: "x.lww", good, bad) == good)
        #expect(CellJoin.join(path: "x.lww", bad, good) == good)
        #expect(CellJoin.join(path: "x.lww", bad, worse) == CellJoin.join(path: "x.lww", worse, bad))
    }
}

extension Array {
    var tuple3: (Element, Element, Element) { (self[0], self[1], self[2]) }
}

/// One operation on a document: a cell written with a fixed stamp, so replicas can apply the
/// very same operation in different orders.
struct DocOp: Sendable, CustomStringConvertible {
    let path: String
    let bytes: [UInt8]

    init(_ n: Int) {
        let id = "k-" + String(IDGenerator.alphabet[n % 5]) + String(IDGenerator.alphabet[n / 5 % 4]) + "x"
        if n % 3 == 0 {
            path = Shard.path("recs", id, ext: "rec")
            bytes = JSONValue.object(["id": .string(id)]).canonicalBytes
        } else {
            path = Shard.path("cells", id, ext: "lww")
            bytes = CellGen.fieldMap([n / 20, n / 7]).bytes
        }
    }

    var description: String { path }
}

@Suite struct DocumentMergeTests {
    static let ops = Gen.int(in: 0...100_000).array(of: 1...12)

    /// Applies operations one write each, in the given order, to a document of `store`.
    static func apply(_ ops: [DocOp], to doc: DocumentID, _ store: CoordStore) throws -> ObjectID? {
        for op in ops {
            try store.update(doc) { (tx) throws(CoordError) in tx.put(op.path, op.bytes) }
        }
        return try store.snapshot(doc).tree
    }

    @Test func replicasApplyingTheSameOperationsInAnyOrderHoldIdenticalTrees() async throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        var round = 0
        await forAll(count: 40, input: DocumentMergeTests.ops, Gen.int(in: 0...1_000_000)) { ns, seed in
            round += 1
            let ops = ns.map(DocOp.init)
            var rng = SplitMix(seed: UInt64(seed))
            let shuffled = ops.shuffled(using: &rng)
            let t1 = try DocumentMergeTests.apply(ops, to: DocumentID(.state, "r\(round)-a"), store)
            let t2 = try DocumentMergeTests.apply(shuffled, to: DocumentID(.state, "r\(round)-b"), store)
            #expect(t1 == t2)
        }
    }

    @Test func mergingDocumentTreesIsCommutativeAssociativeIdempotentAndLosesNothing() async throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        var round = 0
        await forAll(count: 30, input: DocumentMergeTests.ops, DocumentMergeTests.ops, DocumentMergeTests.ops) { xa, xb, xc in
            round += 1
            let (oa, ob, oc) = (xa.map(DocOp.init), xb.map(DocOp.init), xc.map(DocOp.init))
            let a = try DocumentMergeTests.apply(oa, to: DocumentID(.state, "m\(round)-a"), store)
            let b = try DocumentMergeTests.apply(ob, to: DocumentID(.state, "m\(round)-b"), store)
            let c = try DocumentMergeTests.apply(oc, to: DocumentID(.state, "m\(round)-c"), store)
            func j(_ x: ObjectID?, _ y: ObjectID?) throws -> ObjectID? { try store.joinTrees(ours: x, theirs: y).tree }
            #expect(try j(a, b) == j(b, a))
            #expect(try j(j(a, b), c) == j(a, j(b, c)))
            #expect(try j(a, a) == a)
            // The merge holds exactly what one replica applying every operation holds.
            let all = try DocumentMergeTests.apply(oa + ob + oc, to: DocumentID(.state, "m\(round)-all"), store)
            #expect(try j(j(a, b), c) == all)
        }
    }

    @Test func theMergeCommitOfTwoTipsIsTheSameOnEveryReplica() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        try store.update(DocumentID(.state, "x")) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 1]) }
        let base = try #require(try store.tip(DocumentID(.state, "x")))
        try store.update(DocumentID(.state, "x")) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 2]) }
        let left = try #require(try store.tip(DocumentID(.state, "x")))
        try store.repository.forceReference("refs/coord/state/x", to: base, message: "rewind")
        try store.update(DocumentID(.state, "x")) { (tx) throws(CoordError) in tx.set("b.lww", ["v": 3]) }
        let right = try #require(try store.tip(DocumentID(.state, "x")))
        // Merged with the calls sync makes: the store's join, then its merge commit.
        func merge(ours: ObjectID, theirs: ObjectID) throws -> ObjectID {
            let doc = DocumentID(.state, "x")
            let o = try #require(try store.snapshot(doc, at: ours).commitInfo())
            let t = try #require(try store.snapshot(doc, at: theirs).commitInfo())
            let join = try store.joinTrees(ours: o.tree, theirs: t.tree, document: doc.refName)
            return try store.mergeCommit(doc, ours: o, theirs: t, join: join, policy: nil, adopt: false)
        }
        let m1 = try merge(ours: left, theirs: right)
        let m2 = try merge(ours: right, theirs: left)
        #expect(m1 == m2)
        let info = try store.commit(m1)
        #expect(info.parents == [left, right].sorted())
        let merged = try store.snapshot(DocumentID(.state, "x"), at: m1)
        #expect(try merged.fields("a.lww")?.value("v") == 2)
        #expect(try merged.fields("b.lww")?.value("v") == 3)
    }
}

/// A small seeded generator for shuffles inside property tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
