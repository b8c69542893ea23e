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

    @Test func anAgentKeepsItsNameAcrossClearAndNeverTakesTheNameOfAnotherLiveAgent() throws {
        let repo = try TempRepo()
        Identity.record("pm", store: try repo.store())
        let me = getpid()
        let a = AgentSession(id: "agent-a", pid: me, pidStart: ProcessIdentity.start(of: me))
        let first = try Coord.open(at: repo.path, agent: a)
        #expect(first.session == "pm" && first.sessionSource == .agent, "a newcomer takes the worktree's free name")
        let second = try Coord.open(at: repo.path, agent: AgentSession(id: "agent-b"))
        #expect(second.session == nil)
        #expect(throws: CoordError.self) { try second.requireSession() }
        let cleared = AgentSession(id: "agent-a-after-clear", pid: me, pidStart: a.pidStart)
        #expect(try Coord.open(at: repo.path, agent: cleared).session == "pm", "same process after /clear: same name")
        let stranger = AgentSession(id: "agent-x", pid: me, pidStart: "another-boot:1")
        #expect(try Coord.open(at: repo.path, agent: stranger).session == nil, "same pid, other start: not the same agent")
        #expect(try Coord.open(at: repo.path, session: "ops", agent: a).session == "ops", "--session wins over the agent")
        #expect(first.agentBindings.name(of: AgentSession(id: "../../etc/passwd")) == nil)
    }

    @Test func aNameHeldByAnAgentWhoseProcessEndedIsFreeAgain() throws {
        let repo = try TempRepo()
        Identity.record("pm", store: try repo.store())
        let gone = ProcessRunner.spawnDetached(["true"], logTo: Files.join(repo.root, "true.log"))!
        let start = ProcessIdentity.start(of: gone)
        #expect(Shell.waitForExit(gone) == 0)
        #expect(!ProcessIdentity.isRunning(gone, start: start))
        let old = AgentSession(id: "agent-old", pid: gone, pidStart: start ?? "boot:1")
        try Coord.open(at: repo.path, agent: old).agentBindings.bind(old, to: "pm")
        #expect(try Coord.open(at: repo.path, agent: AgentSession(id: "agent-new", pid: getpid(), pidStart: ProcessIdentity.start(of: getpid()))).session == "pm")
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
        // Left alone, the sleeper would end by itself after 30 s, with status 0.
        #expect(Shell.waitForExit(sleeper) == 128 + SIGTERM, "the earlier waiter was stopped")
    }

    /// A recorded waiter whose pid now names another process (recorded with another start) is
    /// never signalled: replacing it must not kill a stranger.
    @Test(.enabled(if: ProcessIdentity.bootID != nil))
    func aRecordedWaiterWhosePidWasReusedIsLeftAlone() throws {
        let repo = try TempRepo()
        let w = try repo.coord("w")
        let files = HookFiles(coord: w)
        let stranger = ProcessRunner.spawnDetached(["sleep", "30"], logTo: Files.join(repo.root, "sleep.log"))!
        Files.writeAtomically(files.waiterPidFile("w"), "\(stranger)\n\(ProcessIdentity.bootID!):1\n")
        Coord.replaceWaiter(files: files, session: "w", with: 999_999)
        #expect(files.waiterPid("w") == 999_999)
        // Ended by our SIGKILL, not by a SIGTERM from replaceWaiter: kill(2) settles a fatal
        // signal's fate before it returns, so a SIGTERM sent earlier would have decided the status.
        kill(stranger, SIGKILL)
        #expect(Shell.waitForExit(stranger) == 128 + SIGKILL, "a process with the recorded pid but another start is not the waiter")
    }
}
