import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing
#if canImport(Foundation)
import Foundation
#endif

/// `git coord` mail commands as users run them: the real binary, real worktrees, real processes.
@Suite struct MailCLITests {
    /// A repository whose main worktree joined as alice and a linked worktree `b` as bob.
    struct TwoWorktrees {
        let repo: TempRepo
        let a: String
        let b: String

        init() throws {
            repo = try TempRepo()
            a = repo.path
            b = try repo.addWorktree("b")
            #expect(CLI.run(["join", "alice", "--role", "coordinator"], in: a).status == 0)
            #expect(CLI.run(["join", "bob", "--role", "worker"], in: b).status == 0)
        }

        func refs() throws -> String { try Shell.git(["-C", a, "for-each-ref", "refs/coord"]) }
    }

    func ok(_ r: Shell.Result, _ what: String = "") -> String {
        #expect(r.status == 0, "\(what): \(r.stderr)")
        return r.stdout
    }

    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    @Test func sendInOneWorktreeInboxShowAndAckInAnotherAndTheSenderSeesTheAck() throws {
        let w = try TwoWorktrees()
        let id = ok(CLI.run(["send", "bob", "-m", "please review T-4k2m", "--subject", "review", "--ack-required"], in: w.a)).mailTrimmed()
        #expect(id.hasPrefix("m-"))
        let inbox = try json(ok(CLI.run(["inbox", "--unread", "--json"], in: w.b)))
        let first = try #require(inbox.arrayValue?.first)
        #expect(first["id"] == .string(id) && first["from"] == "alice" && first["body"] == "please review T-4k2m")
        #expect(first["read"] == false && first["to"] == .array(["bob"]) && first["ackRequired"] == true)
        let shown = ok(CLI.run(["show", String(id.prefix(6))], in: w.b))
        #expect(shown.contains("please review T-4k2m") && shown.contains("from:     alice"))
        #expect(ok(CLI.run(["inbox", "--unread"], in: w.b)) == "no unread messages\n")
        #expect(ok(CLI.run(["ack", String(id.prefix(7)), "-m", "on it"], in: w.b)) == "acked \(id)\n")
        let sent = try json(ok(CLI.run(["sent", "--json"], in: w.a)))
        let receipt = try #require(sent.arrayValue?.first?["receipts"]?.arrayValue?.first)
        #expect(receipt["to"] == "bob" && receipt["read"] == true && receipt["ack"]?["note"] == "on it")
        #expect(ok(CLI.run(["sent", "--unacked"], in: w.a)) == "nothing waits for an ack\n")
        #expect(ok(CLI.run(["sent"], in: w.a)).contains("bob: read, acked \"on it\""))
    }

    @Test func waitWakesOnASendFromTheOtherWorktreeAndMarksRead() throws {
        let w = try TwoWorktrees()
        let waiter = CLI.start(["inbox", "--wait", "--timeout", "60s", "--json"], in: w.b)
        // Send once the waiter has looked and armed its watch: only a wake-up can end it.
        #expect(eventually { Shell.isBlockedInPoll(waiter.pid) }, "the waiter never slept in poll()")
        _ = ok(CLI.run(["send", "bob", "-m", "wake up"], in: w.a))
        let r = waiter.wait()
        #expect(r.status == 0, "\(r.stderr)")
        let got = try json(r.stdout)
        #expect(got.arrayValue?.map { $0["body"] } == ["wake up"])
        #expect(ok(CLI.run(["inbox", "--unread"], in: w.b)) == "no unread messages\n")
    }

    @Test func waitWithPeekLeavesMessagesUnreadAndTimesOutWithExit1AndNoOutput() throws {
        let w = try TwoWorktrees()
        let empty = CLI.run(["inbox", "--wait", "--timeout", "200ms"], in: w.b)
        #expect(empty.status == 1 && empty.stdout.isEmpty && empty.stderr.isEmpty)
        _ = ok(CLI.run(["send", "bob", "-m", "one"], in: w.a))
        #expect(ok(CLI.run(["inbox", "--wait", "--peek", "--timeout", "1s"], in: w.b)).contains("one"))
        #expect(ok(CLI.run(["inbox", "--wait", "--timeout", "1s"], in: w.b)).contains("one"))
        #expect(CLI.run(["inbox", "--wait", "--timeout", "100ms"], in: w.b).status == 1)
    }

