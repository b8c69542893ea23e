#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// Recorded Claude Code payloads (Fixtures/hooks) fed to `git coord hooks run`.
enum Payloads {
    static let folder = Files.parent(of: Files.parent(of: Files.parent(of: #filePath))) + "/Fixtures/hooks"
    static let agent = "9f1c2e7a-4b3d-4e8a-9c61-2d7b5a0e3f14"

    /// A fixture with its recorded cwd replaced by `cwd`.
    static func load(_ name: String, cwd: String) -> String {
        let text = Files.readString(folder + "/" + name) ?? ""
        precondition(!text.isEmpty, "missing fixture \(name)")
        return text.replacingAll("/home/user/project", with: cwd)
    }
}

extension String {
    func replacingAll(_ a: String, with b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}

@Suite struct HookCLITests {
    /// A repository with a coordinator in the main worktree and worker-1 in a linked one.
    struct Team {
        let repo: TempRepo
        let wt: String
        init() throws {
            repo = try TempRepo()
            wt = try repo.addWorktree("w1")
            #expect(CLI.run(["join", "coordinator", "--role", "coordinator"], in: repo.path).status == 0)
            #expect(CLI.run(["join", "worker-1", "--role", "worker"], in: wt).status == 0)
        }

        func hook(_ kind: String, _ fixture: String, in dir: String? = nil) -> Shell.Result {
            let d = dir ?? wt
            return CLI.run(["hooks", "run", kind], in: d, input: Payloads.load(fixture, cwd: d))
        }

        func send(_ args: [String]) -> String {
            CLI.run(["send"] + args, in: repo.path).stdout.trimmingSuffixNewline()
        }
    }

    @Test func sessionStartAnswersTheBriefAsAdditionalContextAndRemembersTheAgent() throws {
        let t = try Team()
        _ = CLI.run(["state", "set", "gate.pr-12", "pass"], in: t.wt)
        let r = t.hook("session-start", "session-start-startup.json")
        #expect(r.status == 0 && r.stderr.isEmpty)
        let brief = "# git coord brief for worker-1\n## You\n- You are worker-1, role worker, in \(t.wt) on \(ProcessRunner.hostName); joined just now.\n## Your state (`git coord state get KEY`)\n- gate.pr-12 = pass (set by worker-1 just now)\n## Other sessions\n- coordinator (coordinator): "
        #expect(r.stdout.hasPrefix(#"{"hookSpecificOutput":{"additionalContext":""# + brief.jsonEscaped))
        #expect(r.stdout.hasSuffix(#"\n","hookEventName":"SessionStart"}}"# + "\n"))
        let record = try Coord.open(at: t.wt).sessionRecord("worker-1")
        #expect(record?.agentSession == Payloads.agent)
    }

    @Test func aResumedAgentKeepsItsNameEvenWhenTheWorktreeJoinedAnother() throws {
        let t = try Team()
        _ = t.hook("session-start", "session-start-startup.json")
        #expect(CLI.run(["join", "worker-9"], in: t.wt).status == 0)
        let r = t.hook("session-start", "session-start-compact.json")
        #expect(r.stdout.contains(#"# git coord brief for worker-1\n"#))
        // A new agent session in that worktree is worker-9.
        let fresh = CLI.run(["hooks", "run", "session-start"], in: t.wt, input: #"{"session_id":"other","hook_event_name":"SessionStart","source":"startup"}"#)
        #expect(fresh.stdout.contains(#"# git coord brief for worker-9\n"#))
    }

    @Test func promptAndPostToolTellEachNewMessageOnceAndAreSilentOtherwise() throws {
        let t = try Team()
        #expect(t.hook("prompt", "user-prompt-submit.json").stdout == "")
        let id = t.send(["worker-1", "--urgent", "--subject", "freeze", "-m", "stop pushing to main"])
        let first = t.hook("prompt", "user-prompt-submit.json")
        #expect(first.status == 0)
        #expect(first.stdout == #"{"hookSpecificOutput":{"additionalContext":"git coord: 1 new message for worker-1 (1 urgent):\n- URGENT "# + id + #" from coordinator: freeze — stop pushing to main\n`git coord inbox` lists them; `git coord show ID` shows one in full.","hookEventName":"UserPromptSubmit"}}"# + "\n")
        #expect(t.hook("prompt", "user-prompt-submit.json").stdout == "")
        #expect(t.hook("post-tool", "post-tool-use.json").stdout == "")
        let id2 = t.send(["worker-1", "-m", "T-2 is ready for you"])
        let tool = t.hook("post-tool", "post-tool-use.json")
        #expect(tool.stdout == #"{"hookSpecificOutput":{"additionalContext":"git coord: 1 new message for worker-1:\n- "# + id2 + #" from coordinator: T-2 is ready for you\n`git coord inbox` lists them; `git coord show ID` shows one in full.","hookEventName":"PostToolUse"}}"# + "\n")
        #expect(t.hook("post-tool", "post-tool-use.json").stdout == "")
        #expect(t.hook("prompt", "user-prompt-submit.json").stdout == "")
    }

    @Test func hooksOutsideARepositoryOrWithoutASessionSayNothingAndNeverBlock() throws {
        let t = try Team()
        let outside = t.repo.root
        for (kind, fixture) in [("prompt", "user-prompt-submit.json"), ("post-tool", "post-tool-use.json"), ("session-start", "session-start-startup.json")] {
            let r = t.hook(kind, fixture, in: outside)
            #expect(r.status == 0 && r.stdout.isEmpty, "\(kind)")
        }
        let noPayload = CLI.run(["hooks", "run", "prompt"], in: t.wt, input: "")
        #expect(noPayload.status == 0 && noPayload.stdout.isEmpty)
    }

    /// Waiters run as real processes started without blocking, so the timing does not depend on
    /// how busy the test runner's threads are.
    @Test func stopWaiterWakesWithinASecondOfASendAndASecondWaiterReplacesTheFirst() throws {
        let t = try Team()
        let pidFile = Files.join(t.repo.path, ".git", "coord", "hooks", "worker-1", "waiter.pid")
        let input = Payloads.load("stop.json", cwd: t.wt)
        let first = CLI.start(["hooks", "run", "stop-wait", "--timeout", "30s"], in: t.wt, input: input)
        let firstPid = Self.waitForPid(pidFile, not: nil)
        #expect(firstPid == first.pid)
        let second = CLI.start(["hooks", "run", "stop-wait", "--timeout", "30s"], in: t.wt, input: input)
        #expect(Self.waitForPid(pidFile, not: firstPid) == second.pid)
        let replaced = first.wait()
        #expect(replaced.status == 0 && replaced.stdout.isEmpty && replaced.stderr.isEmpty)
        // Send once the second waiter has looked and armed its watch: only a wake-up can end it.
        #expect(eventually { Shell.isBlockedInPoll(second.pid) }, "the second waiter never slept in poll()")
        let start = Clock.monotonicNanoseconds()
        let id = t.send(["worker-1", "-m", "wake up: T-3 is yours"])
        let woke = second.wait()
        let ms = Double(Clock.monotonicNanoseconds() - start) / 1e6
        #expect(woke.status == 2)
        #expect(woke.stderr == "git coord: 1 new message for worker-1:\n- \(id) from coordinator: wake up: T-3 is yours\n`git coord inbox` lists them; `git coord show ID` shows one in full.\n")
        #expect(ms < 1000, "woke \(ms) ms after the send")
        #expect(!Files.exists(pidFile))
        // The message was told: the prompt hook does not repeat it.
        #expect(t.hook("prompt", "user-prompt-submit.json").stdout == "")
    }

    static func waitForPid(_ file: String, not old: Int32?) -> Int32 {
        var pid: Int32 = -1
        // waiter.pid: the pid, then the process's start on the next line.
        let recorded = eventually {
            guard let line = Files.readString(file)?.split(separator: "\n").first, let p = Int32(line), p != old else { return false }
            pid = p
            return true
        }
        if !recorded { Issue.record("no waiter pid in \(file)") }
        return pid
    }

    @Test func installThenUninstallThroughTheCLIRestoresTheSettingsFile() throws {
        let repo = try TempRepo()
        let settings = Files.join(repo.path, ".claude", "settings.json")
        let original = Files.read(Payloads.folder + "/settings-with-hooks.json")!
        Files.writeAtomically(settings, original)
        chmod(settings, 0o600)
        let first = CLI.run(["hooks", "install", "claude", "--scope", "project"], in: repo.path)
        #expect(first.status == 0 && first.stdout.hasPrefix("added git coord hooks to "))
        let installed = Files.read(settings)!
        #expect(CLI.run(["hooks", "install", "claude", "--scope", "project"], in: repo.path).stdout.hasPrefix("git coord hooks already in "))
        #expect(Files.read(settings) == installed)
        var st = stat()
        stat(settings, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(CLI.run(["hooks", "uninstall", "claude", "--scope", "project"], in: repo.path).status == 0)
        #expect(Files.read(settings) == original)
        // Local scope: a file that did not exist is created, then removed again.
        let local = Files.join(repo.path, ".claude", "settings.local.json")
        #expect(CLI.run(["hooks", "install", "claude", "--scope", "local"], in: repo.path).status == 0)
        #expect(Files.readString(local) == ClaudeSettings.snippet(binary: CLI.binary))
        #expect(CLI.run(["hooks", "uninstall", "claude", "--scope", "local"], in: repo.path).status == 0)
        #expect(!Files.exists(local))
        #expect(CLI.run(["hooks", "install", "codex"], in: repo.path).status == 2)
    }

    /// Install remembers what the file held (here an empty hooks object and an empty Stop array),
    /// so uninstall gives back the very bytes, also through a relative --settings path.
    @Test func uninstallThroughTheCLIKeepsContainersThatWereThereBefore() throws {
        let repo = try TempRepo()
        let original = "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"Stop\": []\n  }\n}\n"
        Files.writeAtomically(Files.join(repo.path, "custom.json"), original)
        #expect(CLI.run(["hooks", "install", "claude", "--settings", "custom.json"], in: repo.path).status == 0)
        #expect(Files.readString(Files.join(repo.path, "custom.json")) != original)
        #expect(CLI.run(["hooks", "uninstall", "claude", "--settings", "custom.json"], in: repo.path).status == 0)
        #expect(Files.readString(Files.join(repo.path, "custom.json")) == original)
        let receipts = try #require(Files.readString(Files.join(repo.path, ".git", "coord", "hooks", "installs.json")))
        #expect(receipts == "{}\n", "the receipt is dropped once used")
    }

    @Test func printShowsTheClaudeSnippetAndTheGenericCommands() throws {
        let repo = try TempRepo()
        #expect(CLI.run(["hooks", "print", "claude"], in: repo.path).stdout == ClaudeSettings.snippet(binary: CLI.binary))
        let generic = CLI.run(["hooks", "print", "generic"], in: repo.path).stdout
        for kind in ["session-start", "prompt", "stop-wait"] { #expect(generic.contains("git coord hooks run \(kind)")) }
    }
}

extension String {
    /// The text as it appears inside a canonical JSON string.
    var jsonEscaped: String {
        let s = JSONValue.string(self).canonicalString
        return String(s.dropFirst().dropLast())
    }
}
