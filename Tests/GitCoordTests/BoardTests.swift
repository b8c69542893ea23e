import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// The board's rules, driven through the library on real repositories.
@Suite struct BoardTests {
    func boardTip(_ coord: Coord) throws -> ObjectID? { try coord.store.tip(.board) }

    /// The error `body` throws, nil when it succeeds.
    func failure(_ body: () throws(CoordError) -> Void) -> CoordError? {
        do { try body(); return nil } catch { return error }
    }

    /// Asserts `body` fails with exit status `code` and leaves refs/coord/board where it was.
    func expectRefused(_ coord: Coord, exit code: Int32, containing text: String, _ body: () throws -> Void) throws {
        let before = try boardTip(coord)
        do {
            try body()
            Issue.record("expected a refusal containing '\(text)'")
        } catch let e as CoordError {
            #expect(e.exitCode == code, "\(e.message)")
            #expect(e.message.contains(text), "\(e.message)")
            #expect(!e.message.contains("\n"))
        }
        #expect(try boardTip(coord) == before, "the board ref moved")
    }

    @Test func addedTaskReadsBackWithEveryField() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        try repo.coord("worker-2").join("worker-2", role: nil)
        let dep = try w.addTask(TaskDraft(title: "first"))
        let t = try w.addTask(TaskDraft(title: "second", desc: "why", priority: 0, after: [dep.id], labels: ["ci", "docs"], assign: "worker-2"))
        #expect(t.id.hasPrefix("T-") && t.id.count == 8)
        let read = try w.task(t.id)
        #expect(read == t)
        #expect(read.title == "second" && read.desc == "why" && read.priority == 0)
        #expect(read.after == [dep.id] && read.labels == ["ci", "docs"] && read.assign == "worker-2")
        #expect(read.status == .open && read.createdBy == "worker-1")
    }

    @Test func anyUniquePrefixInAnyCaseNamesTheTask() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        let t = try w.addTask(TaskDraft(title: "x"))
        let random = String(t.id.dropFirst(2))
        for text in [t.id, t.id.uppercased(), random, String(random.prefix(3)), "t-" + random.prefix(2).uppercased()] {
            #expect(try w.task(text).id == t.id, "\(text)")
        }
    }

    @Test func ambiguousPrefixIsRefusedListingTheCandidates() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        // 33 tasks over 32 first characters: two share a first character.
        let tasks = try w.addTasks((0..<33).map { TaskDraft(title: "t\($0)") })
        let byFirst = Dictionary(grouping: tasks, by: { $0.id.dropFirst(2).prefix(1) })
        let (first, group) = try #require(byFirst.first { $0.value.count > 1 })
        try expectRefused(w, exit: 2, containing: "ambiguous") { _ = try w.claim(String(first)) }
        let e = failure { () throws(CoordError) in _ = try w.claim(String(first)) }
        for t in group { #expect(e?.message.contains(t.id) == true) }
    }

    @Test func unknownTaskMalformedIdAndBadPriorityAreBadInputAndWriteNothing() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        let t = try w.addTask(TaskDraft(title: "x"))
        try expectRefused(w, exit: 2, containing: "no task matches") { _ = try w.claim(t.id == "T-zzzzzz" ? "T-yyyyyy" : "T-zzzzzz") }
        try expectRefused(w, exit: 2, containing: "not a task id") { _ = try w.claim("T-4k!") }
        try expectRefused(w, exit: 2, containing: "invalid priority 5") { _ = try w.addTask(TaskDraft(title: "y", priority: 5)) }
        try expectRefused(w, exit: 2, containing: "invalid priority -1") { _ = try w.editTask(t.id, TaskEdit(priority: -1)) }
        try expectRefused(w, exit: 2, containing: "no task matches") { _ = try w.addTask(TaskDraft(title: "y", after: ["T-999999"])) }
        try expectRefused(w, exit: 2, containing: "needs a title") { _ = try w.addTask(TaskDraft(title: "  ")) }
        try expectRefused(w, exit: 2, containing: "invalid label") { _ = try w.addTask(TaskDraft(title: "y", labels: ["Bad Label"])) }
    }

    @Test func claimIsRefusedWhileAnotherSessionHoldsItAndIsANoOpForTheHolder() throws {
        let repo = try TempRepo()
        let w1 = try repo.coord("worker-1"), w2 = try repo.coord("worker-2")
        let t = try w1.addTask(TaskDraft(title: "fix flaky sync test"))
        #expect(try w1.claim(t.id) == .claimed(try w1.task(t.id)))
        try expectRefused(w2, exit: 1, containing: "claimed by worker-1") { _ = try w2.claim(t.id) }
        let tip = try boardTip(w1)
        if case .alreadyHeld = try w1.claim(t.id) {} else { Issue.record("second claim by the holder should be a no-op") }
        #expect(try boardTip(w1) == tip)
        try expectRefused(w2, exit: 1, containing: "pass --force") { _ = try w2.release(t.id) }
        #expect(try w1.release(t.id).claimedBy == nil)
        #expect(try w2.claim(t.id).task.claimedBy == "worker-2")
        #expect(try w1.release(t.id, force: true).claimedBy == nil)
    }

    @Test func doneReleasesTheClaimRefusesNewClaimsAndReopenRestoresIt() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        let t = try w.addTask(TaskDraft(title: "x"))
        _ = try w.claim(t.id)
        let done = try w.markDone(t.id, note: "shipped")
        #expect(done.status == .done && done.claimedBy == nil)
        try expectRefused(w, exit: 1, containing: "is done") { _ = try w.claim(t.id) }
        #expect(try w.reopen(t.id).status == .open)
        #expect(try w.claim(t.id).task.claimedBy == "worker-1")
        let shown = try w.showTask(t.id)
        #expect(shown.comments.map(\.text) == ["shipped"] && shown.comments[0].kind == "done")
    }

    @Test func doneTasksLeaveTheDefaultListButNotTheFullOne() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        let a = try w.addTask(TaskDraft(title: "a")), b = try w.addTask(TaskDraft(title: "b"))
        try w.markDone(a.id)
        #expect(try w.listTasks().map(\.id) == [b.id])
        #expect(Set(try w.listTasks(TaskFilter(statuses: Set(TaskStatus.allCases))).map(\.id)) == [a.id, b.id])
        #expect(try w.listTasks(TaskFilter(statuses: [.done])).map(\.id) == [a.id])
        #expect(try w.log(LogQuery(scope: .board)).contains { $0.op == "board.done" && $0.trailers["Coord-Task"] == a.id })
    }

    @Test func readyMeansOpenUnclaimedWithDependenciesDoneSortedByPriorityThenAge() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        var clock: Int64 = 1_764_000_000_000
        w.store.now = { clock += 1000; return clock }
        let low = try w.addTask(TaskDraft(title: "low", priority: 3))
        let dep = try w.addTask(TaskDraft(title: "dep", priority: 2))
        let blocked = try w.addTask(TaskDraft(title: "blocked", priority: 0, after: [dep.id]))
        let older = try w.addTask(TaskDraft(title: "older", priority: 1))
        let newer = try w.addTask(TaskDraft(title: "newer", priority: 1))
        let claimed = try w.addTask(TaskDraft(title: "claimed", priority: 0))
        _ = try w.claim(claimed.id)
        #expect(try w.readyTasks().map(\.id) == [older.id, newer.id, dep.id, low.id])
        try w.markDone(dep.id)
        #expect(try w.readyTasks().map(\.id) == [blocked.id, older.id, newer.id, low.id])
        #expect(try w.listTasks(TaskFilter(mine: "worker-1")).map(\.id) == [claimed.id])
    }

    @Test func aDependencyCycleIsRefusedNamingTheCycle() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        let a = try w.addTask(TaskDraft(title: "a"))
        let b = try w.addTask(TaskDraft(title: "b", after: [a.id]))
        let c = try w.addTask(TaskDraft(title: "c", after: [b.id]))
        try expectRefused(w, exit: 2, containing: "\(a.id) → \(c.id) → \(b.id) → \(a.id)") {
            _ = try w.editTask(a.id, TaskEdit(addAfter: [c.id]))
        }
        try expectRefused(w, exit: 2, containing: "\(a.id) → \(a.id)") { _ = try w.editTask(a.id, TaskEdit(addAfter: [a.id])) }
        // Once b no longer waits for a, a may wait for c.
        let edited = try w.editTask(b.id, TaskEdit(removeAfter: [a.id], addLabels: ["x"]))
        #expect(edited.after.isEmpty)
        #expect(try w.editTask(a.id, TaskEdit(addAfter: [c.id])).after == [c.id])
    }

    @Test func editChangesFieldsAndRemovesDependenciesAndLabels() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        try repo.coord("worker-2").join("worker-2", role: nil)
        let a = try w.addTask(TaskDraft(title: "a"))
        let t = try w.addTask(TaskDraft(title: "t", after: [a.id], labels: ["ci"], assign: "worker-2"))
        let e = try w.editTask(t.id, TaskEdit(title: "t2", desc: "d", priority: 4, removeAfter: [a.id], addLabels: ["docs"], removeLabels: ["ci"], assign: .some(nil)))
        #expect(e.title == "t2" && e.desc == "d" && e.priority == 4 && e.after.isEmpty && e.labels == ["docs"] && e.assign == nil)
        #expect(try w.task(t.id) == e)
        let info = try #require(try w.store.snapshot(.board).commitInfo())
        #expect(info.message.hasPrefix("board: edit \(t.id) \"t\" by worker-1: "))
        #expect(Trailers.parse(info.message)["Coord-Task"] == t.id)
    }

    @Test func commitSubjectsAreAuditLinesWithTaskTrailers() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        let t = try w.addTask(TaskDraft(title: "fix flaky sync test"))
        _ = try w.claim(String(t.id.dropFirst(2).prefix(4)))
        let info = try #require(try w.store.snapshot(.board).commitInfo())
        #expect(info.message.hasPrefix("board: claim \(t.id) \"fix flaky sync test\" by worker-1\n\n"))
        let trailers = Trailers.parse(info.message)
        #expect(trailers["Coord-Op"] == "board.claim" && trailers["Coord-Session"] == "worker-1" && trailers["Coord-Task"] == t.id)
        #expect(trailers["Coord-Stamp"].flatMap(Stamp.init) != nil)
    }

    /// The cache is only an accelerator: incremental reads equal a rebuild from the document.
    @Test func theCachedViewAnswersLikeAFreshRebuild() throws {
        let repo = try TempRepo()
        let w = try repo.coord("worker-1")
        let tasks = try w.addTasks((0..<40).map { TaskDraft(title: "t\($0)", priority: $0 % 5) })
        _ = try w.listTasks()
        _ = try w.claim(tasks[0].id)
        try w.markDone(tasks[1].id)
        _ = try w.editTask(tasks[2].id, TaskEdit(title: "renamed | ~ %41 / \" \\ \t with, comma\nand line", desc: "two\nlines | ~ % é ✓", addAfter: [tasks[3].id], addLabels: ["a", "b"]))
        try w.comment(tasks[2].id, "a comment")
        let incremental = try w.boardIndex()
        Files.removeTree(Files.join(w.store.localFolder, "cache"))
        let rebuilt = try w.boardIndex()
        #expect(incremental == rebuilt)
        #expect(rebuilt.tasks.count == 40)
        // The view's fast cell reader and the cache's text form read what the store reads.
        for (id, t) in rebuilt.tasks { #expect(t == (try w.task(id)), "\(id)") }
        #expect(try w.boardIndex() == rebuilt)
    }

    @Test func writesNeedASessionAndSayHowToGetOne() throws {
        let repo = try TempRepo()
        let anon = try repo.coord(nil)
        try expectRefused(anon, exit: 2, containing: "git coord join") { _ = try anon.addTask(TaskDraft(title: "x")) }
    }
}
