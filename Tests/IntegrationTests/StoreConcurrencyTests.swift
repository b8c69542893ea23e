import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

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
        let records = try store.snapshot(.board).blobs(under: "recs")
        #expect(records.count == 1600)
        var perWriter: [String: Set<Int64>] = [:]
        for r in records {
            let v = try JSONValue.parse(try store.repository.readBlob(r.new!))
            perWriter[v["label"]!.stringValue!, default: []].insert(v["i"]!.intValue!)
        }
        #expect(perWriter.count == 8)
        #expect(perWriter.values.allSatisfy { $0 == Set(0..<200) })
        let commits = try Shell.git(["rev-list", "--count", "refs/coord/board"], in: repo.path)
        #expect(commits == "1600\n")
        let fsck = Shell.run(["git", "fsck", "--strict", "--no-progress"], in: repo.path)
        #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
    }
}
