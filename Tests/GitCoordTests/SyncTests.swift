import CoordTestSupport
@testable import GitCoord
import GitCoordStore
import Testing

@Suite struct SyncTests {
    /// The report line of a board that moved names the tasks and counts the comments (comment
    /// records are named by time, which means nothing to a reader).
    @Test func aBoardMoveNamesItsTasksAndCountsItsComments() {
        let moved = MovedDocument(document: .board, from: nil, to: ObjectID.hashBlob([]), how: .created,
                                  added: 4, changed: 0, messages: 0,
                                  ids: ["T-aaaaaa", "1795631805607.0000-cngq", "T-bbbbbb", "T-cccccc"])
        #expect(SyncReport.describe(moved) == "new, 4 new cells (T-aaaaaa, T-bbbbbb, T-cccccc, 1 comment) [created]")
        let changed = MovedDocument(document: .board, from: nil, to: ObjectID.hashBlob([]), how: .merged,
                                    added: 0, changed: 1, messages: 0, ids: ["T-aaaaaa"])
        #expect(SyncReport.describe(changed) == "1 changed (T-aaaaaa) [merged]")
    }

    @Test func aMessageSentInOneCloneArrivesInAnotherAfterBothSync() async throws {
        let f = try SyncFixture(clones: 2)
        let id = try f.send(from: 0, to: "s1")
        let first = try await f.coords[0].sync()
        #expect(first.pushed.map(\.ref) == ["refs/coord/mail/s1"])
        let second = try await f.coords[1].sync()
        #expect(second.moved.map(\.document) == [DocumentID(.mail, "s1")])
        #expect(second.moved.first?.how == .created)
        #expect(second.moved.first?.added == 1)
        #expect(try f.recordIDs(1, DocumentID(.mail, "s1")) == [id])
        #expect(second.lines.contains("origin → mail/s1: new, 1 new message [created]"))
        let again = try await f.coords[1].sync()
        #expect(again.isQuiet, "\(again.lines)")
    }

    @Test func concurrentWritesMergeToOneCommitIdOnBothClones() async throws {
        let f = try SyncFixture(clones: 2)
        try f.send(from: 0, to: "s1")
        _ = try await f.coords[0].sync()
        _ = try await f.coords[1].sync()
        let a = try f.send(from: 0, to: "s1"), b = try f.send(from: 1, to: "s1")
        _ = try await f.coords[0].sync()
        let merged = try await f.coords[1].sync()
        #expect(merged.moved.first?.how == .merged)
        _ = try await f.coords[0].sync()
        let doc = DocumentID(.mail, "s1")
        #expect(try f.store(0).tip(doc) == f.store(1).tip(doc))
        #expect(try f.store(0).tip(doc) == f.remoteTip(doc.refName))
        #expect(try f.recordIDs(0, doc).isSuperset(of: [a, b]))
        let info = try #require(try f.store(0).snapshot(doc).commitInfo())
        #expect(info.parents.count == 2)
    }

    /// Someone pushing between our fetch and our push makes git reject ours; the sync fetches,
    /// merges and pushes again, and nothing written on either side is lost.
    @Test func aPushRejectedBecauseAnotherClonePushedFirstIsRetriedAndNothingIsLost() async throws {
        let f = try SyncFixture(clones: 2)
        let mine = try f.send(from: 0, to: "s2")
        let theirs = try f.send(from: 1, to: "s2")
        let other = f.coords[1]
        let report = try await f.coords[0].sync(remote: nil, maxRounds: 5, policy: nil) { round in
            // The hook cannot throw: a failure of the other clone's sync fails the test here.
            if round == 1 {
                do { _ = try await other.sync() } catch { Issue.record(error, "the other clone's sync failed") }
            }
        }
        #expect(report.rounds == 2)
        #expect(report.complete)
        #expect(report.pushed.map(\.ref) == ["refs/coord/mail/s2"])
        _ = try await f.coords[1].sync()
        let doc = DocumentID(.mail, "s2")
        for i in 0..<2 { #expect(try f.recordIDs(i, doc) == [mine, theirs]) }
        #expect(try f.remoteTip(doc.refName) == f.store(0).tip(doc))
    }

    @Test func syncWithNoSuchRemoteIsABadInputError() async throws {
        let f = try SyncFixture(clones: 1)
        await #expect(throws: CoordError.usage("no remote named 'nowhere': add it with `git remote add nowhere URL` first, or pick one of `git remote`")) {
            try await f.coords[0].sync(remote: "nowhere")
        }
    }

