#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// Several agent sessions in one working directory, each acting as its own session.
@Suite struct AgentSessionCLITests {
    /// One Claude Code agent: its session id and a process standing in for its `claude` process.
    struct Agent {
        let id: String
        let pid: Int32
        var env: [String: String] { ["CLAUDE_CODE_SESSION_ID": id, "CLAUDE_PID": String(pid)] }

        func run(_ args: [String], in dir: String, input: String? = nil) -> Shell.Result {
            CLI.run(args, in: dir, input: input, environment: env)
        }

        /// A recorded payload with its session id and folder replaced.
        func payload(_ fixture: String, cwd: String) -> String {
            Payloads.load(fixture, cwd: cwd).replacingAll(Payloads.agent, with: id)
        }
    }

    static func agents(_ repo: TempRepo, _ ids: [String]) throws -> [Agent] {
        try ids.map { Agent(id: $0, pid: try startSleeper(repo, seconds: 600)) }
    }

    /// Waits until `name`'s Stop waiter has recorded itself.
    static func waiterReady(_ repo: TempRepo, _ name: String) -> Bool {
        eventually(within: 20) { Files.exists(Files.join(repo.path, ".git", "coord", "hooks", name, "waiter.pid")) }
    }

    @Test func threeAgentsInOneWorktreeEachActAsTheirOwnSession() throws {
        let repo = try TempRepo()
        let ids = ["aaaa-1111", "bbbb-2222", "cccc-3333"]
        let agents = try Self.agents(repo, ids)
        defer { agents.forEach { killChild($0.pid) } }
        let (pm, w1, w2) = (agents[0], agents[1], agents[2])
        #expect(pm.run(["join", "pm", "--role", "coordinator"], in: repo.path).status == 0)
        #expect(w1.run(["join", "worker-1", "--role", "worker"], in: repo.path).status == 0)
        #expect(w2.run(["join", "worker-2", "--role", "worker"], in: repo.path).status == 0)
        let taken = w2.run(["join", "pm"], in: repo.path)
        #expect(taken.status == 1 && taken.stderr.contains("held by another live agent session"), "\(taken.stderr)")
        for (agent, name) in [(pm, "pm"), (w1, "worker-1"), (w2, "worker-2")] {
            #expect(agent.run(["whoami"], in: repo.path).stdout == name + (name == "pm" ? " (coordinator)" : " (worker)") + "\n")
            #expect(agent.run(["brief"], in: repo.path).stdout.contains("You are \(name),"))
        }
        #expect(CLI.run(["whoami"], in: repo.path).status != 0, "outside an agent this worktree has no name")

        // Messages reach the agent they are for, and each inbox is its own.
        #expect(pm.run(["send", "worker-1", "-m", "take T-1"], in: repo.path).status == 0)
        #expect(pm.run(["send", "worker-2", "-m", "take T-2"], in: repo.path).status == 0)
        #expect(w1.run(["send", "pm", "-m", "on it"], in: repo.path).status == 0)
        #expect(w1.run(["inbox"], in: repo.path).stdout.contains("take T-1"))
        #expect(!w1.run(["inbox"], in: repo.path).stdout.contains("take T-2"))
        #expect(w2.run(["inbox"], in: repo.path).stdout.contains("take T-2"))
        #expect(pm.run(["inbox"], in: repo.path).stdout.contains("on it"))

        // A claim is made by the agent that ran it.
        let add = pm.run(["board", "add", "fix the flaky test", "--json"], in: repo.path)
        let task = try #require(try JSONValue.parse(Array(add.stdout.utf8))["id"]?.stringValue)
        #expect(w2.run(["board", "claim", task], in: repo.path).status == 0)
        let shown = try JSONValue.parse(Array(pm.run(["board", "show", task, "--json"], in: repo.path).stdout.utf8))
        #expect(shown["claim"]?["by"]?.stringValue == "worker-2" || shown["claimedBy"]?.stringValue == "worker-2", "\(shown.canonicalString)")

        // Each Stop waiter wakes only for its own agent's mail (what came before is told first).
        for agent in [w1, w2] {
            #expect(HookResult.additionalContext(of: agent.run(["hooks", "run", "prompt"], in: repo.path, input: agent.payload("user-prompt-submit.json", cwd: repo.path)).stdout)?.contains("take T-") == true)
        }
        let waiter1 = CLI.start(["hooks", "run", "stop-wait", "--timeout", "60s"], in: repo.path, input: w1.payload("stop.json", cwd: repo.path), environment: w1.env)
        let waiter2 = CLI.start(["hooks", "run", "stop-wait", "--timeout", "60s"], in: repo.path, input: w2.payload("stop.json", cwd: repo.path), environment: w2.env)
        #expect(Self.waiterReady(repo, "worker-1") && Self.waiterReady(repo, "worker-2"))
        #expect(pm.run(["send", "worker-2", "-m", "T-3 is yours too"], in: repo.path).status == 0)
        let woke2 = waiter2.wait()
        #expect(woke2.status == 2 && woke2.stderr.contains("for worker-2") && woke2.stderr.contains("T-3 is yours too"))
        #expect(ProcessRunner.isAlive(waiter1.pid), "worker-1's waiter keeps waiting")
        #expect(pm.run(["send", "worker-1", "-m", "review T-2"], in: repo.path).status == 0)
        let woke1 = waiter1.wait()
        #expect(woke1.status == 2 && woke1.stderr.contains("for worker-1") && woke1.stderr.contains("review T-2"))
        #expect(!woke1.stderr.contains("T-3 is yours too"))
    }

