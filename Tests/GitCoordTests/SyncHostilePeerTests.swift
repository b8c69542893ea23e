import CoordTestSupport
@testable import GitCoord
import GitCoordStore
import Testing

/// Peers that lie or drift: another clone forges `refs/coord/*` with git's plumbing and pushes
/// with plain git, or runs with a skewed clock (faketime). No such peer can freeze, crash, steal
/// from or poison an honest clone. One test per row of Docs/Sync.md's table of hostile inputs.
@Suite struct SyncHostilePeerTests {
    static func now(_ session: String = "mallory") -> Stamp {
        Stamp(milliseconds: Clock.nowMilliseconds(), counter: 0, session: session)
    }

    static func soundCell(_ title: String) -> [UInt8] {
        FieldMap(["title": .register(stamp: now(), value: .string(title))]).bytes
    }

    /// A task added by clone 0 (alice, session `s0`) and synced; returns its id and cell path.
    static func taskOnRemote(_ f: SyncFixture, claim: Bool = false) async throws -> (id: String, path: String) {
        let id = try f.coords[0].addTask(TaskDraft(title: "first")).id
        if claim { _ = try f.coords[0].claim(id) }
        _ = try await f.coords[0].sync()
        return (id, TaskCell.path(id))
    }

    @Test func aCellTurnedIntoAFolderIsRefusedAloneAndTheBoardKeepsCrossingBothWays() async throws {
        let f = try SyncFixture(clones: 2)
        let alice = f.coords[0]
        let (a, path) = try await Self.taskOnRemote(f)
        let m = try HostilePeer(f)
        let tip = try m.tip("refs/coord/board")
        let sound = TaskCell.path("T-mmmmmm")
        let tree = try m.edit(tip, put: [(path + "/T-zzzzzz.lww", try m.blob(m.cell(tip, path))),
                                         (sound, try m.blob(Self.soundCell("from mallory")))])
        try m.push(try m.commit(tree, parent: tip))

        let r = try await alice.sync()
        #expect(r.skipped.isEmpty, "\(r.skipped)")
        #expect(r.rejectedCells.map(\.path) == [path + "/T-zzzzzz.lww"])
        #expect(r.rejectedCells.first?.reason.contains("directory/file") == true)
        #expect(r.pushFailures.isEmpty)
        #expect(try alice.store.snapshot(.board).fields(sound)?.value("title") == "from mallory")
        #expect(try alice.task(a).title == "first")

        _ = try alice.comment(a, "still syncing")
        let again = try await alice.sync()
        #expect(again.skipped.isEmpty && again.pushFailures.isEmpty)
        #expect(try f.remoteTip("refs/coord/board") == alice.store.tip(.board))
        let fresh = try await f.coords[1].sync()
        #expect(fresh.rejectedCells.isEmpty && fresh.skipped.isEmpty)
        #expect(try f.store(1).snapshot(.board).tree == alice.store.snapshot(.board).tree)
    }

    @Test func anImpossibleEpochIsRefusedAndReleaseAndDoneNeverTrap() async throws {
        let f = try SyncFixture(clones: 1)
        let alice = f.coords[0]
        let (a, path) = try await Self.taskOnRemote(f, claim: true)
        try HostilePeer(f).rewriteBoardCell(path) { $0["claim"] = .claim(epoch: .max, stamp: Self.now("s0"), holder: "s0") }

        let r = try await alice.sync()
        #expect(r.rejectedCells.map(\.path) == [path])
        #expect(try alice.task(a).claimEpoch == 0)
        #expect(try alice.release(a, force: true).claimedBy == nil)
        #expect(try alice.markDone(a).isDone)
        let after = try await alice.sync()
        #expect(after.pushFailures.isEmpty && after.rejectedCells.isEmpty)
        #expect(Field.nextEpoch(after: Field.maxEpoch) == nil)
    }

    /// Strange names (`..`, `.git`, `...rec`) in the remote's tip: refused, and the hostile commit
    /// never becomes reachable from a local ref, so a remote that checks objects
    /// (`receive.fsckObjects`) takes everything this clone pushes afterwards.
    @Test func strangeTreeEntriesNeverEnterLocalHistoryAndAStrictRemoteTakesEveryPush() async throws {
        let f = try SyncFixture(clones: 1)
        let alice = f.coords[0]
        let (a, _) = try await Self.taskOnRemote(f)
        let m = try HostilePeer(f)
        let tip = try m.tip("refs/coord/board")
        let junk = try m.blob(Self.soundCell("junk"))
        let sound = TaskCell.path("T-nnnnnn")
        let soundTree = try m.edit(tip, put: [(sound, try m.blob(Self.soundCell("sound")))])
        let hostileTree = try m.withRootEntries(soundTree, ["..", ".git", "...rec"], blob: junk)
        let hostile = try m.commit(hostileTree, parent: tip)
        try m.push(hostile)

        let r = try await alice.sync()
        #expect(Set(r.rejectedCells.map(\.path)) == ["..", ".git", "...rec"])
        #expect(r.pushFailures.isEmpty)
        #expect(try alice.store.snapshot(.board).fields(sound)?.value("title") == "sound")
        try await Self.expectStrictRemoteTakesEverything(f, alice, task: a, unreachable: [hostile, hostileTree])
    }

