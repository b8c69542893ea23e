#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct LeaseCLITests {
    func leasesTip(_ repo: TempRepo) throws -> ObjectID? { try repo.store().tip(.leases) }

    /// A repository where the sessions the tests write as have joined (writers must have joined),
    /// with no session recorded for its worktree.
    func leaseRepo() throws -> TempRepo {
        let repo = try TempRepo()
        for n in ["coordinator", "worker-0", "worker-1", "worker-2", "worker-3"] { try repo.coord(n).join(n, role: "worker") }
        Files.remove(Identity.worktreeFile(try repo.store()))
        return repo
    }

    func ok(_ args: [String], in dir: String, session: String? = nil) throws -> String {
        let r = CLI.run(args, in: dir, session: session)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return r.stdout.trimmingCharacters()
    }

    /// The issue's race: sessions in two worktrees lease overlapping paths at once, 12 times over;
    /// each time exactly one wins and every other is refused (exit 1) naming the winner.
    @Test func twoWorktreesRacingForOverlappingExclusiveLeasesYieldExactlyOneWinner() throws {
        let repo = try leaseRepo()
        let wt = try repo.addWorktree("second")
        let dirs = [repo.path, repo.path, wt, wt]
        for round in 0..<12 {
            let specs = ["r\(round)/", "r\(round)/a.c", "r\(round)/*.c", "r\(round)/a.c"]
            let results = Racers.run(
                (0..<4).map { [CLI.binary, "-C", dirs[$0], "lease", "add", specs[$0]] }, in: repo.root,
                environments: (0..<4).map { ["GIT_COORD_SESSION": "worker-\($0)"] })
            let winners = results.indices.filter { results[$0].status == 0 }
            #expect(winners.count == 1, "round \(round): \(results.map { "\($0.status) \($0.stderr)" })")
            guard winners.count == 1 else { continue }
            for (i, r) in results.enumerated() where i != winners[0] {
                #expect(r.status == 1 && r.stderr.contains("by worker-\(winners[0])"), "\(r.stderr)")
            }
        }
        let list = try JSONValue.parse(try ok(["lease", "list", "--json"], in: wt))
        #expect(list.arrayValue?.count == 12)
    }

    @Test func badPathspecsAndDurationsExitTwoAndWriteNothing() throws {
        let repo = try leaseRepo()
        _ = try ok(["lease", "add", "keep/"], in: repo.path, session: "worker-1")
        let tip = try leasesTip(repo)
        let cases: [([String], String)] = [
            (["lease", "add", "/etc/passwd"], "absolute"),
            (["lease", "add", "../other"], "'..' leaves the repository root"),
            (["lease", "add", "src/[ab"], "not closed"),
            (["lease", "add", ":(glob)src/**"], "magic"),
            (["lease", "add", ""], "empty"),
            (["lease", "add"], "at least one pathspec"),
            (["lease", "add", "src/", "--ttl", "soon"], "invalid --ttl 'soon'"),
            (["lease", "add", "src/", "--ttl", "0s"], "invalid --ttl '0s'"),
            (["lease", "add", "src/", "--ttl", "-5m"], "--ttl"),
            (["lease", "add", "src/", "--task", "T-999999"], "no task matches"),
            (["lease", "release"], "--all"),
            (["lease", "release", "L-!!"], "not a lease id"),
            (["lease", "check"], "--staged"),
            (["lease", "check", "/elsewhere/x"], "not a path inside the work tree"),
            (["board", "claim", "T-999999", "--lease", "../x"], "'..'"),
        ]
        for (args, text) in cases {
            let r = CLI.run(args, in: repo.path, session: "worker-1")
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(text), "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("git coord: ") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(try leasesTip(repo) == tip, "\(args) moved the leases")
        }
    }

    @Test func checkExitsOneNamingTheHolderAndListShowsLeases() throws {
        let repo = try leaseRepo()
        let id = try ok(["lease", "add", "src/net/", "--reason", "rework retries", "--ttl", "2h"], in: repo.path, session: "worker-2")
        let r = CLI.run(["lease", "check", "src/net/tcp.c", "README.md"], in: repo.path, session: "worker-1")
        #expect(r.status == 1)
        #expect(r.stdout.contains("src/net/tcp.c: leased exclusively by worker-2 (\(id) src/net/"), "\(r.stdout)")
        #expect(!r.stdout.contains("README.md:"))
        #expect(CLI.run(["lease", "check", "src/net/tcp.c"], in: repo.path, session: "worker-2").status == 0)
        let json = try JSONValue.parse(CLI.run(["lease", "check", "src/net/x", "--json"], in: repo.path, session: "worker-1").stdout.trimmingCharacters())
        #expect(json["ok"] == .bool(false) && json["hits"]?.arrayValue?.first?["holder"] == .string("worker-2"))
        let text = try ok(["lease", "list"], in: repo.path)
        #expect(text.contains(id) && text.contains("worker-2") && text.contains("exclusive") && text.contains("\"rework retries\""))
        let released = try ok(["lease", "release", "--all"], in: repo.path, session: "worker-2")
        #expect(released == "released \(id)")
        #expect(try ok(["lease", "list"], in: repo.path) == "no leases in force")
        #expect(try ok(["lease", "list", "--all"], in: repo.path).contains("ended"))
    }

    @Test func theBriefAndSessionsShowEachSessionsLeases() throws {
        let repo = try leaseRepo()
        _ = try ok(["join", "worker-1"], in: repo.path, session: "worker-1")
        _ = try ok(["join", "worker-2"], in: repo.path, session: "worker-2")
        let id = try ok(["lease", "add", "src/net/"], in: repo.path, session: "worker-2")
        let brief = try ok(["brief"], in: repo.path, session: "worker-1")
        #expect(brief.contains("worker-2's: \(id) exclusive src/net/ (keep off)"), "\(brief)")
        let own = try ok(["brief"], in: repo.path, session: "worker-2")
        #expect(own.contains("yours: \(id) exclusive src/net/"), "\(own)")
        let sessions = try JSONValue.parse(try ok(["sessions", "--json"], in: repo.path, session: "worker-1"))
        let w2 = sessions.arrayValue?.first { $0["name"] == .string("worker-2") }
        #expect(w2?["leases"] == .array([.string(id)]))
        #expect(try ok(["sessions"], in: repo.path, session: "worker-1").contains("\(id) src/net/"))
        // A message can name the lease: it goes to the holder, with the lease in the subject.
        _ = try ok(["send", "--lease", id, "-m", "may I change src/net/tcp.c?"], in: repo.path, session: "worker-1")
        let inbox = try JSONValue.parse(try ok(["inbox", "--json"], in: repo.path, session: "worker-2"))
        #expect(inbox.arrayValue?.first?["subject"] == .string("about lease \(id) src/net/"), "\(inbox)")
        #expect(CLI.run(["send", "--lease", "L-zzzzzz", "-m", "x"], in: repo.path, session: "worker-1").status == 2)
    }

    // MARK: The pre-commit guard

    /// A repository with files committed, the guard installed over an existing pre-commit hook,
    /// and worker-2 leasing src/net/ exclusively.
    func guarded() throws -> (TempRepo, String, String) {
        let repo = try leaseRepo()
        for f in ["src/net/a.c", "src/net/b.c", "src/util.c", "docs/x.md"] {
            Files.makeFolders(Files.parent(of: repo.path + "/" + f))
            Files.writeAtomically(repo.path + "/" + f, "\(f)\n")
        }
        try Shell.git(["-C", repo.path, "add", "-A"])
        try Shell.git(["-C", repo.path, "commit", "-qm", "files"])
        let hooks = repo.path + "/.git/hooks"
        Files.makeFolders(hooks)
        let original = "#!/bin/sh\necho ran >> \"$(git rev-parse --git-common-dir)/chained-ran\"\n"
        Files.writeAtomically(hooks + "/pre-commit", original)
        chmod(hooks + "/pre-commit", 0o755)
        #expect(try ok(["hooks", "install", "git"], in: repo.path).contains("now pre-commit.before-git-coord"))
        let id = try ok(["lease", "add", "src/net/", "--reason", "rework retries"], in: repo.path, session: "worker-2")
        return (repo, id, original)
    }

    func commit(_ dir: String, _ extra: [String] = []) -> Shell.Result {
        let path = Files.parent(of: CLI.binary) + ":" + (ProcessEnvironment.get("PATH") ?? "/usr/bin:/bin")
        return Shell.run(["git", "-C", dir, "commit", "-qm", "change"] + extra, environment: ["PATH": path, "GIT_COORD_SESSION": "worker-1"])
    }

    @Test func thePreCommitGuardRefusesLeasedPathsRenamesAndDeletionsAndAllowsTheRest() throws {
        let (repo, id, _) = try guarded()
        let wt = try repo.addWorktree("second")  // every worktree runs the common hook
        for dir in [repo.path, wt] {
            Files.writeAtomically(dir + "/src/net/a.c", "changed\n")
            try Shell.git(["-C", dir, "add", "src/net/a.c"])
            let r = commit(dir)
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.contains("src/net/a.c: leased exclusively by worker-2 (\(id) src/net/"), "\(r.stderr)")
            #expect(r.stderr.contains("git commit --no-verify"), "\(r.stderr)")
            try Shell.git(["-C", dir, "reset", "-q", "--hard"])
        }
        let cases: [(String, [[String]])] = [
            ("rename out of the leased folder", [["mv", "src/net/b.c", "src/b.c"]]),
            ("rename into the leased folder", [["mv", "src/util.c", "src/net/util.c"]]),
            ("deletion", [["rm", "-q", "src/net/b.c"]]),
        ]
        for (what, steps) in cases {
            for s in steps { try Shell.git(["-C", wt] + s) }
            let r = commit(wt)
            #expect(r.status == 1 && r.stderr.contains("leased exclusively by worker-2"), "\(what): \(r.stderr)")
            try Shell.git(["-C", wt, "reset", "-q", "--hard"])
        }
        // commit -a and commit PATH commit from another index (GIT_INDEX_FILE): checked too.
        Files.writeAtomically(wt + "/src/net/a.c", "changed, not staged\n")
        let all = commit(wt, ["-a"])
        #expect(all.status == 1 && all.stderr.contains("src/net/a.c: leased"), "commit -a: \(all.stderr)")
        let named = commit(wt, ["src/net/a.c"])
        #expect(named.status == 1 && named.stderr.contains("src/net/a.c: leased"), "commit PATH: \(named.stderr)")
        try Shell.git(["-C", wt, "reset", "-q", "--hard"])
        // Other paths pass, and the hook that was there before still runs after the guard.
        Files.writeAtomically(wt + "/docs/x.md", "changed\n")
        try Shell.git(["-C", wt, "add", "docs/x.md"])
        let allowed = commit(wt)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(Files.readString(repo.path + "/.git/chained-ran") == "ran\n")
        // --no-verify bypasses it as git does.
        try Shell.git(["-C", wt, "rm", "-q", "src/net/b.c"])
        #expect(commit(wt, ["--no-verify"]).status == 0)
        // Once released, the same change goes in.
        _ = try ok(["lease", "release", id], in: repo.path, session: "worker-2")
        Files.writeAtomically(repo.path + "/src/net/a.c", "changed\n")
        try Shell.git(["-C", repo.path, "add", "src/net/a.c"])
        #expect(commit(repo.path).status == 0)
    }

    @Test func uninstallPutsBackTheHookThatWasThereAndCoreHooksPathIsRespected() throws {
        let (repo, _, original) = try guarded()
        #expect(try ok(["hooks", "install", "git"], in: repo.path).contains("already"))
        #expect(try ok(["hooks", "uninstall", "git"], in: repo.path).contains("put back"))
        #expect(Files.readString(repo.path + "/.git/hooks/pre-commit") == original)
        #expect(!Files.exists(repo.path + "/.git/hooks/pre-commit.before-git-coord"))

        try Shell.git(["-C", repo.path, "config", "core.hooksPath", ".githooks"])
        _ = try ok(["hooks", "install", "git"], in: repo.path)
        #expect(Files.readString(repo.path + "/.githooks/pre-commit")?.contains(GitHookGuard.marker) == true)
        Files.writeAtomically(repo.path + "/src/net/a.c", "changed\n")
        try Shell.git(["-C", repo.path, "add", "src/net/a.c"])
        #expect(commit(repo.path).status == 1)
        _ = try ok(["hooks", "uninstall", "git"], in: repo.path)
        #expect(!Files.exists(repo.path + "/.githooks/pre-commit"))
        #expect(commit(repo.path).status == 0)
    }

    // MARK: The Claude Code PreToolUse guard

    static let fixtures = Files.parent(of: Files.parent(of: Files.parent(of: #filePath))) + "/Fixtures/hooks"

    /// A recorded payload with its project folder moved to `root`.
    func payload(_ name: String, root: String) -> String {
        (Files.readString(LeaseCLITests.fixtures + "/" + name) ?? "").replacing("/home/user/project", with: root)
    }

    @Test func preToolUsePayloadsFromTheFixturesAreAnsweredAsTheHooksReferenceSays() throws {
        let repo = try leaseRepo()
        let net = try ok(["lease", "add", "src/net/", "--reason", "rework retries"], in: repo.path, session: "worker-2")
        let nb = try ok(["lease", "add", "notebooks/*.ipynb"], in: repo.path, session: "worker-2")
        Files.makeFolders(repo.path + "/src/net")
        let cases: [(String, String?)] = [
            ("pre-tool-use-edit.json", net),
            ("pre-tool-use-write.json", net),        // a new file in a leased folder
            ("pre-tool-use-multiedit.json", net),
            ("pre-tool-use-notebookedit.json", nb),
            ("pre-tool-use-read.json", nil),         // reading is never refused
        ]
        for (file, lease) in cases {
            let input = payload(file, root: repo.path)
            let r = CLI.run(["hooks", "run", "pre-tool"], in: repo.path, session: "worker-1", input: input)
            #expect(r.status == 0, "\(file): \(r.stderr)")
            guard let lease else {
                #expect(r.stdout.isEmpty, "\(file): \(r.stdout)")
                continue
            }
            let answer = try JSONValue.parse(r.stdout.trimmingCharacters())
            let out = answer["hookSpecificOutput"]
            #expect(out?["hookEventName"] == .string("PreToolUse"), "\(file)")
            #expect(out?["permissionDecision"] == .string("deny"), "\(file)")
            let reason = out?["permissionDecisionReason"]?.stringValue ?? ""
            #expect(reason.contains("leased exclusively by worker-2") && reason.contains(lease), "\(file): \(reason)")
            // The holder itself is let through.
            let own = CLI.run(["hooks", "run", "pre-tool"], in: repo.path, session: "worker-2", input: input)
            #expect(own.status == 0 && own.stdout.isEmpty, "\(file): \(own.stdout)")
        }
        // A path outside the repository, and a payload that is not JSON: nothing to say.
        let outside = payload("pre-tool-use-edit.json", root: repo.root + "/elsewhere")
        #expect(CLI.run(["hooks", "run", "pre-tool"], in: repo.path, session: "worker-1", input: outside).stdout.isEmpty)
        #expect(CLI.run(["hooks", "run", "pre-tool"], in: repo.path, session: "worker-1", input: "{oops").stdout.isEmpty)
    }

    @Test func hooksInstallClaudeAddsThePreToolUseGuardOnFileWritingTools() throws {
        let repo = try leaseRepo()
        _ = try ok(["hooks", "install", "claude", "--scope", "project"], in: repo.path)
        let settings = try JSONValue.parse(Files.readString(repo.path + "/.claude/settings.json") ?? "")
        let group = settings["hooks"]?["PreToolUse"]?.arrayValue?.first
        #expect(group?["matcher"] == .string("Edit|Write|MultiEdit|NotebookEdit"))
        #expect(group?["hooks"]?.arrayValue?.first?["command"] == .string(ClaudeSettings.command("pre-tool", binary: CLI.binary)))
    }
}
