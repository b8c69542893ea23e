import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// Runs that last for weeks: names, foreign and broken refs, leaf size, all-or-nothing sends,
/// doctor and the automatic cleanup (Docs/Faults.md lists each fault and its outcome).
@Suite struct WeeksTests {
    /// The CoordError `body` throws; nil when it throws none.
    func coordError(_ body: () throws -> Void) -> CoordError? {
        do { try body(); return nil } catch let e as CoordError { return e } catch { return CoordError.data("\(error)") }
    }

    func joined(_ names: String...) throws -> TempRepo {
        let repo = try TempRepo()
        for n in names { try repo.coord(n).join(n, role: nil) }
        return repo
    }

    /// Every name the rule accepts is a valid ref-name component, so no accepted name can fail
    /// later as an invalid ref (the names git refuses: `abc.`, `a..b`, `x.lock`).
    @Test func everyAcceptedNameIsAValidRefName() {
        for bad in ["abc.", "a..b", "x.lock", "a.", "..", "a..", "-a", ".a", "A", "a b", "a/b", "a\u{1b}b"] {
            #expect(!SessionName.isValid(bad), "\(bad) accepted")
        }
        let alphabet = Array("ab9._-l")
        var rng = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<20_000 {
            let n = String((0..<Int.random(in: 1...7, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            guard SessionName.isValid(n) else { continue }
            accepted += 1
            for kind in DocumentKind.allCases where kind.isPerSession {
                #expect(Repository.isValidReferenceName(DocumentID(kind, n).refName), "\(n) accepted but refs/coord/\(kind)/\(n) is not a ref name")
            }
        }
        #expect(accepted > 1_000)
    }

    /// An assignee or a `--notify` name must have joined; a writer that never joined is refused.
    @Test func namesThatNeverJoinedAreRefusedWhereverTheyEnterAndNothingIsWritten() throws {
        let repo = try joined("lead")
        let lead = try repo.coord("lead")
        let board = try repo.store().tip(.board)
        for name in ["nobody", "a..b"] {
            #expect(throws: CoordError.self) { try lead.addTask(TaskDraft(title: "t", assign: name)) }
            #expect(throws: CoordError.self) { try lead.runJob(JobSpec(command: ["true"], notify: [name])) }
        }
        #expect(throws: CoordError.self) { try lead.send(Outgoing(to: ["a..b"], body: "x", allowUnknown: true)) }
        #expect(try repo.store().tip(.board) == board)
        #expect(try repo.store().documents(.mail).isEmpty && repo.store().documents(.jobs).isEmpty)
        let ghost = coordError { _ = try repo.coord("ghost").requireJoinedSession() }
        #expect(ghost?.exitCode == 2 && ghost?.message.contains("git coord join ghost") == true)
    }

    /// A ref under `refs/coord/` at an ordinary project commit is refused, never read as empty and
    /// written over; doctor --fix moves it aside (kept), and the document works again.
    @Test func aForeignRefIsNeitherReadAsEmptyNorOverwrittenAndDoctorMovesItAside() throws {
        let repo = try joined("alice", "bob")
        let project = try Shell.git(["-C", repo.path, "rev-parse", "HEAD"]).mailTrimmed()
        try Shell.git(["-C", repo.path, "update-ref", "refs/coord/mail/bob", project])
        let alice = try repo.coord("alice")
        let refused = coordError { try alice.send(Outgoing(to: ["bob"], body: "hi")) }
        #expect(refused?.exitCode == 3 && refused?.message.contains("not a git-coord document") == true && refused?.message.contains("doctor --fix") == true)
        #expect(try Shell.git(["-C", repo.path, "rev-parse", "refs/coord/mail/bob"]).mailTrimmed() == project)
        let found = alice.doctor().filter { $0.check == "refs" && $0.level == .problem }
        #expect(found.count == 1 && found[0].text.contains("refs/coord/mail/bob"))
        let fixed = alice.doctor(fix: true).filter { $0.check == "refs" && $0.level == .problem }
        #expect(fixed.allSatisfy { $0.fixed })
        #expect(try Shell.git(["-C", repo.path, "rev-parse", "refs/coord-aside/coord/mail/bob"]).mailTrimmed() == project)
        // The refused send had written alice's note; the fix finished it, once.
        #expect(try repo.coord("bob").inbox().map(\.message.body) == ["hi"])
        try alice.send(Outgoing(to: ["bob"], body: "again"))
        #expect(try repo.coord("bob").inbox().map(\.message.body) == ["hi", "again"])
    }

    /// A beat ref at a missing object no longer blocks join, heartbeat or alive: it reads as no
    /// beat and the next beat replaces it.
    @Test func aBeatRefAtAMissingObjectDoesNotBlockJoinHeartbeatOrAlive() throws {
        let repo = try TempRepo()
        let common = try repo.store().commonDir
        Files.makeFolders(Files.join(common, "refs/coord/beat"))
        Files.writeAtomically(Files.join(common, "refs/coord/beat/pm"), String(repeating: "ab", count: 20) + "\n")
        let pm = try repo.coord("pm")
        #expect(pm.doctor().contains { $0.check == "refs" && $0.level == .problem && $0.text.contains("beat/pm") })
        try pm.join("pm", role: nil)
        try pm.beat("pm")
        #expect(try pm.sessionStatus("pm")?.state == .alive)
        #expect(!pm.doctor().contains { $0.check == "refs" && $0.level == .problem })
    }

    /// However many messages land in one time window, no leaf folder of a mailbox grows with them:
    /// 400 messages of one window spread over many small leaves (the old layout put all of them in
    /// one leaf that every send rewrote).
    @Test func aBusyWindowSpreadsOverSmallLeaves() throws {
        let repo = try joined("alice", "bob")
        let alice = try repo.coord("alice")
        alice.store.now = { 1_764_079_200_123 }
        for i in 0..<400 { try alice.send(Outgoing(to: ["bob"], body: "m\(i)")) }
        let snap = try repo.store().snapshot(Mail.mailbox("bob"))
        var largest = 0
        func walk(_ folder: String) throws {
            let entries = try snap.entries(folder)
            if entries.allSatisfy({ $0.kind == .blob }) { largest = max(largest, entries.count) }
            for e in entries where e.kind == .tree { try walk(folder + "/" + e.name) }
        }
        try walk("msgs")
        #expect(largest <= 8, "a leaf holds \(largest) of 400 messages")
        #expect(try repo.coord("bob").inbox(InboxQuery(limit: 5)).count == 5)
    }

    /// Records written in the two-level layout of earlier builds stay readable: listed, shown,
    /// acked, and their read marks count.
    @Test func recordsInTheEarlierLayoutStayReadable() throws {
        let repo = try joined("alice", "bob")
        let id = Mail.newID()
        let m = Message(id: id, from: "alice", to: ["bob"], subject: nil, body: "old", replyTo: nil, sentAt: Clock.nowMilliseconds(),
                        stamp: nil, urgent: false, ackRequired: false, thread: id)
        try repo.store("alice").update(Mail.mailbox("bob")) { (tx) throws(CoordError) in
            tx.putRecord(Shard.path("msgs", id, ext: "rec"), m.record)
        }
        let bob = try repo.coord("bob")
        #expect(try bob.inbox(InboxQuery(unreadOnly: true)).map(\.message.id) == [id])
        #expect(try bob.show(String(id.prefix(8))).message.body == "old")
        try repo.store("bob").update(Mail.seen("bob")) { (tx) throws(CoordError) in
            tx.putRecord(Shard.path("read", id, ext: "rec"), Mail.readMark)
        }
        #expect(try bob.inbox(InboxQuery(unreadOnly: true)).isEmpty)
    }

    /// A send whose sender's mailbox cannot be written reaches nobody; one whose delivery fails
    /// after the sender's note is finished by doctor --fix, without a second copy.
    @Test func aFailedSendReachedNobodyOrIsFinishedWithoutADuplicate() throws {
        let repo = try joined("alice", "bob", "carol")
        let common = try repo.store().commonDir
        let alice = try repo.coord("alice")
        alice.store.lockTimeoutSeconds = 0.3
        alice.store.staleLockSeconds = 600
        let lock = Files.join(common, "refs/coord/mail/alice.lock")
        Files.makeFolders(Files.parent(of: lock))
        Files.writeAtomically(lock, "held\n")
        #expect(throws: CoordError.self) { try alice.send(Outgoing(to: ["bob"], body: "first")) }
        #expect(try repo.store().tip(Mail.mailbox("bob")) == nil, "delivered though the send failed")
        Files.remove(lock)

        let carolLock = Files.join(common, "refs/coord/mail/carol.lock")
        Files.writeAtomically(carolLock, "held\n")
        let half = coordError { try alice.send(Outgoing(to: ["bob", "carol"], body: "second")) }
        #expect(half?.message.contains("did not reach carol") == true && half?.message.contains("doctor --fix") == true, "\(String(describing: half))")
        Files.remove(carolLock)
        #expect(alice.doctor().contains { $0.check == "sends" && $0.level == .problem })
        #expect(alice.doctor(fix: true).filter { $0.check == "sends" && $0.level == .problem }.allSatisfy { $0.fixed })
        #expect(try repo.coord("carol").inbox().map(\.message.body) == ["second"])
        #expect(try repo.coord("bob").inbox().map(\.message.body) == ["second"])
        #expect(try alice.unfinishedSends(of: "alice").isEmpty)
    }

    /// Beats leave unreachable objects; once they pass gc.auto, `git gc --auto` writes gc.log and
    /// refuses to run again. git-coord's cleanup (here through doctor --fix) clears that state,
    /// and `git gc --auto` runs again.
    @Test func automaticCleanupBlockedByUnreachableObjectsRunsAgainAfterOurCleanup() throws {
        let repo = try joined("w")
        try Shell.git(["-C", repo.path, "config", "gc.auto", "256"])
        try Shell.git(["-C", repo.path, "config", "coord.autoGC", "false"])
        let w = try repo.coord("w")
        for _ in 0..<1_500 { try w.beat("w") }
        let common = w.store.commonDir
        _ = Shell.run(["git", "--git-dir=\(common)", "gc", "--auto", "--quiet"])
        #expect(repo.waitForDetachedGC(), "a detached git gc still runs")
        #expect(Files.exists(Files.join(common, "gc.log")), "precondition: git gc --auto left gc.log")
        let blocked = Shell.run(["git", "-C", repo.path, "gc", "--auto"])
        #expect(blocked.stderr.contains("gc.log") || blocked.stderr.contains("unreachable"), "\(blocked.stderr)")
        let growth = w.doctor(fix: true).filter { $0.check == "growth" && $0.level == .problem }
        #expect(!growth.isEmpty && growth.allSatisfy { $0.fixed })
        // The cleanup runs detached: wait until it has packed the loose objects.
        #expect(eventually(within: 120) { ObjectCount.measure(commonDir: common).looseObjects < 256 * 2 }, "the cleanup never packed")
        #expect(repo.waitForDetachedGC(), "a detached git gc still runs")
        #expect(!Files.exists(Files.join(common, "gc.log")))
        let again = Shell.run(["git", "-C", repo.path, "gc", "--auto"])
        #expect(again.status == 0 && !again.stderr.contains("gc.log"), "\(again.stderr)")
        #expect(ObjectCount.measure(commonDir: common).looseObjects < 256 * 2)
        #expect(try w.sessionStatus("w")?.state == .alive)
    }

    /// A document in a newer format says which formats this build reads.
    @Test func aNewerFormatSaysWhichFormatsThisBuildReads() throws {
        let repo = try joined("a")
        let blob = try Shell.git(["-C", repo.path, "hash-object", "-w", "--stdin"], input: #"{"format":9,"kind":"state"}"# + "\n").mailTrimmed()
        let tree = try Shell.git(["-C", repo.path, "mktree"], input: "100644 blob \(blob)\t.coord\n").mailTrimmed()
        let commit = try Shell.git(["-C", repo.path, "commit-tree", tree, "-m", "state: from a newer git-coord"]).mailTrimmed()
        try Shell.git(["-C", repo.path, "update-ref", "refs/coord/state/a", commit])
        let newer = coordError { _ = try repo.store().snapshot(DocumentID(.state, "a")) }
        #expect(newer?.message.contains("format 9") == true && newer?.message.contains("reads formats up to 1") == true, "\(String(describing: newer))")
    }

    @Test func controlCharactersAreEscapedForTheTerminal() {
        #expect(TerminalText.escaped("\u{1b}[2Jhi\u{7}") == "\\e[2Jhi\\x07")
        #expect(TerminalText.escaped("a\nb\tc", keepNewlines: true) == "a\nb\tc")
        #expect(TerminalText.escaped("\u{9b}31m") == "\\u{9b}31m")
        #expect(TerminalText.escaped("plain ü") == "plain ü")
    }
}