    /// A strange tree in an earlier commit of the remote's new history, under a clean tip: the
    /// tip's sound cells are taken, the history is not.
    @Test func aStrangeTreeInThePeersHistoryIsKeptOutEvenUnderACleanTip() async throws {
        let f = try SyncFixture(clones: 1)
        let alice = f.coords[0]
        let (a, _) = try await Self.taskOnRemote(f)
        let m = try HostilePeer(f)
        let tip = try m.tip("refs/coord/board")
        let hostileTree = try m.withRootEntries(try m.git(["rev-parse", "\(tip)^{tree}"]), [".git"], blob: try m.blob(Self.soundCell("x")))
        let hostile = try m.commit(hostileTree, parent: tip)
        let sound = TaskCell.path("T-pppppp")
        let clean = try m.commit(try m.edit(tip, put: [(sound, try m.blob(Self.soundCell("sound")))]), parent: hostile)
        try m.push(clean)

        let r = try await alice.sync()
        #expect(r.rejectedCells.map(\.path) == [".git"])
        #expect(r.rejectedCells.first?.reason.contains("history is kept out") == true)
        #expect(try alice.store.snapshot(.board).fields(sound)?.value("title") == "sound")
        try await Self.expectStrictRemoteTakesEverything(f, alice, task: a, unreachable: [hostile, hostileTree, clean])
    }

