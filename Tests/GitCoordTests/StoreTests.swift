#if canImport(Glibc)
import Glibc
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct StoreTests {
    @Test func eachWriteIsOneCommitWithAnAuditSubjectAndParsableTrailers() throws {
        let repo = try TempRepo()
        let store = try repo.store("worker-1")
        let result = try store.update(.board) { (tx) throws(CoordError) in
            tx.set("tasks/4/k/T-4k2mxq.lww", ["title": "fix flaky sync test"])
            tx.subject = "board: add T-4k2mxq \"fix flaky sync test\" by worker-1"
            tx.operation = "board.add"
            tx.trailers = [("Coord-Task", "T-4k2mxq")]
        }
        let commit = try #require(result).commit
        let info = try store.commit(commit)
        #expect(info.message.hasPrefix("board: add T-4k2mxq \"fix flaky sync test\" by worker-1\n\n"))
        let trailers = Trailers.parse(info.message)
        #expect(trailers["Coord-Session"] == "worker-1")
        #expect(trailers["Coord-Op"] == "board.add")
        #expect(trailers["Coord-Task"] == "T-4k2mxq")
        #expect(Stamp(trailers["Coord-Stamp"] ?? "") == result?.stamp)
        let log = try Shell.git(["log", "--format=%s", "refs/coord/board"], in: repo.path)
        #expect(log == "board: add T-4k2mxq \"fix flaky sync test\" by worker-1\n")
        let marker = try Shell.git(["cat-file", "-p", "refs/coord/board:.coord"], in: repo.path)
        #expect(marker == "{\"format\":1,\"kind\":\"board\"}\n")
        let snap = try store.snapshot(.board)
        #expect(try snap.fields("tasks/4/k/T-4k2mxq.lww")?.value("title") == "fix flaky sync test")
    }

    @Test func stampsGrowWithEveryWriteEvenWhenTheClockStandsStillOrGoesBack() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        var clock: Int64 = 2_000_000_000_000
        store.now = { clock }
        var stamps: [Stamp] = []
        for i in 0..<5 {
            if i == 3 { clock -= 60_000 }  // the wall clock jumps back a minute
            let r = try store.update(.board) { (tx) throws(CoordError) in tx.set("x.lww", ["n": .int(Int64(i))]) }
            stamps.append(try #require(r).stamp)
        }
        #expect(stamps == stamps.sorted())
        #expect(Set(stamps).count == 5)
        #expect(try store.snapshot(.board).fields("x.lww")?.value("n") == 4)
    }

    @Test func aRefusalInsideTheOperationWritesNothing() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        try store.update(.board) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 1]) }
        let before = try store.tip(.board)
        #expect(throws: CoordError.self) {
            try store.update(.board) { (tx) throws(CoordError) in
                tx.set("a.lww", ["v": 2])
                throw CoordError.usage("no")
            }
        }
        #expect(try store.tip(.board) == before)
    }

    @Test func aWriteThatChangesNothingAddsNoCommit() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        try store.update(.board) { (tx) throws(CoordError) in tx.putRecord("r/a.rec", ["x": 1]) }
        let before = try store.tip(.board)
        let again = try store.update(.board) { (tx) throws(CoordError) in tx.putRecord("r/a.rec", ["x": 1]) }
        #expect(again == nil)
        #expect(try store.tip(.board) == before)
    }

    @Test func historyLessDocumentsKeepOneParentlessCommit() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        for i in 0..<50 {
            try store.update(DocumentID(.beat, "s")) { (tx) throws(CoordError) in tx.set("beat.lww", ["at": .int(Int64(i))]) }
        }
        let count = try Shell.git(["rev-list", "--count", "refs/coord/beat/s"], in: repo.path)
        #expect(count == "1\n")
        #expect(try store.snapshot(DocumentID(.beat, "s")).fields("beat.lww")?.value("at") == 49)
    }

    @Test func aStaleLockLeftByACrashedWriterIsRecoveredByTheNextWrite() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        try store.update(.board) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 1]) }
        // What a writer killed inside libgit2's ref update leaves: NAME.lock holding a new id.
        let lock = store.commonDir + "refs/coord/board.lock"
        #expect(Files.writeAtomically(lock, Array((try store.tip(.board)!.hex + "\n").utf8)))
        #expect(Shell.run(["touch", "-d", "2 minutes ago", lock]).status == 0)
        let r = try store.update(.board) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 2]) }
        #expect(r != nil)
        #expect(!Files.exists(lock))
        #expect(try store.snapshot(.board).fields("a.lww")?.value("v") == 2)
    }

    @Test func aLockHeldByALiveWriterIsNeverTouched() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        try store.update(.board) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 1]) }
        let before = try store.tip(.board)
        let lock = store.commonDir + "refs/coord/board.lock"
        #expect(Files.writeAtomically(lock, Array("live\n".utf8)))
        var st = stat()
        stat(lock, &st)
        store.staleLockSeconds = 60
        store.lockTimeoutSeconds = 0.3
        do {
            try store.update(.board) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 2]) }
            Issue.record("wrote through a live lock")
        } catch {
            #expect(error.exitCode == 3)
            #expect(error.message.contains("locked by another writer"))
        }
        var after = stat()
        #expect(stat(lock, &after) == 0)
        #expect(after.st_ino == st.st_ino)
        #expect(Files.readString(lock) == "live\n")
        #expect(try store.tip(.board) == before)
    }

    @Test func aDocumentInANewerFormatIsRefusedNotMisread() throws {
        let repo = try TempRepo()
        let bundle = Files.parent(of: #filePath) + "/../../Fixtures/newer-format.bundle"
        try Shell.git(["fetch", "-q", bundle, "refs/coord/board:refs/coord/board"], in: repo.path)
        let store = try repo.store("s")
        let before = try store.tip(.board)
        do {
            _ = try store.snapshot(.board)
            Issue.record("a format-2 board was read")
        } catch {
            #expect(error.message.contains("format 2"))
            #expect(error.message.contains("Upgrade git-coord"))
            #expect(error.exitCode == 3)
        }
        #expect(throws: CoordError.self) {
            try store.update(.board) { (tx) throws(CoordError) in tx.set("a.lww", ["v": 1]) }
        }
        #expect(try store.tip(.board) == before)
    }

    @Test func viewsReadOnlyWhatChangedAndSurviveDeletingTheCache() throws {
        let repo = try TempRepo()
        let store = try repo.store("s")
        let view = View<[String]>("test-ids", document: .board, initial: [])
        func ids() throws -> ([String], Int) {
            var seen = 0
            let (state, _) = try view.read(store) { (state, changes, _) throws(CoordError) in
                seen = changes.count
                for c in changes where c.path.hasSuffix(".rec") && c.new != nil { state.append(Shard.id(fromPath: c.path)) }
                state.sort()
            }
            return (state, seen)
        }
        for i in 0..<20 {
            let id = IDGenerator.make("m-", length: 12) + "\(i)"
            try store.update(.board) { (tx) throws(CoordError) in tx.putRecord(Shard.path("r", id, ext: "rec"), ["i": .int(Int64(i))]) }
        }
        let (first, firstChanges) = try ids()
        #expect(first.count == 20)
        #expect(firstChanges == 21) // 20 records and the marker
        try store.update(.board) { (tx) throws(CoordError) in tx.putRecord(Shard.path("r", "m-zz", ext: "rec"), ["i": 99]) }
        let (second, secondChanges) = try ids()
        #expect(second.count == 21)
        #expect(secondChanges == 1)
        Files.removeTree(store.localFolder + "/cache")
        let (rebuilt, _) = try ids()
        #expect(rebuilt == second)
    }
}
