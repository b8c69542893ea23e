import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct IdentityTests {
    @Test func joinRecordsTheSessionAndWhoamiReadsItBack() throws {
        let repo = try TempRepo()
        let r = CLI.run(["join", "worker-1", "--role", "worker"], in: repo.path)
        #expect(r.status == 0, "\(r.stderr)")
        let who = CLI.run(["whoami"], in: repo.path)
        #expect(who.stdout == "worker-1 (worker)\n")
    }

    @Test func eachWorktreeKeepsItsOwnSessionAndExplicitChoicesWin() throws {
        let repo = try TempRepo()
        let wt = try repo.addWorktree("w2")
        #expect(CLI.run(["join", "coordinator", "--role", "coordinator"], in: repo.path).status == 0)
        #expect(CLI.run(["join", "worker-2"], in: wt).status == 0)
        #expect(CLI.run(["whoami"], in: repo.path).stdout == "coordinator (coordinator)\n")
        #expect(CLI.run(["whoami"], in: wt).stdout == "worker-2\n")
        #expect(CLI.run(["whoami"], in: wt, session: "coordinator").stdout == "coordinator (coordinator)\n")
        #expect(CLI.run(["whoami", "--session", "worker-2"], in: repo.path).stdout == "worker-2\n")
    }

    @Test func withoutASessionCommandsSayHowToJoin() throws {
        let repo = try TempRepo()
        let r = CLI.run(["whoami"], in: repo.path)
        #expect(r.status == 1, "whoami's help says it exits 1 without a session")
        #expect(r.stderr.contains("git coord join NAME"))
    }

    @Test func invalidNamesAreRefusedWithTheRuleAndNothingIsWritten() throws {
        let repo = try TempRepo()
        for bad in ["Worker", "a b", "-x", "x/y", String(repeating: "a", count: 65), "x.lock", ""] {
            let r = CLI.run(["join", bad], in: repo.path)
            #expect(r.status == 2, "\(bad)")
            if !bad.isEmpty, !bad.hasPrefix("-") { #expect(r.stderr.contains("lowercase letters, digits"), "\(bad): \(r.stderr)") }
            #expect(r.stderr.split(separator: "\n").count == 1, "\(bad): \(r.stderr)")
        }
        #expect(try Shell.git(["for-each-ref", "refs/coord/"], in: repo.path).isEmpty)
    }

    @Test func dashCAndGitDirSelectTheRepositoryAsInGit() throws {
        let repo = try TempRepo()
        let viaC = CLI.run(["-C", repo.path, "join", "alpha"], in: "/")
        #expect(viaC.status == 0, "\(viaC.stderr)")
        let viaEnv = CLI.run(["join", "beta"], in: "/", environment: ["GIT_DIR": repo.path + "/.git"])
        #expect(viaEnv.status == 0, "\(viaEnv.stderr)")
        let refs = try Shell.git(["for-each-ref", "--format=%(refname)", "refs/coord/sessions/"], in: repo.path)
        #expect(refs == "refs/coord/sessions/alpha\nrefs/coord/sessions/beta\n")
        #expect(CLI.run(["-C", "/nonexistent", "whoami"], in: "/").status == 2)
    }

    @Test func outsideARepositoryTheErrorSaysSo() {
        let r = CLI.run(["join", "x"], in: "/", environment: ["GIT_CEILING_DIRECTORIES": "/"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not in a git repository"))
    }

    @Test func versionAndHelpWork() {
        #expect(CLI.run(["--version"], in: "/").stdout.hasPrefix("0."))
        let help = CLI.run(["--help"], in: "/")
        #expect(help.status == 0)
        #expect(help.stdout.contains("join"))
        #expect(help.stdout.contains("USAGE: git coord <subcommand>"))
        #expect(help.stdout.contains("See 'git coord help <subcommand>'"))
    }

    /// Help is written for the way the command is typed, `git coord ...`, down to the leaves, and
    /// the footer names the help subcommand that exists (`git coord help board`, not `git help`).
    @Test func helpNamesCommandsAsTyped() {
        let leaf = CLI.run(["board", "claim", "--help"], in: "/")
        #expect(leaf.status == 0)
        #expect(leaf.stdout.contains("USAGE: git coord board claim <task>"))
        let group = CLI.run(["board", "--help"], in: "/")
        #expect(group.stdout.contains("See 'git coord help board <subcommand>'"))
        let viaHelp = CLI.run(["help", "board", "claim"], in: "/")
        #expect(viaHelp.status == 0)
        #expect(viaHelp.stdout == leaf.stdout)
        let bad = CLI.run(["board", "claim"], in: "/")
        #expect(bad.status == 2)
        #expect(bad.stderr == "git coord: Missing expected argument '<task>' (see git coord --help)\n")
    }
}