    @Test func bodyComesFromStandardInputOrAFile() throws {
        let w = try TwoWorktrees()
        _ = ok(CLI.run(["send", "bob", "--subject", "piped"], in: w.a, input: "line 1\nline 2\n"))
        Files.writeAtomically(w.repo.root + "/report.md", "from a file\n")
        _ = ok(CLI.run(["send", "bob", "-F", w.repo.root + "/report.md"], in: w.a))
        let bodies = try json(ok(CLI.run(["inbox", "--json"], in: w.b))).arrayValue?.map { $0["body"] }
        #expect(bodies == ["line 1\nline 2\n", "from a file\n"])
    }

    @Test func everyBadInputIsOneLineExit2AndMovesNoRef() throws {
        let w = try TwoWorktrees()
        let id = ok(CLI.run(["send", "bob", "-m", "x"], in: w.a)).mailTrimmed()
        _ = try Shell.git(["-C", w.a, "config", "coord.maxMessageBytes", "1000"])
        let before = try w.refs()
        let cases: [([String], String, String?)] = [
            (["send", "nobody", "-m", "x"], w.a, nil),
            (["send", "Bob!", "-m", "x"], w.a, nil),
            (["send", "bob", "-m", ""], w.a, nil),
            (["send", "bob"], w.a, ""),
            (["send", "bob", "-F", "/nonexistent/file"], w.a, nil),
            (["send", "bob", "-m", String(repeating: "y", count: 1001)], w.a, nil),
            (["send", "bob", "-m", "x", "-F", "/etc/hostname"], w.a, nil),
            (["send", "bob", "-m", "x", "--reply-to", "m-zzzz"], w.a, nil),
            (["send", "@nosuchrole", "-m", "x"], w.a, nil),
            (["send", "-m", "x"], w.a, nil),
            (["show", "m-zzzzzzzz"], w.b, nil),
            (["show", "nonsense"], w.b, nil),
            (["ack", "m-zzzz"], w.b, nil),
            (["ack", id], w.a, nil),
            (["thread", "m-zzzz"], w.b, nil),
            (["inbox", "--from", "Not A Name"], w.b, nil),
            (["inbox", "--limit", "0"], w.b, nil),
            (["inbox", "--timeout", "1s"], w.b, nil),
        ]
        for (args, dir, input) in cases {
            let r = CLI.run(args, in: dir, input: input)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args)")
            #expect(r.stderr.hasPrefix("git coord: ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(args): \(r.stderr)")
        }
        #expect(try w.refs() == before, "a refused command must not move any ref")
    }

    /// Sixteen sender processes, each sending 100 messages through the binary into one mailbox:
    /// every message lands exactly once and the repository stays fsck-clean.
    @Test func sixteenConcurrentSendersDeliverEveryMessageExactlyOnce() throws {
        let repo = try TempRepo()
        try repo.coord("bob").join("bob", role: "worker")
        for k in 1...16 { try repo.coord("s\(k)").join("s\(k)", role: "sender") }
        _ = try Shell.git(["-C", repo.path, "config", "coord.autoGC", "false"])
        // One thread per sender, each running the binary 100 times in a row: 16 sender
        // processes alive at once, all writing refs/coord/mail/bob.
        let failures = Failures()
        let path = repo.path
        let done = DispatchGroup()
        for k in 1...16 {
            done.enter()
            let thread = Thread {
                for i in 1...100 {
                    let r = CLI.run(["send", "bob", "-m", "s\(k)-\(i)"], in: path, session: "s\(k)")
                    if r.status != 0 { failures.add("s\(k)-\(i): \(r.status) \(r.stderr)") }
                }
                done.leave()
            }
            thread.start()
        }
        done.wait()
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let items = try repo.coord("bob").inbox()
        #expect(items.count == 1600)
        #expect(Set(items.map(\.message.id)).count == 1600)
        let expected = Set((1...16).flatMap { k in (1...100).map { "s\(k)-\($0)" } })
        #expect(Set(items.map(\.message.body)) == expected)
        #expect(try repo.coord("bob").unreadIDs().count == 1600)
        // fsck beside a writer's detached gc could find a pruned file gone.
        #expect(repo.waitForDetachedGC(), "a detached git gc still runs")
        let fsck = Shell.run(["git", "fsck", "--strict", "--no-progress", "--no-dangling"], in: repo.path)
        #expect(fsck.status == 0, "\(fsck.stdout) \(fsck.stderr)")
        for k in [1, 16] { #expect(try repo.coord("s\(k)").sent().count == 100) }
    }
}

private extension String {
    func mailTrimmed() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Failure lines collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