    static func expectStrictRemoteTakesEverything(_ f: SyncFixture, _ alice: Coord, task: String, unreachable: [String]) async throws {
        let reachable = try HostilePeer.reachableObjects(at: f.clones[0])
        for id in unreachable { #expect(!reachable.contains(id), "\(id) is reachable from a local ref") }
        let strict = f.repo.root + "/strict.git"
        _ = try Shell.git(["init", "-q", "--bare", strict])
        _ = try Shell.git(["config", "receive.fsckObjects", "true"], in: strict)
        _ = try Shell.git(["remote", "add", "strict", strict], in: f.clones[0])
        _ = try alice.comment(task, "after the forgery")
        let pushed = try await alice.sync(remote: "strict")
        #expect(pushed.pushFailures.isEmpty, "\(pushed.pushFailures)")
        #expect(pushed.pushed.contains { $0.ref == "refs/coord/board" })
        #expect(try Repository.open(at: strict).referenceTarget("refs/coord/board") == alice.store.tip(.board))
        let plain = Shell.run(["git", "push", "--porcelain", "strict", "refs/coord/*:refs/coord/*"], in: f.clones[0])
        #expect(plain.status == 0, "\(plain.stdout) \(plain.stderr)")
    }

    @Test func aClaimRewrittenWithAnAncientStampForAnotherHolderIsRefused() async throws {
        let f = try SyncFixture(clones: 2)
        let alice = f.coords[0]
        let (a, path) = try await Self.taskOnRemote(f, claim: true)
        try HostilePeer(f).rewriteBoardCell(path) {
            $0["claim"] = .claim(epoch: 0, stamp: Stamp(milliseconds: 1, counter: 0, session: "mallory"), holder: "mallory")
        }

        let r = try await alice.sync()
        #expect(try alice.task(a).claimedBy == "s0")
        #expect(r.notices.isEmpty)
        #expect(r.rejectedCells.first?.reason.contains("before the task was created") == true)
        _ = try await f.coords[1].sync()
        #expect(try f.repo.coord("s1", at: f.clones[1]).task(a).claimedBy == "s0")
    }

    /// Pete's clock is 5 minutes behind (inside the 10-minute tolerance). He claims a task after
    /// alice's claim reached the remote: his earlier stamp does not win; he is told he lost.
    @Test func aClaimMadeAfterAnotherReachedTheRemoteCannotWinWithAnEarlierClock() async throws {
        try #require(FakeTime.available, "faketime is needed: apt-get install -y faketime")
        let f = try SyncFixture(clones: 2)
        let alice = f.coords[0]
        let (a, _) = try await Self.taskOnRemote(f)
        _ = try await f.coords[1].sync()
        _ = try alice.claim(a)
        _ = try await alice.sync()

        #expect(FakeTime.coord("-300s", ["join", "pete"], in: f.clones[1], session: "pete").status == 0, "writers must have joined")
        let claim = FakeTime.coord("-300s", ["board", "claim", a], in: f.clones[1], session: "pete")
        #expect(claim.status == 0, "\(claim.stderr)")
        let sync = FakeTime.coord("-300s", ["sync", "--json"], in: f.clones[1], session: "pete")
        #expect(sync.status == 0, "\(sync.stderr)")
        let json = try JSONValue.parse(sync.stdout)
        #expect(json["notified"] == .array([.object(["session": "pete", "task": .string(a), "winner": "s0"])]))
        #expect(try f.repo.coord("pete", at: f.clones[1]).task(a).claimedBy == "s0")
        let back = try await alice.sync()
        #expect(back.notices.isEmpty)
        #expect(try alice.task(a).claimedBy == "s0")
    }

    /// A clone 3 days ahead writes to the board: its cells are refused, and alice's clock stays
    /// hers, so a clone 30 s behind alice still takes alice's writes.
    @Test func aCloneDaysAheadIsContainedToItsOwnCellsAndDoesNotDragTheClock() async throws {
        try #require(FakeTime.available, "faketime is needed: apt-get install -y faketime")
        let f = try SyncFixture(clones: 3)
        let alice = f.coords[0]
        let (a, path) = try await Self.taskOnRemote(f)
        for args in [["join", "future"], ["sync"], ["board", "add", "from the future"], ["sync"]] {
            let r = FakeTime.coord("+3d", args, in: f.clones[1], session: "future")
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        _ = try alice.comment(a, "written while the future clone wrote") // so alice's sync merges
        let met = try await alice.sync()
        #expect(met.moved.contains { $0.document == .board && $0.how == .merged })
        #expect(met.rejectedCells.contains { $0.reason.contains("ahead of this clock") })
        let clock = try #require(try alice.store.snapshot(.board).stamp())
        #expect(clock.milliseconds < Clock.nowMilliseconds() + 60_000, "alice's clock was dragged to \(clock)")

        _ = try alice.editTask(a, TaskEdit(title: "renamed"))
        _ = try await alice.sync()
        let behind = FakeTime.coord("-30s", ["sync", "--json"], in: f.clones[2], session: "behind")
        #expect(behind.status == 0, "\(behind.stderr)")
        let refused = try JSONValue.parse(behind.stdout)["rejectedCells"]?.arrayValue ?? []
        #expect(!refused.contains { $0["path"]?.stringValue == path }, "\(refused)")
        #expect(try f.store(2).snapshot(.board).fields(path)?.value("title") == "renamed")
    }

    /// The remote's ref was busy (`[remote rejected] (failed to update ref)`): a race like any
    /// other, retried, and the sync completes.
    @Test func aPushTheRemoteRejectedBecauseItsRefWasBusyIsRetried() async throws {
        let f = try SyncFixture(clones: 1)
        try f.setTask(from: 0, task: "T-aaaaaa", field: "title", value: "one")
        _ = try await f.coords[0].sync()
        try f.setTask(from: 0, task: "T-aaaaaa", field: "title", value: "two")
        let lock = f.bare + "/refs/coord/board.lock"
        let report = try await f.coords[0].sync(remote: nil, maxRounds: 10, policy: nil) { round in
            if round == 1 { Files.writeAtomically(lock, "held") } else { Files.remove(lock) }
        }
        #expect(report.pushFailures.isEmpty, "\(report.pushFailures)")
        #expect(report.rounds == 2)
        #expect(try f.remoteTip("refs/coord/board") == f.store(0).tip(.board))
    }

    @Test func transportErrorsKeepGitsWholeCause() {
        let stderr = "ssh: Could not resolve hostname nowhere.invalid: Name or service not known\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\n"
        let cause = GitTransport.cause(stderr)
        #expect(cause.contains("Could not resolve hostname nowhere.invalid"))
        #expect(cause.contains("fatal: Could not read from remote repository."))
    }

    /// The same hostile cell stays on the remote: the first sync that meets it reports it, later
    /// ones stay quiet, and the record keeps it for later queries.
    @Test func eachRefusedCellIsReportedOnceAndKeptInTheRecord() async throws {
        let f = try SyncFixture(clones: 1)
        let alice = f.coords[0]
        _ = try await Self.taskOnRemote(f)
        let m = try HostilePeer(f)
        let bad = "tasks/b/a/T-bad001.lww"
        let blob = try m.blob(Array("not json".utf8))
        func plant() throws {
            try m.fetch()
            let tip = try m.tip("refs/coord/board")
            try m.push(try m.commit(try m.edit(tip, put: [(bad, blob)]), parent: tip))
        }
        try plant()
        let first = try await alice.sync()
        #expect(first.rejectedCells.map(\.path) == [bad])
        #expect(first.lines.contains { $0.hasPrefix("refused from origin: refs/coord/board \(bad)") })
        try plant()
        let second = try await alice.sync()
        #expect(second.rejectedCells.isEmpty)
        #expect(!second.lines.contains { $0.hasPrefix("refused") })
        let findings = alice.peerFindings()
        #expect(findings.map(\.path) == [bad])
        #expect(findings.first?.object == blob && findings.first?.remote == "origin" && findings.first?.lasting == true)
        #expect(Files.exists(alice.peerFindingsPath))
        let doctor = alice.doctor().filter { $0.check == "peer-data" }
        #expect(doctor.count == 1 && doctor.first?.text.contains("from origin: 1 forged or malformed cell kept out of history") == true,
                "\(doctor)")
    }
}
