#if canImport(Glibc)
import Glibc
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct SyncCommandTests {
    /// A bare remote and two clones, alice's and bob's.
    static func twoClones() throws -> (TempRepo, String, String) {
        let repo = try TempRepo()
        let bare = try repo.addBareRemote()
        return (repo, try repo.clone(bare, as: "alice"), try repo.clone(bare, as: "bob"))
    }

    @Test func syncCarriesAMessageToTheOtherCloneAndSaysWhatMoved() throws {
        let (repo, a, b) = try Self.twoClones()
        defer { withExtendedLifetime(repo) {} }
        #expect(CLI.run(["join", "alice"], in: a).status == 0)
        #expect(CLI.run(["join", "bob"], in: b).status == 0)
        let sent = CLI.run(["send", "bob", "--allow-unknown", "-m", "hello bob"], in: a)
        #expect(sent.status == 0, "\(sent.stderr)")
        let pushed = CLI.run(["sync"], in: a)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stdout.contains("pushed to origin: "))
        #expect(pushed.stdout.contains("mail/bob"))
        let got = CLI.run(["sync", "--json"], in: b)
        #expect(got.status == 0, "\(got.stderr)")
        let json = try JSONValue.parse(got.stdout.trimmingCharacters())
        #expect(json["version"] == 1)
        #expect(json["remote"] == "origin")
        #expect(json["received"]?["mail/bob"] == 1)
        #expect(json["complete"] == true)
        let inbox = CLI.run(["inbox"], in: b)
        #expect(inbox.stdout.contains("hello bob"))
        // With nothing new on either side a sync says so. The commands above note bob's activity,
        // which writes a heartbeat when the last one is over 5 s old (a slow machine): a sync then
        // pushes that beat, and the one after it has nothing left to say.
        var quiet = ""
        #expect(eventually { quiet = CLI.run(["sync"], in: b).stdout; return quiet == "origin: up to date\n" }, "\(quiet)")
    }

    @Test func badInputIsExitTwoWithAOneLineError() throws {
        let (repo, a, _) = try Self.twoClones()
        defer { withExtendedLifetime(repo) {} }
        let noRemote = CLI.run(["sync", "nowhere"], in: a)
        #expect(noRemote.status == 2)
        #expect(noRemote.stderr == "git coord: no remote named 'nowhere': add it with `git remote add nowhere URL` first, or pick one of `git remote`\n")
        let interval = CLI.run(["sync", "--interval", "1s"], in: a)
        #expect(interval.status == 2)
        #expect(interval.stderr.contains("--interval only applies with --watch"))
    }

    @Test func anUnreachableRemoteExitsOneAndSaysWhichRemote() throws {
        let (repo, a, _) = try Self.twoClones()
        try Shell.git(["-C", a, "remote", "set-url", "origin", repo.root + "/gone.git"])
        let r = CLI.run(["sync"], in: a)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("git coord: cannot reach origin: "))
    }

    /// With `sync --watch` running in both clones, a message sent in one is waited for and read in
    /// the other with no manual sync.
    @Test func watchOnBothEndsDeliversAMessageToAWaitingInbox() throws {
        let (repo, a, b) = try Self.twoClones()
        #expect(CLI.run(["join", "alice"], in: a).status == 0)
        #expect(CLI.run(["join", "bob"], in: b).status == 0)
        var pids: [pid_t] = []
        defer { for pid in pids { kill(pid, SIGTERM) } }
        for (dir, name) in [(a, "alice"), (b, "bob")] {
            let pid = try #require(ProcessRunner.spawnDetached([CLI.binary, "sync", "--watch", "--interval", "300ms"], logTo: repo.root + "/watch-\(name).log", in: dir))
            pids.append(pid)
        }
        let sent = CLI.run(["send", "bob", "--allow-unknown", "-m", "over the wire"], in: a)
        #expect(sent.status == 0, "\(sent.stderr)")
        let waited = CLI.run(["inbox", "--wait", "--timeout", "20s"], in: b)
        #expect(waited.status == 0, "\(waited.stderr) \(Files.readString(repo.root + "/watch-alice.log") ?? "")")
        #expect(waited.stdout.contains("over the wire"))
    }
}
