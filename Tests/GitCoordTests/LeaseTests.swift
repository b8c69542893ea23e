#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import PropertyBased
import Testing

@Suite struct LeaseTests {
    /// A repository with two joined, live workers.
    func workers() throws -> (TempRepo, Coord, Coord) {
        let repo = try TempRepo()
        let w1 = try repo.coord("worker-1"), w2 = try repo.coord("worker-2")
        // Alive while the test runs (judged by this process, not by the TTL).
        _ = try w1.join("worker-1", role: "worker", pid: getpid())
        _ = try w2.join("worker-2", role: "worker", pid: getpid())
        return (repo, w1, w2)
    }

    func status(_ coord: Coord, _ id: String) throws -> LeaseStatus? {
        try coord.leaseEntries().first { $0.lease.id == id }?.status
    }

    @Test func anOverlappingExclusiveLeaseIsRefusedWithTheHolderAndNothingIsWritten() throws {
        let (repo, w1, w2) = try workers()
        defer { withExtendedLifetime(repo) {} }
        let a = try w1.addLease(LeaseRequest(paths: ["src/net/"], reason: "rework retries"))
        let tip = try repo.store().tip(.leases)
        #expect(throws: CoordError.refused("src/net/ is leased exclusively by worker-1: \(a.id), since \(TimeText.utc(a.granted.milliseconds)) \"rework retries\"; ask them (git coord send --lease \(a.id) -m ...) or lease other paths")) {
            try w2.addLease(LeaseRequest(paths: ["src/net/tcp.c"]))
        }
        #expect(throws: CoordError.self) { try w2.addLease(LeaseRequest(paths: ["src/*.c"], shared: true)) }
        #expect(try repo.store().tip(.leases) == tip)
        // Paths that cannot meet are fine, and so is the holder leasing more of its own.
        _ = try w2.addLease(LeaseRequest(paths: ["docs/"]))
        _ = try w1.addLease(LeaseRequest(paths: ["src/net/tcp.c"]))
        #expect(try w2.leaseHits(["src/net/tcp.c", "docs/x.md"]).map(\.lease.id) == [a.id, try w1.activeLeases(of: "worker-1")[1].id])
        #expect(try w1.leaseHits(["src/net/tcp.c"]).isEmpty, "own leases never count")
    }

    @Test func sharedLeasesCoexistButNotWithAnExclusiveOne() throws {
        let (repo, w1, w2) = try workers()
        defer { withExtendedLifetime(repo) {} }
        let s1 = try w1.addLease(LeaseRequest(paths: ["proto/"], shared: true))
        let s2 = try w2.addLease(LeaseRequest(paths: ["proto/api.proto"], shared: true))
        #expect(try status(w1, s1.id) == .active && status(w1, s2.id) == .active)
        #expect(throws: CoordError.self) { try w2.addLease(LeaseRequest(paths: ["proto/x.proto"])) }
        #expect(try w1.leaseHits(["proto/api.proto"]).isEmpty, "a shared lease does not stop anyone")
    }

    @Test func aLeaseEndsWhenItsTTLPasses() throws {
        let (repo, w1, w2) = try workers()
        defer { withExtendedLifetime(repo) {} }
        var clock = Clock.nowMilliseconds()
        w1.store.now = { clock }
        w2.store.now = { clock }
        let a = try w1.addLease(LeaseRequest(paths: ["src/"], ttl: 60_000))
        #expect(try w2.leaseHits(["src/a.c"]).count == 1)
        clock += 30_000
        #expect(try w1.renewLeases([]).map(\.id) == [a.id])
        clock += 59_000
        #expect(try w2.leaseHits(["src/a.c"]).count == 1, "the renewal moved the end a TTL past it")
        clock += 2_000
        #expect(try status(w2, a.id) == .expired)
        #expect(try w2.leaseHits(["src/a.c"]).isEmpty)
        #expect(throws: CoordError.self) { try w1.renewLeases([a.id]) }
        _ = try w2.addLease(LeaseRequest(paths: ["src/a.c"]))
    }

    @Test func aLeaseEndsWhenItsTaskIsDone() throws {
        let (repo, w1, w2) = try workers()
        defer { withExtendedLifetime(repo) {} }
        let task = try w1.addTask(TaskDraft(title: "rework retries")).id
        let (claim, lease) = try w1.claim(task, lease: ["src/net/"])
        #expect(claim.task.claimedBy == "worker-1" && lease.task == task)
        #expect(throws: CoordError.self) { try w2.addLease(LeaseRequest(paths: ["src/net/x.c"])) }
        _ = try w1.markDone(task)
        #expect(try status(w2, lease.id) == .taskDone)
        let mine = try w2.addLease(LeaseRequest(paths: ["src/net/x.c"]))
        // The grant ended the old lease in the same write, so no later sync can revive it.
        #expect(try status(w2, lease.id) == .ended("task \(task) is done"))
        #expect(try status(w2, mine.id) == .active)
    }

    @Test func claimWithALeaseRefusedGivesTheClaimBack() throws {
        let (repo, w1, w2) = try workers()
        defer { withExtendedLifetime(repo) {} }
        let task = try w1.addTask(TaskDraft(title: "t")).id
        _ = try w1.addLease(LeaseRequest(paths: ["src/"]))
        #expect(throws: CoordError.self) { try w2.claim(task, lease: ["src/a.c"]) }
        #expect(try w2.task(task).claimedBy == nil)
        #expect(throws: CoordError.self) { try w2.claim(task, lease: ["../x"]) }
        #expect(try w2.task(task).claimedBy == nil)
    }

    @Test func aLeaseEndsWhenItsHolderDiesOrLeaves() throws {
        let (repo, w1, _) = try workers()
        defer { withExtendedLifetime(repo) {} }
        let holder = Shell.start(["/bin/sleep", "60"])
        let w3 = try repo.coord("worker-3")
        _ = try w3.join("worker-3", role: "worker", pid: holder.pid)
        let a = try w3.addLease(LeaseRequest(paths: ["lib/"]))
        #expect(try w1.leaseHits(["lib/x"]).count == 1)
        kill(holder.pid, SIGKILL)
        _ = holder.wait()
        #expect(try status(w1, a.id) == .holderGone(.dead))
        #expect(try w1.leaseHits(["lib/x"]).isEmpty)

        let b = try w1.addLease(LeaseRequest(paths: ["bin/"]))
        let w2 = try repo.coord("worker-2")
        #expect(throws: CoordError.self) { try w2.addLease(LeaseRequest(paths: ["bin/"])) }
        _ = try w1.leave("worker-1")
        #expect(try status(w2, b.id) == .holderGone(.left))
        _ = try w2.addLease(LeaseRequest(paths: ["bin/", "lib/"]))
        #expect(try status(w2, a.id) == .ended("holder worker-3 is dead"))
        #expect(try status(w2, b.id) == .ended("holder worker-1 left"))
    }

    @Test func releaseIsForTheHolderUnlessForced() throws {
        let (repo, w1, w2) = try workers()
        defer { withExtendedLifetime(repo) {} }
        let a = try w1.addLease(LeaseRequest(paths: ["a/"])), b = try w1.addLease(LeaseRequest(paths: ["b/"]))
        #expect(throws: CoordError.self) { try w2.releaseLeases([a.id]) }
        #expect(try w2.releaseLeases([String(a.id.prefix(5))], force: true).map(\.id) == [a.id])
        #expect(try w1.releaseLeases([], all: true).map(\.id) == [b.id])
        #expect(try w1.releaseLeases([], all: true).isEmpty, "released twice writes nothing")
        #expect(throws: CoordError.self) { try w1.releaseLeases(["L-zzzzzz"]) }
        #expect(try w2.leaseHits(["a/x", "b/y"]).isEmpty)
    }

    @Test func theEarliestGrantWinsAndTheRuleIsAFunctionOfTheLeasesAlone() throws {
        func lease(_ id: String, _ holder: String, _ paths: [String], at ms: Int64, shared: Bool = false, endedAt: Int64? = nil) -> Lease {
            let s = Stamp(milliseconds: ms, counter: 0, session: holder)
            var m = FieldMap()
            m["holder"] = .register(stamp: s, value: .string(holder))
            m["paths"] = .register(stamp: s, value: .array(paths.map(JSONValue.string)))
            m["shared"] = .register(stamp: s, value: .bool(shared))
            if let endedAt { m["ended"] = .claim(epoch: 0, stamp: Stamp(milliseconds: endedAt, counter: 0, session: holder), holder: holder) }
            return Lease(id: id, fields: m)!
        }
        let a = lease("L-aaaaaa", "w1", ["src/"], at: 100)
        let b = lease("L-bbbbbb", "w2", ["src/x.c"], at: 200)          // loses to a
        let c = lease("L-cccccc", "w3", ["src/x.c"], at: 300)          // a still stands: loses too
        let d = lease("L-dddddd", "w4", ["docs/"], at: 150, endedAt: 250)
        let e = lease("L-eeeeee", "w5", ["docs/a"], at: 260)            // d had ended: stands
        for order in [[a, b, c, d, e], [e, d, c, b, a], [c, a, e, b, d]] {
            let t = LeaseTable(order)
            #expect(t.lostTo(a.id) == nil && t.lostTo(b.id) == a.id && t.lostTo(c.id) == a.id)
            #expect(t.lostTo(d.id) == nil && t.lostTo(e.id) == nil)
        }
    }

    /// Replicas that merged the same cells agree on every lease's fate, whatever order they read
    /// them in; and no two leases left standing conflict while both in force.
    @Test func whoLostDependsOnTheLeasesNotOnTheirOrder() async {
        let specs = ["a/", "a/x", "b/", "*.c", "a/*.c", "b/y.h"]
        await forAll(count: 300, input: Gen.int(in: 0...100_000).array(of: 1...8)) { xs in
            var leases: [Lease] = []
            for (i, x) in xs.enumerated() {
                let holder = "w\(x % 3)"
                let s = Stamp(milliseconds: Int64(x / 3 % 50), counter: Int64(i), session: holder)
                var m = FieldMap()
                m["holder"] = .register(stamp: s, value: .string(holder))
                m["paths"] = .register(stamp: s, value: .array([.string(specs[x / 150 % specs.count])]))
                m["shared"] = .register(stamp: s, value: .bool(x % 5 == 0))
                if x % 7 == 0 { m["ended"] = .claim(epoch: 0, stamp: Stamp(milliseconds: Int64(x / 3 % 50) + 5, counter: 0, session: holder), holder: holder) }
                let id = "L-" + String(repeating: IDGenerator.alphabet[i % 32], count: 6)
                leases.append(Lease(id: id, fields: m)!)
            }
            let a = LeaseTable(leases), b = LeaseTable(leases.reversed()), c = LeaseTable(leases.shuffled())
            for l in leases {
                #expect(a.lostTo(l.id) == b.lostTo(l.id) && a.lostTo(l.id) == c.lostTo(l.id))
            }
            let standing = a.leases.filter { a.lostTo($0.id) == nil }
            for x in standing { for y in standing where x.granted < y.granted && x.conflicts(with: y) {
                #expect(!x.inForce(at: y.granted), "\(x.summary) and \(y.summary) both stand")
            } }
        }
    }
}
