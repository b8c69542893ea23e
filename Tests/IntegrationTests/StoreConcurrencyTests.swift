import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct StoreConcurrencyTests {
    /// The compare-and-swap write loses nothing when many processes in several worktrees write
    /// one document at once.
    @Test func eightProcessesInTwoWorktreesWrite1600RecordsAndAllArePresent() throws {
        let repo = try TempRepo()
        let wt = try repo.addWorktree("second")
        var running: [Shell.Running] = []
        for w in 0..<8 {
            let dir = w % 2 == 0 ? repo.path : wt
            running.append(Shell.start([CLI.benchBinary, "write-records", dir, "writer-\(w)", "200", "w\(w)"]))
        }
        for r in running {
            let result = r.wait()
            #expect(result.status == 0, "\(result.stderr)")
        }
        let store = try repo.store()
        let board = try store.snapshot(.board)
        let records = try board.blobs(under: "recs")
        #expect(records.count == 1600)
        var perWriter: [String: Set<Int64>] = [:]
        for r in records {
            let v = try JSONValue.parse(try board.blob(r.new!))
            perWriter[v["label"]!.stringValue!, default: []].insert(v["i"]!.intValue!)
        }
        #expect(perWriter.count == 8)
        #expect(perWriter.values.allSatisfy { $0 == Set(0..<200) })
        let commits = try Shell.git(["rev-list", "--count", "refs/coord/board"], in: repo.path)
        #expect(commits == "1600\n")
        // The writers may have started a git gc (one write in 1,000 does); fsck beside its prune
        // would find listed loose objects gone. After it, every object must be present.
        #expect(repo.waitForDetachedGC(), "a detached git gc still runs")
        let fsck = Shell.run(["git", "fsck", "--strict", "--no-progress", "--no-dangling"], in: repo.path)
        #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
    }

    /// A user's own `git gc` (and `git pack-refs`), run again and again while writers in two
    /// worktrees write, loses no write, stops no writer, and leaves `git fsck --strict` clean.
    @Test func theUsersGitGcBesideLiveWritersLosesNothing() throws {
        let repo = try TempRepo()
        let wt = try repo.addWorktree("second")
        let writers = (0..<4).map { w in
            Shell.start([CLI.benchBinary, "write-records", w % 2 == 0 ? repo.path : wt, "gc-writer-\(w)", "150", "g\(w)"])
        }
        var gcRuns = 0
        while writers.contains(where: { ProcessRunner.isAlive($0.pid) }) {
            let gc = Shell.run(["git", "gc", "--quiet"], in: gcRuns % 2 == 0 ? repo.path : wt)
            #expect(gc.status == 0, "\(gc.stderr)")
            _ = Shell.run(["git", "pack-refs", "--all"], in: repo.path)
            gcRuns += 1
        }
        for w in writers {
            let r = w.wait()
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(gcRuns >= 1)
        let store = try repo.store()
        var present: [String: Set<Int64>] = [:]
        let board = try store.snapshot(.board)
        for c in try board.blobs(under: "recs") {
            let v = try JSONValue.parse(try board.blob(c.new!))
            present[v["label"]!.stringValue!, default: []].insert(v["i"]!.intValue!)
        }
        #expect(present == Dictionary(uniqueKeysWithValues: (0..<4).map { ("g\($0)", Set(Int64(0)..<150)) }))
        #expect(repo.waitForDetachedGC(), "a detached git gc still runs")
        let fsck = Shell.run(["git", "fsck", "--strict", "--no-progress", "--no-dangling"], in: repo.path)
        #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
    }

    /// Writers SIGKILLed at random moments (between writes, inside one, holding the ref's lock)
    /// lose no write they had completed, leave no damage `git fsck` sees, and do not stop later
    /// writers: a lock a killed writer left behind is recovered once it is old enough.
    @Test func writersKilledAtRandomMomentsLoseNoCompletedWriteAndLeaveAUsableRepository() throws {
        let repo = try TempRepo()
        let wt = try repo.addWorktree("second")
        var running: [(label: String, process: Shell.Running, killAfterMs: Double)] = []
        for w in 0..<6 {
            let label = "k\(w)"
            let process = Shell.start([CLI.benchBinary, "write-records", w % 2 == 0 ? repo.path : wt, "killed-\(w)", "100000", label])
            running.append((label, process, Double.random(in: 30...900)))
        }
        let t0 = Clock.monotonicNanoseconds()
        var completed: [String: Set<Int64>] = [:]
        for r in running.sorted(by: { $0.killAfterMs < $1.killAfterMs }) {
            let elapsed = Double(Clock.monotonicNanoseconds() - t0) / 1e6
            // Not a wait: the random moment of the kill is the subject of this test.
            Clock.sleep(milliseconds: r.killAfterMs - elapsed)
            kill(r.process.pid, SIGKILL)
            let result = r.process.wait()
            #expect(result.status == 128 + SIGKILL, "\(r.label): \(result.stderr)")
            completed[r.label] = Set(result.stdout.split(separator: "\n").compactMap { $0.hasPrefix("ok ") ? Int64($0.dropFirst(3)) : nil })
        }
        #expect(completed.values.map(\.count).reduce(0, +) > 0, "no writer completed a write before its kill")

        // A new writer gets through, waiting out any lock a killed one left.
        let after = Shell.run([CLI.benchBinary, "write-records", repo.path, "after", "3", "after"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout == "ok 0\nok 1\nok 2\n")

        var present: [String: Set<Int64>] = [:]
        let store = try repo.store()
        let board = try store.snapshot(.board)
        for c in try board.blobs(under: "recs") {
            let v = try JSONValue.parse(try board.blob(c.new!))
            present[v["label"]!.stringValue!, default: []].insert(v["i"]!.intValue!)
        }
        for (label, done) in completed {
            #expect(done.isSubset(of: present[label] ?? []), "\(label): completed writes missing: \(done.subtracting(present[label] ?? []).sorted().prefix(5))")
        }
        #expect(present["after"] == [0, 1, 2])
        #expect(repo.waitForDetachedGC(), "a detached git gc still runs")
        let fsck = Shell.run(["git", "fsck", "--strict", "--no-progress", "--no-dangling"], in: repo.path)
        #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
    }

    /// Creating a document is a compare-and-swap against "absent" under the ref's lock: when
    /// several processes create the same document at once, one creates it and the others redo
    /// their write on top (libgit2's plain create checks existence before locking and would let
    /// two creators both succeed).
    @Test func concurrentCreatorsOfOneDocumentLoseNoWrite() throws {
        for round in 0..<6 {
            let repo = try TempRepo()
            let wt = try repo.addWorktree("second")
            let doc = "r\(round)"
            var running: [Shell.Running] = []
            for w in 0..<6 {
                running.append(Shell.start([CLI.benchBinary, "write-records", w % 2 == 0 ? repo.path : wt, "creator-\(w)", "1", "\(doc)-\(w)"]))
            }
            for r in running { #expect(r.wait().status == 0) }
            let store = try repo.store()
            let board = try store.snapshot(.board)
            let labels = try board.blobs(under: "recs").compactMap { c -> String? in
                guard let id = c.new else { return nil }
                return try JSONValue.parse(try board.blob(id))["label"]?.stringValue
            }.filter { $0.hasPrefix(doc + "-") }
            #expect(labels.count == 6, "round \(round): \(labels)")
        }
    }
}
