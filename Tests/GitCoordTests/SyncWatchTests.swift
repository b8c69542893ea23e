import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct SyncWatchTests {
    /// Runs `watchSync` in clone `path` for `ms` milliseconds and returns what it reported.
    static func watch(_ path: String, ms: Int64, intervalMs: Int64 = 200) -> Task<[String], any Error> {
        Task {
            let coord = Coord(store: try CoordStore.open(at: path, session: "watcher"))
            var events: [String] = []
            try await coord.watchSync(options: SyncWatchOptions(intervalMs: intervalMs, maxBackoffMs: 400, stopAfterMs: ms)) { event in
                switch event {
                case .synced(let r): events.append("synced " + r.lines.joined(separator: "; "))
                case .unreachable(let remote, _, _): events.append("unreachable \(remote)")
                case .reachable(let remote): events.append("reachable \(remote)")
                }
            }
            return events
        }
    }

    @Test func aLocalWriteIsPushedWithoutWaitingForTheInterval() async throws {
        let f = try SyncFixture(clones: 1)
        let task = Self.watch(f.clones[0], ms: 2_500, intervalMs: 60_000)
        try await Task.sleep(for: .milliseconds(700))
        let doc = DocumentID(.mail, "s1")
        try f.send(from: 0, to: "s1")
        let written = try #require(try f.store(0).tip(doc))
        var arrived = false
        for _ in 0..<30 where !arrived {
            try await Task.sleep(for: .milliseconds(50))
            arrived = try f.remoteTip(doc.refName) == written
        }
        #expect(arrived, "the write did not reach the remote within 1.5 s")
        let events = try await task.value
        #expect(events.contains { $0.contains("pushed to origin: mail/s1") })
    }

    /// An unreachable remote is reported once, however many attempts fail, and the watcher
    /// resumes by itself when the remote comes back.
    @Test func anUnreachableRemoteIsReportedOnceAndSyncResumesWhenItReturns() async throws {
        let f = try SyncFixture(clones: 1)
        let moved = f.repo.root + "/moved.git"
        try Shell.git(["-C", f.clones[0], "remote", "set-url", "origin", moved])
        try f.send(from: 0, to: "s1")
        let task = Self.watch(f.clones[0], ms: 3_500)
        try await Task.sleep(for: .milliseconds(1_500))
        try Shell.git(["clone", "-q", "--bare", f.bare, moved])
        let events = try await task.value
        #expect(events.filter { $0.hasPrefix("unreachable") }.count == 1, "\(events)")
        #expect(events.contains("reachable origin"), "\(events)")
        #expect(try Repository.open(at: moved).referenceTarget("refs/coord/mail/s1") == f.store(0).tip(DocumentID(.mail, "s1")))
    }
}