    @Test func threeAgentsKnownOnlyByTheirHookPayloadsGetNamesOfTheirOwn() throws {
        let repo = try TempRepo()
        #expect(CLI.run(["join", "pm", "--role", "coordinator"], in: repo.path).status == 0)
        let ids = ["aaaa-1111", "bbbb-2222", "cccc-3333"]
        func hook(_ kind: String, _ fixture: String, _ id: String) -> Shell.Result {
            let input = Payloads.load(fixture, cwd: repo.path).replacingAll(Payloads.agent, with: id)
            return CLI.run(["hooks", "run", kind], in: repo.path, input: input)
        }
        var names: [String] = []
        for id in ids {
            let r = hook("session-start", "session-start-startup.json", id)
            #expect(r.status == 0)
            let context = HookResult.additionalContext(of: r.stdout) ?? ""
            let name = try #require(context.split(separator: "\n").first { $0.hasPrefix("- You are ") }
                .flatMap { $0.dropFirst("- You are ".count).split(separator: ",").first.map(String.init) }, "\(context)")
            names.append(name)
        }
        #expect(names == ["pm", "pm-2", "pm-3"])
        #expect(HookResult.additionalContext(of: hook("session-start", "session-start-startup.json", ids[1]).stdout)?.contains("- You are pm-2,") == true,
                "a second start of the same agent keeps its name")
        #expect(CLI.run(["send", "pm-2", "-m", "only for the second agent"], in: repo.path, session: "pm").status == 0)
        #expect(hook("prompt", "user-prompt-submit.json", ids[0]).stdout.isEmpty)
        #expect(hook("prompt", "user-prompt-submit.json", ids[2]).stdout.isEmpty)
        let told = hook("prompt", "user-prompt-submit.json", ids[1])
        #expect(HookResult.additionalContext(of: told.stdout)?.contains("only for the second agent") == true)

        let input3 = Payloads.load("stop.json", cwd: repo.path).replacingAll(Payloads.agent, with: ids[2])
        let waiter3 = CLI.start(["hooks", "run", "stop-wait", "--timeout", "60s"], in: repo.path, input: input3)
        #expect(Self.waiterReady(repo, "pm-3"))
        #expect(CLI.run(["send", "pm-3", "-m", "wake the third"], in: repo.path, session: "pm").status == 0)
        let woke = waiter3.wait()
        #expect(woke.status == 2 && woke.stderr.contains("for pm-3") && woke.stderr.contains("wake the third"))
    }

    @Test func clearKeepsTheNameForkGetsANewOneAndSessionEndLeavesAtOnce() throws {
        let repo = try TempRepo()
        #expect(CLI.run(["join", "pm", "--role", "coordinator"], in: repo.path).status == 0)
        let agent = try Self.agents(repo, [Payloads.agent])[0]
        defer { killChild(agent.pid) }
        func hook(_ kind: String, _ fixture: String, _ env: [String: String]) -> Shell.Result {
            var input = Payloads.load(fixture, cwd: repo.path)
            if let id = env["CLAUDE_CODE_SESSION_ID"] {
                for recorded in [Payloads.agent, "c1ea7b2d-5e6f-4a70-8b91-a2b3c4d5e6f7", "f0a1b2c3-d4e5-4f60-9a7b-8c9d0e1f2a3b"] {
                    input = input.replacingAll(recorded, with: id)
                }
            }
            return CLI.run(["hooks", "run", kind], in: repo.path, input: input, environment: env)
        }
        func you(_ r: Shell.Result) -> String? {
            HookResult.additionalContext(of: r.stdout)?.split(separator: "\n").first { $0.hasPrefix("- You are ") }
                .flatMap { $0.dropFirst("- You are ".count).split(separator: ",").first.map(String.init) }
        }
        #expect(you(hook("session-start", "session-start-startup.json", agent.env)) == "pm")

        // /clear: SessionEnd (reason clear), then SessionStart with a new id in the same process.
        #expect(hook("session-end", "session-end-clear.json", agent.env).status == 0)
        #expect(CLI.run(["alive", "pm"], in: repo.path).status == 0, "a clear is not an end")
        let cleared = ["CLAUDE_CODE_SESSION_ID": "c1ea7b2d-5e6f-4a70-8b91-a2b3c4d5e6f7", "CLAUDE_PID": String(agent.pid)]
        #expect(you(hook("session-start", "session-start-clear.json", cleared)) == "pm")
        #expect(CLI.run(["whoami"], in: repo.path, environment: cleared).stdout.hasPrefix("pm"))

        // A fork is a new agent, in a new process or in the same one.
        let forkProcess = try startSleeper(repo, seconds: 600)
        defer { killChild(forkProcess) }
        let forked = ["CLAUDE_CODE_SESSION_ID": "f0a1b2c3-d4e5-4f60-9a7b-8c9d0e1f2a3b", "CLAUDE_PID": String(forkProcess)]
        let forkStart = hook("session-start", "session-start-fork.json", forked)
        #expect(you(forkStart) == "pm-2")
        #expect(HookResult.additionalContext(of: forkStart.stdout)?.contains("pm is held by another agent session, so this agent session is pm-2.") == true)
        #expect(CLI.run(["whoami"], in: repo.path, environment: cleared).stdout.hasPrefix("pm"), "the parent keeps its name")

        // A subagent's tool call does not use up the main agent's announcement.
        #expect(CLI.run(["send", "pm", "-m", "for the main agent"], in: repo.path, session: "pm-2").status == 0)
        #expect(hook("post-tool", "post-tool-use-subagent.json", cleared).stdout.isEmpty)
        let main = hook("post-tool", "post-tool-use.json", cleared)
        #expect(HookResult.additionalContext(of: main.stdout)?.contains("for the main agent") == true)
        #expect(hook("post-tool", "post-tool-use.json", cleared).stdout.isEmpty, "told once")

        // The session ends: alive says left at once, and the name is free for the next agent.
        #expect(hook("session-end", "session-end-exit.json", cleared).status == 0)
        let alive = CLI.run(["alive", "pm", "--json"], in: repo.path)
        #expect(alive.status == 1 && alive.stdout.contains("\"left\""), "\(alive.stdout)")
        let next = try Self.agents(repo, ["dddd-4444"])[0]
        defer { killChild(next.pid) }
        #expect(you(hook("session-start", "session-start-startup.json", next.env)) == "pm")
    }

    @Test func aJoinInAnotherWorktreeDoesNotSilentlyTakeALiveSessionsName() throws {
        let repo = try TempRepo()
        let second = try repo.addWorktree("second")
        #expect(CLI.run(["join", "worker-1"], in: repo.path).status == 0)
        let taken = CLI.run(["join", "worker-1"], in: second)
        #expect(taken.status == 1 && taken.stderr.contains("session 'worker-1' is alive in \(repo.path)"), "\(taken.stderr)")
        #expect(CLI.run(["whoami"], in: second).status == 1, "nothing was recorded for the second worktree")
        #expect(CLI.run(["join", "worker-1"], in: repo.path).status == 0, "the same worktree joins again")
        #expect(CLI.run(["join", "worker-1", "--takeover"], in: second).status == 0)
        #expect(CLI.run(["whoami"], in: second).stdout == "worker-1\n")
    }

    @Test func hooksDoctorFindsACommandClaudeCodeCouldNotRunAndTheDefaultInstallRunsOffPath() throws {
        let repo = try TempRepo()
        #expect(CLI.run(["join", "pm"], in: repo.path).status == 0)
        let noCoordPath = ["PATH": "/usr/bin:/bin"]
        let settings = Files.join(repo.root, "settings.json")
        #expect(CLI.run(["hooks", "install", "claude", "--settings", settings], in: repo.path).status == 0)
        let healthy = CLI.run(["hooks", "doctor", "--settings", settings], in: repo.path, environment: noCoordPath)
        #expect(healthy.status == 0, "\(healthy.stdout)\(healthy.stderr)")
        #expect(healthy.stdout.contains("acts as pm") && !healthy.stdout.contains("PROBLEM"))

        // The installed command itself, run as Claude Code runs it, with git-coord off PATH.
        let command = ClaudeSettings.command("prompt", binary: CLI.binary)
        #expect(Files.readString(settings)?.contains(JSONValue.string(command).canonicalString) == true)
        #expect(CLI.run(["join", "boss"], in: try repo.addWorktree("boss")).status == 0)
        #expect(CLI.run(["send", "pm", "-m", "hello over sh"], in: repo.path, session: "boss").status == 0)
        let ran = Shell.run(["/bin/sh", "-c", command], in: repo.path, input: Payloads.load("user-prompt-submit.json", cwd: repo.path), environment: noCoordPath)
        #expect(ran.status == 0 && ran.stdout.contains("hello over sh"), "\(ran.stdout)\(ran.stderr)")
        // Outside a coordinated repository it prints nothing and exits 0, even for stop-wait.
        let plain = Files.join(repo.root, "plain")
        Files.makeFolders(plain)
        let outside = Shell.run(["/bin/sh", "-c", ClaudeSettings.command("stop-wait", binary: CLI.binary)], in: plain, input: "{}", environment: noCoordPath)
        #expect(outside.status == 0 && outside.stdout.isEmpty && outside.stderr.isEmpty)

        // A hand-written command that needs git-coord on PATH, and one naming a missing binary.
        let broken = Files.join(repo.root, "broken.json")
        let missing = ClaudeSettings.command("stop-wait", binary: "/nonexistent/git-coord")
        Files.writeAtomically(broken, """
            {"hooks": {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "git coord hooks run prompt"}]}],
                       "Stop": [{"hooks": [{"type": "command", "command": \(JSONValue.string(missing).canonicalString)}]}]}}
            """)
        let sick = CLI.run(["hooks", "doctor", "--settings", broken], in: repo.path, environment: noCoordPath)
        #expect(sick.status == 1)
        #expect(sick.stdout.contains("UserPromptSubmit: exits 1: git: 'coord' is not a git command"), "\(sick.stdout)")
        #expect(sick.stdout.contains("Stop: the command never reached git-coord"), "\(sick.stdout)")
        #expect(sick.stdout.contains("SessionEnd: no git coord hook on this event"))
        #expect(sick.stdout.contains("git coord hooks install claude"), "the mend is named")
        // git coord doctor reads the project's settings and says the same in one line.
        Files.makeFolders(Files.join(repo.path, ".claude"))
        Files.writeAtomically(Files.join(repo.path, ".claude", "settings.local.json"), Files.read(broken)!)
        let doctor = CLI.run(["doctor"], in: repo.path, environment: noCoordPath)
        #expect(doctor.status == 1 && doctor.stdout.contains("cannot start git-coord (/nonexistent/git-coord: missing"), "\(doctor.stdout)")
    }
}
