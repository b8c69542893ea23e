import CoordTestSupport
@testable import GitCoord
import GitCoordStore
import PropertyBased
import Testing

/// Two clones of one repository, each with its own copy of the board, as after a partition.
final class BoardReplicas {
    let repo: TempRepo
    let a: String
    let b: String

    /// Clone A (the temp repo's main worktree) into B after `seed` has run on A, and copy A's board.
    init(seed: (Coord) throws -> Void) throws {
        repo = try TempRepo("a")
        a = repo.path
        try seed(try repo.coord("seed", at: a))
        b = try repo.clone(a, as: "b")
        try BoardReplicas.copyBoard(from: a, to: b, ref: "refs/coord/board")
    }

    static func copyBoard(from src: String, to dst: String, ref: String) throws {
        try Shell.git(["-C", dst, "fetch", "-q", "--no-tags", src, "+refs/coord/board:\(ref)"])
    }

    func coord(_ session: String, at path: String) throws -> Coord { try repo.coord(session, at: path) }

    /// Exchanges boards and merges on both sides; returns the merge made on A and on B.
    func mergeBothWays() throws -> (onA: ObjectID, onB: ObjectID, tipA: ObjectID, tipB: ObjectID) {
        try BoardReplicas.copyBoard(from: b, to: a, ref: "refs/coord-remotes/b/board")
        try BoardReplicas.copyBoard(from: a, to: b, ref: "refs/coord-remotes/a/board")
        let sa = try repo.store("merger", at: a), sb = try repo.store("merger", at: b)
        let tipA = try #require(try sa.tip(.board)), tipB = try #require(try sb.tip(.board))
        return (try Self.merge(sa, ours: tipA, theirs: tipB), try Self.merge(sb, ours: tipB, theirs: tipA), tipA, tipB)
    }

    /// Merges board commit `theirs` into `ours` with the calls sync makes: the store's join, then
    /// its merge commit (no peer policy here, so nothing is refused).
    static func merge(_ store: CoordStore, ours: ObjectID, theirs: ObjectID) throws -> ObjectID {
        if ours == theirs { return ours }
        let o = try #require(try store.snapshot(.board, at: ours).commitInfo())
        let t = try #require(try store.snapshot(.board, at: theirs).commitInfo())
        let join = try store.joinTrees(ours: o.tree, theirs: t.tree, document: DocumentID.board.refName)
        #expect(join.rejected.isEmpty)
        return try store.mergeCommit(.board, ours: o, theirs: t, join: join, policy: nil, adopt: false)
    }
}

/// One random board operation, decoded from a number so that the generator stays simple.
struct BoardOp: CustomStringConvertible {
    let code: Int
    var kind: Int { code % 9 }
    var description: String { ["add", "claim", "release", "done", "reopen", "comment", "priority", "dependency", "label"][kind] + "#\(code)" }

    /// Applies the op as one of `sessions` on `tasks`; returns what must survive any merge.
    func apply(_ sessions: [Coord], tasks: inout [String], survivors: inout [(task: String, comment: String?)]) throws {
        let who = sessions[(code / 97) % sessions.count]
        let t = tasks[(code / 9) % tasks.count]
        let x = (code / 13) % 5
        try BoardOp.tolerateRefusal { () throws(CoordError) in
            switch kind {
            case 0:
                let made = try who.addTask(TaskDraft(title: "task \(code)", priority: x))
                tasks.append(made.id)
                survivors.append((made.id, nil))
            case 1: _ = try who.claim(t)
            case 2: _ = try who.release(t, force: true)
            case 3: try who.markDone(t)
            case 4: try who.reopen(t)
            case 5:
                let c = try who.comment(t, "comment \(code)")
                survivors.append((t, c.id))
            case 6: try who.editTask(t, TaskEdit(priority: x))
            case 7:
                let other = tasks[(code / 9 + 1 + x) % tasks.count]
                let edit = x % 2 == 0 ? TaskEdit(addAfter: [other]) : TaskEdit(removeAfter: [other])
                try who.editTask(t, edit)
            default:
                try who.editTask(t, x % 2 == 0 ? TaskEdit(addLabels: ["l\(x)"]) : TaskEdit(removeLabels: ["l\(x - 1)"]))
            }
        }
    }

    /// Refusals (a held claim, a cycle, a done task) are part of the game: nothing was written.
    /// A data fault (exit 3) is not.
    static func tolerateRefusal(_ body: () throws(CoordError) -> Void) throws(CoordError) {
        do { try body() } catch { if error.exitCode == 3 { throw error } }
    }
}

