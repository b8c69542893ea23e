import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct SyncClaimTests {
    /// Two clones claim one task while apart. After syncing, every replica gives it to the claim
    /// that reached the remote first, even though the other claim carries the earlier clock, and
    /// the loser gets exactly one message, sent by its own clone only.
    @Test func concurrentClaimsGoToTheFirstToReachTheRemoteEverywhereAndTheLoserIsToldOnce() async throws {
        let f = try SyncFixture(clones: 2)
        let seed = try f.repo.coord("s0", at: f.clones[0])
        let task = try seed.addTask(TaskDraft(title: "fix flaky sync test")).id
        _ = try await f.coords[0].sync()
        _ = try await f.coords[1].sync()

        let w1 = try f.repo.coord("worker-1", at: f.clones[0]), w2 = try f.repo.coord("worker-2", at: f.clones[1])
        _ = try w1.join("worker-1", role: "worker")
        _ = try w2.join("worker-2", role: "worker")
        var clock = Clock.nowMilliseconds() + 1000
        w2.store.now = { clock += 10; return clock }   // worker-2 claims first...
        w1.store.now = { clock += 1000; return clock } // ...worker-1 a second later, in its own clone.
        _ = try w2.claim(task)
        _ = try w1.claim(task)

        let first = try await f.coords[0].sync()  // pushes worker-1's claim: it reached the remote first
        #expect(first.notices.isEmpty)
        let losing = try await f.coords[1].sync() // merges: worker-2's earlier clock does not win
        #expect(losing.moved.contains { $0.document == .board && $0.how == .merged })
        #expect(losing.notices == [ClaimLossNotice(session: "worker-2", task: task, winner: "worker-1")])
        #expect(losing.lines.contains("told worker-2 it lost \(task) to worker-1"))
        let settled = try await f.coords[0].sync()  // fast-forwards: worker-1 keeps it
        #expect(settled.notices.isEmpty)
        for _ in 0..<2 {
            let a = try await f.coords[0].sync(), b = try await f.coords[1].sync()
            #expect(a.notices.isEmpty && b.notices.isEmpty)
        }

        for i in 0..<2 {
            let c = try f.repo.coord("worker-2", at: f.clones[i])
            #expect(try c.task(task).claimedBy == "worker-1")
            let inbox = try c.inbox()
            #expect(inbox.count == 1, "clone \(i): \(inbox.map(\.message.body))")
            #expect(inbox.first?.message.from == Coord.syncSender)
            #expect(inbox.first?.message.body.contains("worker-1's claim reached the shared remote first") == true)
        }
        #expect(try f.repo.coord("worker-1", at: f.clones[0]).inbox().isEmpty)
        #expect(try SyncFixture.trees(at: f.clones[0]) == SyncFixture.trees(at: f.clones[1]))
    }
}
