import CoordTestSupport
@testable import GitCoord
import GitCoordStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct HookRunnerTests {
    @Test func payloadsAreReadLenientlyAndOnlyTheNeededFieldsAreKept() {
        let p = HookPayload(bytes: HookFixtures.bytes("post-tool-use.json"))
        #expect(p == HookPayload(sessionID: "9f1c2e7a-4b3d-4e8a-9c61-2d7b5a0e3f14", cwd: "/home/user/project", event: "PostToolUse", source: nil))
        #expect(HookPayload(bytes: HookFixtures.bytes("session-start-compact.json")).source == "compact")
        for junk in ["", "not json", "[1,2]", "{\"session_id\": 5}", "{\"session_id\": \"\"}"] {
            #expect(HookPayload(bytes: Array(junk.utf8)).sessionID == nil, "\(junk)")
        }
    }

    @Test func theRememberedAgentNameWinsOverTheWorktreeAndTheRegistryIsTheLastResort() throws {
        let repo = try TempRepo()
        let worker = try repo.coord("worker-1")
        try worker.join("worker-1", role: "worker", agentSession: "agent-a")
        let anonymous = try repo.coord(nil)
        let files = HookFiles(coord: anonymous)
        #expect(try anonymous.hookSession(HookPayload(sessionID: "agent-a"), files: files) == "worker-1", "found through the registry")
        #expect(try anonymous.hookSession(HookPayload(sessionID: "agent-b"), files: files) == nil)
        files.remember(agent: "agent-b", as: "worker-2")
        #expect(try worker.hookSession(HookPayload(sessionID: "agent-b"), files: files) == "worker-2", "remembered beats the worktree's")
        #expect(try worker.hookSession(HookPayload(), files: files) == "worker-1")
        #expect(files.session(forAgent: "../../etc/passwd") == nil)
    }

    @Test func theToldListIsPrunedToMessagesStillUnread() throws {
        let repo = try TempRepo()
        let boss = try repo.coord("boss")
        try boss.join("boss", role: "coordinator")
        let w = try repo.coord("w")
        try w.join("w", role: "worker")
        let a = try boss.send(Outgoing(to: ["w"], body: "one"))
        let b = try boss.send(Outgoing(to: ["w"], body: "two"))
        let first = try w.runNotifyHook(.prompt, HookPayload())
        #expect(first.stdout.contains(a.id) && first.stdout.contains(b.id))
        _ = try w.show(a.id)
        let files = HookFiles(coord: w)
        files.markTold((0..<600).map { "m-old\($0)" }, session: "w")
        #expect(try w.runNotifyHook(.postTool, HookPayload()) == .silent)
        #expect(files.told("w") == [b.id])
        #expect(try w.runNotifyHook(.postTool, HookPayload()) == .silent, "still told once only")
    }

    @Test func aSecondWaiterStopsTheFirstAndOnlyTheRecordedOneStays() throws {
        let repo = try TempRepo()
        let w = try repo.coord("w")
        let files = HookFiles(coord: w)
        let sleeper = ProcessRunner.spawnDetached(["sleep", "30"], logTo: Files.join(repo.root, "sleep.log"))!
        Coord.replaceWaiter(files: files, session: "w", with: sleeper)
        #expect(files.waiterPid("w") == sleeper)
        Coord.replaceWaiter(files: files, session: "w", with: 999_999)
        #expect(files.waiterPid("w") == 999_999)
        var gone = false
        for _ in 0..<100 where !gone { gone = !ProcessRunner.isAlive(sleeper); if !gone { Clock.sleep(milliseconds: 20) } }
        #expect(gone, "the earlier waiter was stopped")
    }

    /// A recorded waiter whose pid now names another process (recorded with another start) is
    /// never signalled: replacing it must not kill a stranger.
    @Test(.enabled(if: ProcessIdentity.bootID != nil))
    func aRecordedWaiterWhosePidWasReusedIsLeftAlone() throws {
        let repo = try TempRepo()
        let w = try repo.coord("w")
        let files = HookFiles(coord: w)
        let stranger = ProcessRunner.spawnDetached(["sleep", "30"], logTo: Files.join(repo.root, "sleep.log"))!
        defer { kill(stranger, SIGKILL) }
        Files.writeAtomically(files.waiterPidFile("w"), "\(stranger)\n\(ProcessIdentity.bootID!):1\n")
        Coord.replaceWaiter(files: files, session: "w", with: 999_999)
        #expect(files.waiterPid("w") == 999_999)
        Clock.sleep(milliseconds: 200)
        #expect(ProcessRunner.isAlive(stranger), "a process with the recorded pid but another start is not the waiter")
    }
}