@Suite struct BoardMergeTests {
    /// Every cell an operation wrote on `tip`'s side (back to `base`) is still dominated by the
    /// merged cell: the join lost no write.
    func expectNoWriteLost(_ repo: Repository, from tip: ObjectID, base: ObjectID, merged: ObjectID) throws {
        let mergedTree = try repo.treeOfCommit(merged)
        var ids: [ObjectID] = []
        try repo.walkHistory(from: [tip]) { (id) throws(GitError) -> Bool in
            if id == base { return false }
            ids.append(id)
            return true
        }
        for id in ids {
            let c = try repo.commit(id)
            guard c.parents.count == 1 else { continue }
            for change in try repo.diffTrees(try repo.treeOfCommit(c.parents[0]), c.tree) {
                guard let written = change.new else { continue }
                let m = try repo.treeEntry(mergedTree, path: change.path)
                #expect(m != nil, "\(change.path) lost")
                guard let m else { continue }
                let mergedBytes = try repo.readBlob(m.id)
                #expect(CellJoin.join(path: change.path, mergedBytes, try repo.readBlob(written)) == mergedBytes,
                        "write to \(change.path) in \(c.message) lost")
            }
        }
    }

    /// Random concurrent operations on two clones, merged on each side in opposite order,
    /// converge to the same commit (so the same tree) and lose no operation.
    @Test func concurrentBoardOperationsOnTwoClonesConvergeAndLoseNothing() async throws {
        let ops = Gen.int(in: 0...100_000).map(BoardOp.init).array(of: 0...16)
        await forAll(count: 10, input: ops, ops) { opsA, opsB in
            var baseTasks: [String] = []
            let r = try BoardReplicas { seed in
                baseTasks = try seed.addTasks((0..<4).map { TaskDraft(title: "base \($0)") }).map(\.id)
                _ = try seed.claim(baseTasks[0])
            }
            let base = try #require(try r.repo.store(nil, at: r.a).tip(.board))
            let onA = [try r.coord("alice", at: r.a), try r.coord("anne", at: r.a)]
            let onB = [try r.coord("bob", at: r.b), try r.coord("bert", at: r.b)]
            _ = try onA[0].boardIndex()
            var tasksA = baseTasks, tasksB = baseTasks
            var survivors: [(task: String, comment: String?)] = []
            for op in opsA { try op.apply(onA, tasks: &tasksA, survivors: &survivors) }
            for op in opsB { try op.apply(onB, tasks: &tasksB, survivors: &survivors) }

            let m = try r.mergeBothWays()
            #expect(m.onA == m.onB, "merges differ: \(opsA) / \(opsB)")
            let repoA = onA[0].store.repository
            #expect(try repoA.treeOfCommit(m.onA) == (try onB[0].store.treeOfCommit(m.onB)))
            try expectNoWriteLost(repoA, from: m.tipA, base: base, merged: m.onA)
            try expectNoWriteLost(repoA, from: m.tipB, base: base, merged: m.onA)

            // Merging again changes nothing (idempotent).
            let again = try onA[0].store.joinTrees(ours: try repoA.treeOfCommit(m.onA), theirs: try repoA.treeOfCommit(m.tipB))
            #expect(again.tree == (try repoA.treeOfCommit(m.onA)))

            // Take the merge on A: the incrementally updated view equals a rebuild, and every task
            // and comment either side made is there.
            try repoA.forceReference("refs/coord/board", to: m.onA, message: "test: take merge")
            let index = try onA[0].boardIndex()
            Files.removeTree(Files.join(onA[0].store.localFolder, "cache"))
            #expect(try onA[0].boardIndex() == index)
            let merged = try onA[0].store.snapshot(.board)
            for s in survivors {
                #expect(index.tasks[s.task] != nil, "task \(s.task) lost")
                if let c = s.comment {
                    #expect(try onA[0].comments(task: s.task, in: merged).contains { $0.id == c }, "comment \(c) lost")
                }
            }
        }
    }

    /// Two clones claim one task while apart: after sync both see the earlier claim win, and the
    /// later claimer is told it lost.
    @Test func concurrentClaimsAcrossClonesResolveToTheEarliestAndTheLoserIsTold() throws {
        var id = ""
        let r = try BoardReplicas { seed in id = try seed.addTask(TaskDraft(title: "fix flaky sync test")).id }
        let w1 = try r.coord("worker-1", at: r.a), w2 = try r.coord("worker-2", at: r.b)
        var clock: Int64 = Clock.nowMilliseconds() + 1000
        w2.store.now = { clock += 10; return clock }        // worker-2 claims first...
        w1.store.now = { clock += 1000; return clock }      // ...worker-1 a second later.
        _ = try w2.claim(id)
        _ = try w1.claim(id)
        let beforeA = try w1.store.snapshot(.board), beforeB = try w2.store.snapshot(.board)
        let m = try r.mergeBothWays()
        #expect(m.onA == m.onB)
        let afterA = try w1.store.snapshot(.board, at: m.onA), afterB = try w2.store.snapshot(.board, at: m.onB)
        let lostA = try Coord.lostClaims(before: beforeA, after: afterA, session: "worker-1")
        #expect(lostA.map(\.task) == [id] && lostA.first?.holder == "worker-2")
        #expect(lostA.first?.message.contains("worker-2's claim reached the shared remote first") == true)
        #expect(try Coord.lostClaims(before: beforeB, after: afterB, session: "worker-2").isEmpty)
        try w1.store.repository.forceReference("refs/coord/board", to: m.onA, message: "test: take merge")
        #expect(try w1.task(id).claimedBy == "worker-2")
        // Released after the merge, the task can be claimed again by the former loser.
        _ = try w1.release(id, force: true)
        #expect(try w1.claim(id).task.claimedBy == "worker-1")
    }
}
