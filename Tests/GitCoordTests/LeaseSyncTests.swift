#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct LeaseSyncTests {
    /// Two clones grant conflicting exclusive leases while apart. After syncing, every replica
    /// gives the paths to the earlier grant, and the later holder gets exactly one message, sent by
    /// its own clone only.
    @Test func conflictingLeasesGrantedOfflineConvergeToTheEarliestAndTheLoserIsToldOnce() async throws {
        let f = try SyncFixture(clones: 2)
        let w1 = try f.repo.coord("worker-1", at: f.clones[0]), w2 = try f.repo.coord("worker-2", at: f.clones[1])
        // Alive while this test runs, however long a loaded machine makes it (not by the TTL).
        _ = try w1.join("worker-1", role: "worker", pid: getpid())
        _ = try w2.join("worker-2", role: "worker", pid: getpid())
        var clock = Clock.nowMilliseconds() + 1000
        w2.store.now = { clock += 10; return clock }   // worker-2 leases first...
        w1.store.now = { clock += 1000; return clock } // ...worker-1 a second later, in its own clone.
        let early = try w2.addLease(LeaseRequest(paths: ["src/net/"]))
        let late = try w1.addLease(LeaseRequest(paths: ["src/net/tcp.c", "docs/"]))

        let first = try await f.coords[0].sync()    // pushes worker-1's lease
        #expect(first.notices.isEmpty)
        let merging = try await f.coords[1].sync()  // merges: worker-2 keeps it, nobody local lost
        #expect(merging.moved.contains { $0.document == .leases && $0.how == .merged })
        #expect(merging.notices.isEmpty)
        let losing = try await f.coords[0].sync()   // fast-forwards: worker-1 lost here
        #expect(losing.notices == [ClaimLossNotice(session: "worker-1", task: late.id, winner: "worker-2")])
        for _ in 0..<2 {
            let a = try await f.coords[0].sync(), b = try await f.coords[1].sync()
            #expect(a.notices.isEmpty && b.notices.isEmpty)
        }

        for i in 0..<2 {
            let c = try f.repo.coord("worker-1", at: f.clones[i])
            let entries = try c.leaseEntries()
            #expect(entries.first { $0.lease.id == early.id }?.status == .active)
            #expect(entries.first { $0.lease.id == late.id }?.status == .lost(to: early.id))
            #expect(try c.leaseHits(["src/net/tcp.c"]).map(\.lease.holder) == ["worker-2"])
            let inbox = try c.inbox()
            #expect(inbox.count == 1, "clone \(i): \(inbox.map(\.message.body))")
            #expect(inbox.first?.message.from == Coord.syncSender)
            #expect(inbox.first?.message.body.contains("lost lease \(late.id)") == true)
            #expect(inbox.first?.message.body.contains("worker-2 leased src/net/ first") == true)
        }
        #expect(try f.repo.coord("worker-2", at: f.clones[1]).inbox().isEmpty)
        #expect(try SyncFixture.trees(at: f.clones[0]) == SyncFixture.trees(at: f.clones[1]))

        // The loser's lease stays lost even after the winner releases: no lease comes back.
        _ = try w2.releaseLeases([early.id])
        _ = try await f.coords[1].sync()
        _ = try await f.coords[0].sync()
        #expect(try w1.leaseEntries().first { $0.lease.id == late.id }?.status == .lost(to: early.id))
    }
}
