import CoordTestSupport
import GitCoord
import GitCoordStore

/// What checking an untrusted peer costs in the merge sync makes: the walk over the peer's new
/// history (`peerHistoryProblem`) and the join with the peer policy, for N new peer commits of
/// one cell each on a board of N earlier tasks.
enum PeersBench {
    static func run(_ bench: Bench) throws {
        bench.section("peers: checking a peer's new history and cells before the merge (issue 13)")
        for n in bench.quick ? [300, 3000] : [1000, 10_000] {
            let repo = try TempRepo("peers-bench")
            let store = try repo.store("bench")
            for i in 0..<n {
                try store.update(.board) { (tx) throws(CoordError) in
                    tx.set(Shard.path("tasks", "T-" + id(i), ext: "lww"), ["title": .string("task \(i)")])
                }
            }
            let local = try store.tip(.board)!
            for i in n..<(2 * n) {
                try store.update(.board, as: "peer") { (tx) throws(CoordError) in
                    tx.set(Shard.path("tasks", "T-" + id(i), ext: "lww"), ["title": .string("peer task \(i)")])
                }
            }
            let remote = try store.tip(.board)!
            let policy = PeerPolicy(now: Clock.nowMilliseconds())
            var history: [Double] = [], join: [Double] = []
            for _ in 0..<3 {
                history += try bench.samples(1) { _ in _ = try store.peerHistoryProblem(.board, local: local, remote: remote) }
                join += try bench.samples(1) { _ in
                    _ = try store.joinTrees(ours: try store.treeOfCommit(local), theirs: try store.treeOfCommit(remote),
                                            document: "refs/coord/board", policy: policy, claims: .arrival(base: nil))
                }
            }
            bench.line("\(n) new peer commits on \(n) tasks: history check \(bench.summary(history)); join with policy \(bench.summary(join))")
        }
    }

    /// A task id from a number, spread over the shards like real ids.
    static func id(_ i: Int) -> String {
        var s = "", x = i &* 2_654_435_761 & 0x3FFF_FFFF
        for _ in 0..<6 { s.append(IDGenerator.alphabet[x % 32]); x /= 32 }
        return s
    }
}
