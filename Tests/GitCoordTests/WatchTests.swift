import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// The waiter's wake-ups: these use a safety interval far longer than the time-out, so a wait
/// that ends before its time-out can only have been woken by a file-system event.
@Suite struct WatchTests {
    /// What one wait saw.
    struct Outcome {
        /// Whether the condition held.
        let held: Bool
        /// How long the wait took, in milliseconds.
        let ms: Double
    }

    /// Waits on `watcher` for `condition`, making `change` inside the wait: right after the first
    /// look, which must find the condition false. The change thus always falls after the watch
    /// was set and before the time-out, however slow the machine.
    func wait(_ watcher: RefWatcher, timeoutMs: Int64, change: () throws -> Void,
              until condition: () throws -> Bool) throws -> Outcome {
        var changed = false
        let t0 = Clock.monotonicNanoseconds()
        let held = try watcher.wait(timeoutMs: timeoutMs) {
            let holds = try condition()
            if !changed {
                #expect(!holds, "the condition held before the change")
                changed = true
                try change()
            }
            return holds
        }
        return Outcome(held: held, ms: Double(Clock.monotonicNanoseconds() - t0) / 1e6)
    }

    @Test func wakesWhenAnotherProcessMovesAWatchedRefFromAnotherWorktree() throws {
        let repo = try TempRepo()
        let wt = try repo.addWorktree("b")
        try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/bob", "HEAD"])
        let head = try Shell.git(["-C", repo.path, "rev-parse", "HEAD"]).mailTrimmed()
        let store = try repo.store(at: wt)
        let watcher = RefWatcher(store: store, refs: ["refs/coord/mail/bob"], safetyIntervalMs: 60_000)
        #expect(watcher.isEventDriven)
        let moved = try wait(watcher, timeoutMs: 30_000) {
            try Shell.git(["-C", repo.path, "commit", "-q", "--allow-empty", "-m", "x"])
            try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/bob", "HEAD"])
        } until: {
            try store.referenceTarget("refs/coord/mail/bob")?.hex != head
        }
        #expect(moved.held && moved.ms < 30_000, "woken by the move, not by the time-out (\(moved.ms) ms)")
    }

    @Test func wakesForARefInAFolderThatDidNotExistWhenWatchingStarted() throws {
        let repo = try TempRepo()
        let store = try repo.store()
        let watcher = RefWatcher(store: store, safetyIntervalMs: 60_000)
        let made = try wait(watcher, timeoutMs: 30_000) {
            try Shell.git(["-C", repo.path, "update-ref", "refs/coord/jobs/new-one", "HEAD"])
        } until: {
            try store.referenceTarget("refs/coord/jobs/new-one") != nil
        }
        #expect(made.held && made.ms < 30_000, "woken by the new ref, not by the time-out (\(made.ms) ms)")
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
        let moved = try wait(watcher, timeoutMs: 30_000) {
            let sed = Shell.run(["sed", "-i.tmp", "s/^[0-9a-f]* refs\\/coord\\/board$/\(next) refs\\/coord\\/board/", packed])
            #expect(sed.status == 0, "\(sed.stderr)")
        } until: {
            try store.referenceTarget("refs/coord/board")?.hex == next
        }
        #expect(moved.held && moved.ms < 30_000, "woken by the rewrite, not by the time-out (\(moved.ms) ms)")
    }

    /// A change to another ref lands inside the wait (made right after the first look) and is
    /// read off the watch, yet does not wake the waiter; a change to the watched ref then does.
    @Test func ignoresRefsItWasNotAskedAboutAndTimesOutWithFalse() throws {
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/bob", "HEAD"])
        let store = try repo.store()
        let watcher = RefWatcher(store: store, refs: ["refs/coord/mail/bob"], safetyIntervalMs: 60_000)
        let ignored = try wait(watcher, timeoutMs: 400) {
            try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/carol", "HEAD"])
        } until: { false }
        #expect(!ignored.held)
        #expect(ignored.ms >= 390)
        #expect(try store.referenceTarget("refs/coord/mail/carol") != nil, "the change landed inside the wait")
        // One look at the start and one at the deadline; a wake-up would have added a third.
        #expect(watcher.evaluations == 2, "a change to another ref must not wake this waiter")
        // The same watcher, on a change it was asked about, wakes at once.
        try Shell.git(["-C", repo.path, "commit", "-q", "--allow-empty", "-m", "z"])
        let head = try Shell.git(["-C", repo.path, "rev-parse", "HEAD"]).mailTrimmed()
        let woke = try wait(watcher, timeoutMs: 30_000) {
            try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/bob", head])
        } until: {
            try store.referenceTarget("refs/coord/mail/bob")?.hex == head
        }
        #expect(woke.held && woke.ms < 30_000, "woken by the watched ref, not by the time-out (\(woke.ms) ms)")
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
