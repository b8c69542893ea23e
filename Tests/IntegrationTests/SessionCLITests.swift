#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// Starts a long `sleep` of our own and returns its pid.
func startSleeper(_ repo: TempRepo, seconds: Int = 60) throws -> Int32 {
    try #require(ProcessRunner.spawnDetached(["sleep", String(seconds)], logTo: repo.root + "/sleeper.log"))
}

/// Kills and reaps a child process of the test.
func killChild(_ pid: Int32) {
    kill(pid, SIGKILL)
    var st: Int32 = 0
    _ = waitpid(pid, &st, 0)
}

@Suite struct SessionCLITests {
    @Test func aliveExitsZeroWhenAliveAndOneWhenLeftOrUnknown() throws {
        let repo = try TempRepo()
        #expect(CLI.run(["join", "w1", "--role", "worker"], in: repo.path).status == 0)
        let alive = CLI.run(["alive", "w1"], in: repo.path)
        #expect(alive.status == 0 && alive.stdout.hasPrefix("w1: alive, last seen "))
        #expect(CLI.run(["leave"], in: repo.path).status == 0)
        let left = CLI.run(["alive", "w1"], in: repo.path)
        #expect(left.status == 1 && left.stdout.hasPrefix("w1: left"))
        let unknown = CLI.run(["alive", "nobody"], in: repo.path)
        #expect(unknown.status == 1 && unknown.stdout.contains("unknown"))
        let bad = CLI.run(["alive", "Not A Name"], in: repo.path)
        #expect(bad.status == 2 && bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func sessionsShowsStateColumnsAndListsLeftOnesOnlyWithAll() throws {
        let repo = try TempRepo()
        _ = CLI.run(["join", "lead", "--role", "coordinator"], in: repo.path)
        let wt = try repo.addWorktree("w1")
        _ = CLI.run(["join", "w1", "--role", "worker"], in: wt)
        _ = CLI.run(["leave"], in: wt)
        let list = CLI.run(["sessions"], in: repo.path)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ").filter { !$0.isEmpty } == ["NAME", "ROLE", "STATE", "LAST-SEEN", "HOST", "WORKTREE"])
        #expect(lines.count == 2 && lines[1].hasPrefix("lead") && lines[1].contains("alive") && lines[1].hasSuffix(repo.path))
        let all = CLI.run(["sessions", "--all", "--json"], in: repo.path)
        let json = try JSONValue.parse(all.stdout)
        #expect(json.arrayValue?.compactMap { $0["state"]?.stringValue } == ["alive", "left"])
    }

    /// The heartbeat notices its watched process's end at once and records it, so the session
    /// reads dead within a second on this host (pid check) and from the recorded end (any host).
    @Test func aSessionWhoseHeartbeatWatchesAKilledPidReadsDeadWithinOneSecond() throws {
        let repo = try TempRepo()
        _ = CLI.run(["join", "w1"], in: repo.path)
        let sleeper = try startSleeper(repo)
        let hb = CLI.run(["heartbeat", "--watch-pid", String(sleeper), "--detach"], in: repo.path)
        #expect(hb.status == 0, "\(hb.stderr)")
        let hbPid = Int32(hb.stdout.split(separator: " ").last.map { String($0.dropLast()) } ?? "") ?? 0
        defer { if hbPid > 0 { kill(hbPid, SIGKILL) } }
        let coord = try repo.coord("w1")
        #expect(try eventually(within: 5) { try coord.lastBeat("w1")?.pid == sleeper })
        #expect(try coord.sessionStatus("w1")?.state == .alive)
        let t0 = Clock.monotonicNanoseconds()
        killChild(sleeper)
        #expect(try eventually(within: 1) { try coord.sessionStatus("w1")?.state == .dead })
        #expect(try eventually(within: 1) { try coord.lastBeat("w1")?.ended == true })
        let elapsed = Double(Clock.monotonicNanoseconds() - t0) / 1e9
        #expect(elapsed < 1)
        // What another host sees: only the recorded end, no pid check.
        let record = try #require(try coord.sessionRecord("w1"))
        let beat = try coord.lastBeat("w1")
        let remote = Liveness.judge(record: record, beat: beat, now: Clock.nowMilliseconds(), ttl: 60_000,
                                    localHost: "another-host", fate: { _, _ in .running })
        #expect(remote.state == .dead)
        #expect(eventually(within: 2) { !ProcessRunner.isAlive(hbPid) })
    }

    @Test func aDetachedHeartbeatStopsWhenTheSessionLeaves() throws {
        let repo = try TempRepo()
        _ = CLI.run(["join", "w1"], in: repo.path)
        let hb = CLI.run(["heartbeat", "--every", "50ms", "--detach"], in: repo.path)
        let hbPid = Int32(hb.stdout.split(separator: " ").last.map { String($0.dropLast()) } ?? "") ?? 0
        #expect(hbPid > 0 && ProcessRunner.isAlive(hbPid))
        defer { kill(hbPid, SIGKILL) }
        let coord = try repo.coord("w1")
        let first = try #require(try coord.lastBeat("w1")).at
        #expect(try eventually(within: 5) { try coord.lastBeat("w1")!.at > first + 50 })
        #expect(CLI.run(["leave"], in: repo.path).status == 0)
        #expect(eventually(within: 5) { !ProcessRunner.isAlive(hbPid) })
    }

    @Test func heartbeatRefusesAPidThatIsNotRunning() throws {
        let repo = try TempRepo()
        _ = CLI.run(["join", "w1"], in: repo.path)
        let tip = try repo.coord().store.tip(DocumentID(.beat, "w1"))
        let r = CLI.run(["heartbeat", "--watch-pid", "999999999", "--once"], in: repo.path)
        #expect(r.status == 2 && r.stderr.hasPrefix("git coord: no process 999999999"))
        #expect(try repo.coord().store.tip(DocumentID(.beat, "w1")) == tip)
        for args in [["heartbeat", "--once"], ["heartbeat", "--detach"]] {
            let stranger = CLI.run(args, in: repo.path, session: "never-joined")
            #expect(stranger.status == 2 && stranger.stderr.contains("has not joined"))
        }
        #expect(try repo.coord().store.tip(DocumentID(.beat, "never-joined")) == nil)
    }
}
