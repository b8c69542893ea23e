import CoordTestSupport
import GitCoord
import GitCoordStore
import Synchronization
import Testing

@Suite struct SyncWatchTests {
    /// What a watcher running in another task reported, and a way to stop it.
    final class Log: Sendable {
        let events = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
        var snapshot: [String] { events.withLock { $0 } }
        func add(_ e: String) { events.withLock { $0.append(e) } }
    }

    /// How long a test waits for the watcher, in seconds. The watcher runs in this process, on
    /// the test runner's cooperative threads (two on a 2-core machine), which in a full run other
    /// suites' blocking tests hold for minutes; after each of its `await`s it queues behind them.
    /// (A task executor of its own does not help: swift-subprocess ends every run in an
    /// unstructured task on those threads.) On an idle runner a working watcher passes in well
    /// under a second.
    static let patience: Double = 300

    /// Runs `watchSync` in clone `path` until `log.stop` is set (at most 10 minutes: longer than
    /// any wait in these tests, so a slow run fails on its condition, not on a watcher that
    /// already gave up).
    static func watch(_ path: String, _ log: Log, intervalMs: Int64 = 200) -> Task<Void, any Error> {
        Task {
            let coord = Coord(store: try CoordStore.open(at: path, session: "watcher"))
            var options = SyncWatchOptions(intervalMs: intervalMs, maxBackoffMs: 400, stopAfterMs: 600_000)
            options.shouldStop = { log.stop.load(ordering: .relaxed) }
            try await coord.watchSync(options: options) { event in
                switch event {
                case .synced(let r): log.add("synced " + r.lines.joined(separator: "; "))
                case .unreachable(let remote, let d, _): log.add("unreachable \(remote)"); log.add("detail " + d)
                case .reachable(let remote): log.add("reachable \(remote)")
                }
            }
        }
    }

    @Test func aLocalWriteIsPushedWithoutWaitingForTheInterval() async throws {
        let f = try SyncFixture(clones: 1)
        try f.send(from: 0, to: "s0")
        let log = Log()
        let task = Self.watch(f.clones[0], log, intervalMs: 600_000)
        #expect(try await eventually(within: Self.patience) { log.snapshot.contains { $0.contains("pushed to origin: mail/s0") } })
        let doc = DocumentID(.mail, "s1")
        try f.send(from: 0, to: "s1")
        let written = try #require(try f.store(0).tip(doc))
        #expect(try await eventually(within: Self.patience) { try f.remoteTip(doc.refName) == written }, "the write did not reach the remote")
        log.stop.store(true, ordering: .relaxed)
        try await task.value
        #expect(log.snapshot.contains { $0.contains("pushed to origin: mail/s1") })
    }

    /// Writes made while a sync is running (after it planned its push) are pushed by the next
    /// round, not taken for pushed.
    @Test func aBurstOfLocalWritesDuringSyncsAllReachTheRemote() async throws {
        let f = try SyncFixture(clones: 1)
        let log = Log()
        let task = Self.watch(f.clones[0], log, intervalMs: 600_000)
        let doc = DocumentID(.mail, "s2")
        for i in 0..<40 {
            try f.send(from: 0, to: "s2", body: "burst \(i)")
            // Not a wait: random gaps spread the writes over time, so that some fall before,
            // some during and some after the syncs they wake (the subject of this test).
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...40)))
        }
        let last = try #require(try f.store(0).tip(doc))
        #expect(try await eventually(within: Self.patience) { try f.remoteTip(doc.refName) == last }, "the last write never reached the remote")
        log.stop.store(true, ordering: .relaxed)
        try await task.value
    }

    /// An unreachable remote is reported once, however many attempts fail, and the watcher
    /// resumes by itself when the remote comes back.
    @Test func anUnreachableRemoteIsReportedOnceAndSyncResumesWhenItReturns() async throws {
        let f = try SyncFixture(clones: 1)
        let moved = f.repo.root + "/moved.git"
        try Shell.git(["-C", f.clones[0], "remote", "set-url", "origin", moved])
        // Every attempt to reach the remote (ls-remote or fetch) starts its upload-pack, also at
        // a path that does not exist: one that first notes the attempt counts them.
        let attempts = f.repo.root + "/attempts"
        try Shell.git(["-C", f.clones[0], "config", "remote.origin.uploadpack", "echo attempt >> '\(attempts)'; git-upload-pack"])
        func attemptCount() -> Int { Files.readString(attempts)?.split(separator: "\n").count ?? 0 }
        try f.send(from: 0, to: "s1")
        let log = Log()
        let task = Self.watch(f.clones[0], log)
        #expect(try await eventually(within: Self.patience) { log.snapshot.contains("unreachable origin") })
        #expect(try await eventually(within: Self.patience) { attemptCount() >= 4 }, "the watcher stopped trying: \(attemptCount()) attempts")
        try Shell.git(["clone", "-q", "--bare", f.bare, moved])
        #expect(try await eventually(within: Self.patience) { log.snapshot.contains { $0.contains("pushed to origin: mail/s1") } }, "\(log.snapshot)")
        log.stop.store(true, ordering: .relaxed)
        try await task.value
        let events = log.snapshot
        #expect(events.filter { $0.hasPrefix("unreachable") }.count == 1, "\(events)")
        #expect(events.contains("reachable origin"), "\(events)")
        #expect(try Repository.open(at: moved).referenceTarget("refs/coord/mail/s1") == f.store(0).tip(DocumentID(.mail, "s1")))
    }
}
