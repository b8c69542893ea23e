import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// The waiter's wake-ups: these use a safety interval far longer than the time-out, so a `true`
/// can only come from a file-system event.
@Suite struct WatchTests {
    /// Runs `script` in a shell after `delayMs`, detached, in `dir`.
    func later(_ delayMs: Int, _ script: String, in dir: String, log: String) {
        ProcessRunner.spawnDetached(["sh", "-c", "sleep \(Double(delayMs) / 1000); \(script)"], logTo: log, in: dir)
    }

    @Test func wakesWhenAnotherProcessMovesAWatchedRefFromAnotherWorktree() throws {
        let repo = try TempRepo()
        let wt = try repo.addWorktree("b")
        try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/bob", "HEAD"])
        let head = try Shell.git(["-C", repo.path, "rev-parse", "HEAD"]).mailTrimmed()
        let store = try repo.store(at: wt)
        let watcher = RefWatcher(store: store, refs: ["refs/coord/mail/bob"], safetyIntervalMs: 60_000)
        #expect(watcher.isEventDriven)
        later(200, "git commit -q --allow-empty -m x && git update-ref refs/coord/mail/bob HEAD", in: repo.path, log: repo.root + "/log")
        let moved = try watcher.wait(timeoutMs: 10_000) {
            try store.referenceTarget("refs/coord/mail/bob")?.hex != head
        }
        #expect(moved)
    }

    @Test func wakesForARefInAFolderThatDidNotExistWhenWatchingStarted() throws {
        let repo = try TempRepo()
        let store = try repo.store()
        let watcher = RefWatcher(store: store, safetyIntervalMs: 60_000)
        later(200, "git update-ref refs/coord/jobs/new-one HEAD", in: repo.path, log: repo.root + "/log")
        let made = try watcher.wait(timeoutMs: 10_000) {
            try store.referenceTarget("refs/coord/jobs/new-one") != nil
        }
        #expect(made)
    }

    @Test func wakesWhenPackRefsRewritesAndAnUpdateLandsInPackedRefs() throws {
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "update-ref", "refs/coord/board", "HEAD"])
        try Shell.git(["-C", repo.path, "pack-refs", "--all", "--prune"])
        try Shell.git(["-C", repo.path, "commit", "-q", "--allow-empty", "-m", "y"])
        let next = try Shell.git(["-C", repo.path, "rev-parse", "HEAD"]).mailTrimmed()
        let store = try repo.store()
        let watcher = RefWatcher(store: store, safetyIntervalMs: 60_000)
        // Rewrite packed-refs by hand, as a packing tool does: the loose file never exists.
        let packed = store.commonDir + "packed-refs"
        later(200, "sed -i.tmp 's/^[0-9a-f]* refs\\/coord\\/board$/\(next) refs\\/coord\\/board/' '\(packed)'", in: repo.path, log: repo.root + "/log")
        let moved = try watcher.wait(timeoutMs: 10_000) {
            try store.referenceTarget("refs/coord/board")?.hex == next
        }
        #expect(moved)
    }

    @Test func ignoresRefsItWasNotAskedAboutAndTimesOutWithFalse() throws {
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/bob", "HEAD"])
        let store = try repo.store()
        let watcher = RefWatcher(store: store, refs: ["refs/coord/mail/bob"], safetyIntervalMs: 60_000)
        later(50, "git update-ref refs/coord/mail/carol HEAD", in: repo.path, log: repo.root + "/log")
        let t0 = Clock.monotonicNanoseconds()
        let woke = watcher.wait(timeoutMs: 400) { false }
        let ms = Double(Clock.monotonicNanoseconds() - t0) / 1e6
        #expect(!woke)
        #expect(ms >= 390)
        // One look at the start and one at the deadline; a wake-up would have added a third.
        #expect(watcher.evaluations == 2, "a change to another ref must not wake this waiter")
    }

    @Test func conditionTrueAtOnceReturnsWithoutWaiting() throws {
        let repo = try TempRepo()
        let watcher = RefWatcher(store: try repo.store())
        #expect(watcher.wait(timeoutMs: 0) { true })
        #expect(!watcher.wait(timeoutMs: 0) { false })
    }
}

extension String {
    func mailTrimmed() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == " " { s = s.dropLast() }
        return String(s)
    }
}