    @Test func anUnreachableRemoteIsARefusalThatNamesTheRemote() async throws {
        let f = try SyncFixture(clones: 1)
        try Shell.git(["-C", f.clones[0], "remote", "set-url", "origin", f.repo.root + "/gone.git"])
        do {
            _ = try await f.coords[0].sync()
            Issue.record("sync to a missing remote succeeded")
        } catch {
            #expect(error.exitCode == 1)
            #expect(error.message.hasPrefix("cannot reach origin: "))
        }
    }

    @Test func theDefaultRemoteIsCoordRemoteThenOrigin() throws {
        let f = try SyncFixture(clones: 1)
        #expect(f.coords[0].defaultSyncRemote() == "origin")
        try Shell.git(["-C", f.clones[0], "config", "coord.remote", "upstream"])
        #expect(f.coords[0].defaultSyncRemote() == "upstream")
    }

    /// A session's heartbeat has one writer and no history: the newer one wins on every clone,
    /// and it is pushed over the remote's older one (with a lease, never blindly).
    @Test func heartbeatsKeepNoHistoryAndTheNewerBeatWins() async throws {
        let f = try SyncFixture(clones: 2)
        let beat = DocumentID(.beat, "s0")
        func beatOnce(_ n: Int64) throws {
            try f.store(0).update(beat, as: "s0") { (tx) throws(CoordError) in tx.set("beat.lww", ["n": .int(n)]) }
        }
        try beatOnce(1)
        _ = try await f.coords[0].sync()
        _ = try await f.coords[1].sync()
        try beatOnce(2)
        let pushed = try await f.coords[0].sync()
        #expect(pushed.pushed.first?.forced == true)
        _ = try await f.coords[1].sync()
        let snap = try f.store(1).snapshot(beat)
        #expect(try snap.fields("beat.lww")?.value("n") == 2)
        #expect(try snap.commitInfo()?.parents == [])
        #expect(try f.remoteTip(beat.refName) == f.store(0).tip(beat))
    }

    /// `init --remote` makes a plain `git fetch` bring coordination data, once, and never touches
    /// what a plain `git push` does.
    @Test func initRemoteAddsTheFetchRefspecOnceAndNoPushRefspec() async throws {
        let f = try SyncFixture(clones: 2)
        try f.send(from: 0, to: "s1")
        _ = try await f.coords[0].sync()
        let c = f.coords[1]
        _ = try c.initialize(remote: "origin")
        #expect(try c.initialize(remote: "origin") == "remote origin already fetches refs/coord/*")
        #expect(c.store.configValues("remote.origin.fetch").filter { $0 == Coord.fetchRefspec(remote: "origin") }.count == 1)
        #expect(c.store.configValues("remote.origin.push").isEmpty)
        try Shell.git(["-C", f.clones[1], "fetch", "-q", "origin"])
        #expect(try c.store.referenceTarget("refs/coord-remotes/origin/mail/s1") != nil)
        #expect(try c.store.tip(DocumentID(.mail, "s1")) == nil)
        let report = try await c.sync()
        #expect(report.moved.map(\.document) == [DocumentID(.mail, "s1")])
    }

    /// Two clones holding different parentless commits with the same tree settle on one of them
    /// (the larger id) instead of pushing theirs over each other forever.
    @Test func historyLessDocumentsWithEqualTreesSettleOnOneCommit() async throws {
        let f = try SyncFixture(clones: 2)
        let beat = DocumentID(.beat, "s0")
        try f.store(0).update(beat, as: "s0") { (tx) throws(CoordError) in tx.set("beat.lww", ["n": 1]) }
        _ = try await f.coords[0].sync()
        _ = try await f.coords[1].sync()
        let repo1 = f.store(1).repository
        let tip = try #require(try repo1.referenceTarget(beat.refName))
        let info = try repo1.commit(tip)
        let twin = try repo1.createCommit(tree: info.tree, parents: [], message: info.message + "twin\n", author: info.author)
        try repo1.forceReference(beat.refName, to: twin, message: "test: same tree, other commit")
        for _ in 0..<2 {
            _ = try await f.coords[1].sync()
            _ = try await f.coords[0].sync()
        }
        let settled = max(tip, twin)
        #expect(try f.store(0).tip(beat) == settled)
        #expect(try f.store(1).tip(beat) == settled)
        #expect(try f.remoteTip(beat.refName) == settled)
        let quiet = try await f.coords[0].sync()
        #expect(quiet.isQuiet, "\(quiet.lines)")
    }
}
