#if canImport(Glibc)
import Glibc
#endif
import CoordTestSupport
import GitCoord
import Testing

/// `git coord lease check` and `lease list`, as library calls.
@Suite struct LeaseCheckTests {
    @Test func pathsAreCheckedFromTheRootOrAbsoluteInsideTheWorkTree() throws {
        let repo = try TempRepo()
        let w1 = try repo.coord("worker-1"), w2 = try repo.coord("worker-2")
        _ = try w1.join("worker-1", role: "worker", pid: getpid())
        _ = try w2.join("worker-2", role: "worker", pid: getpid())
        #expect(try w2.leaseCheck(["src/net/tcp.c"], staged: false).isEmpty, "no lease: nothing to run into")
        let lease = try w1.addLease(LeaseRequest(paths: ["src/net/"]))
        #expect(try w2.leaseCheck(["src/net/tcp.c", "docs/a.md"], staged: false).map(\.lease.id) == [lease.id])
        #expect(try w2.leaseCheck([Files.join(repo.path, "src/net/udp.c")], staged: false).map(\.path) == ["src/net/udp.c"])
        #expect(try w1.leaseCheck(["src/net/tcp.c"], staged: false).isEmpty, "own leases never count")
        var caught: CoordError?
        do throws(CoordError) { _ = try w2.leaseCheck(["/elsewhere/x.c"], staged: false) } catch { caught = error }
        #expect(caught?.exitCode == 2 && caught?.message.hasPrefix("'/elsewhere/x.c' is not a path inside the work tree ") == true)
    }

    @Test func theListHoldsLeasesInForceUnlessAskedForAllAndCanKeepOneHolders() throws {
        let repo = try TempRepo()
        let w1 = try repo.coord("worker-1"), w2 = try repo.coord("worker-2")
        _ = try w1.join("worker-1", role: "worker", pid: getpid())
        _ = try w2.join("worker-2", role: "worker", pid: getpid())
        let ended = try w1.addLease(LeaseRequest(paths: ["a/"]))
        _ = try w1.releaseLeases([ended.id])
        let mine = try w1.addLease(LeaseRequest(paths: ["b/"]))
        let theirs = try w2.addLease(LeaseRequest(paths: ["c/"]))
        #expect(try w1.leaseEntries(includeEnded: false).map(\.lease.id) == [mine.id, theirs.id])
        #expect(try w1.leaseEntries(includeEnded: true).map(\.lease.id) == [ended.id, mine.id, theirs.id])
        #expect(try w1.leaseEntries(includeEnded: true, holder: "worker-1").map(\.lease.id) == [ended.id, mine.id])
    }
}
