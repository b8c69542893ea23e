import CoordTestSupport
import Foundation
import GitCoord
import GitCoordStore

/// Mail: how fast a waiting reader wakes when a message is sent from another worktree, and what
/// `send` and `inbox --unread` cost with 100 versus 100,000 messages already in the mailbox.
enum MailBench {
    static func run(_ bench: Bench) throws {
        bench.section("mail: wake-up latency (inbox --wait in worktree B, send from worktree A)")
        try wakeUp(bench)
        bench.section("mail: cost against mailbox size (10 unread; 100 vs 100,000 messages)")
        try sizeScaling(bench)
    }

    // MARK: Wake-up

    /// Each round starts `git coord inbox --wait` in worktree B, waits until it sleeps in poll(),
    /// runs `git coord send` in worktree A, and times from the sender's exit to the waiter's.
    static func wakeUp(_ bench: Bench) throws {
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "config", "coord.autoGC", "false"])
        let a = repo.path
        let b = try repo.addWorktree("b")
        _ = CLI.run(["join", "alice"], in: a)
        _ = CLI.run(["join", "bob"], in: b)
        let rounds = bench.quick ? 50 : 100
        var latencies: [Double] = []
        var missed = 0
        for i in 0..<rounds {
            let log = repo.root + "/waiter-\(i).out"
            guard let pid = ProcessRunner.spawnDetached([CLI.binary, "inbox", "--wait", "--timeout", "30s"], logTo: log, in: b) else {
                throw CoordError.data("cannot start the waiter")
            }
            let exit = ExitWatch(pid: pid)
            guard eventually(within: 10, { Shell.isBlockedInPoll(pid) }) else { throw CoordError.data("the waiter never went to sleep in poll()") }
            let sent = CLI.run(["send", "bob", "-m", "ping \(i)"], in: a)
            let sendReturned = Clock.monotonicNanoseconds()
            guard sent.status == 0 else { throw CoordError.data("send failed: \(sent.stderr)") }
            let (exited, status) = exit.wait()
            if status != 0 || !(Files.readString(log) ?? "").contains("ping \(i)") { missed += 1 }
            latencies.append(exited > sendReturned ? Double(exited - sendReturned) / 1e6 : 0)
        }
        bench.line("send returns -> waiter returns: \(bench.summary(latencies))")
        bench.line("rounds where the waiter missed its message: \(missed) of \(rounds)")
        bench.line("baseline: a reader polling a shared file every 15 min waits 450,000 ms on average (p99 891,000 ms)")
        let cliSend = bench.samples(bench.quick ? 20 : 50) { i in _ = CLI.run(["send", "bob", "-m", "x\(i)"], in: a) }
        bench.line("for scale, one CLI send (process start to exit): \(bench.summary(cliSend))")
    }

    /// Reaps a child on its own thread and notes the moment it exited.
    final class ExitWatch: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var at: UInt64 = 0
        private var status: Int32 = -1

        init(pid: Int32) {
            let thread = Thread { [self] in
                let ended = try? OS.wait(for: pid, blocking: true)
                at = Clock.monotonicNanoseconds()
                status = ended?.code ?? 0
                done.signal()
            }
            thread.start()
        }

        func wait() -> (UInt64, Int32) {
            done.wait()
            return (at, status)
        }
    }

    // MARK: Size

    /// One filled repository: alice sends, bob reads.
    struct Fixture {
        let repo: TempRepo
        let messages: Int
        var fillSeconds = 0.0
        var rebuildMs = 0.0
        var send: [Double] = []
        var unread: [Double] = []
        var cliSend: [Double] = []
        var cliUnread: [Double] = []
        var cliLatest: [Double] = []

        init(messages: Int, _ bench: Bench) throws {
            self.messages = messages
            repo = try TempRepo()
            try Shell.git(["-C", repo.path, "config", "coord.autoGC", "false"])
            try repo.coord("alice").join("alice", role: nil)
            try repo.coord("bob").join("bob", role: nil)
            let r = repo
            fillSeconds = try bench.time { try MailBench.fill(r, messages: messages, unread: 10) }
            rebuildMs = try bench.time { _ = try r.coord("bob").unreadIDs() } * 1000
        }

        /// Times one in-process send (the repository opened afresh, as a command does).
        mutating func timeSend(_ i: Int) throws {
            let t0 = Clock.monotonicNanoseconds()
            try repo.coord("alice").send(Outgoing(to: ["bob"], body: "measured \(i)"))
            send.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
        }

        /// Makes one message arrive and reads the oldest unread one (untimed), so the listing has
        /// a real difference to apply, then times listing the 10 unread messages.
        mutating func timeUnread(_ i: Int) throws {
            let bob = try repo.coord("bob")
            try repo.coord("alice").send(Outgoing(to: ["bob"], body: "arrives \(i)"))
            let before = try bob.inbox(InboxQuery(unreadOnly: true))
            try bob.markRead(before.dropLast(10).map(\.message.id))
            let t0 = Clock.monotonicNanoseconds()
            let listed = try repo.coord("bob").inbox(InboxQuery(unreadOnly: true))
            unread.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
            guard listed.count == 10 else { throw CoordError.data("expected 10 unread, found \(listed.count)") }
        }

        mutating func timeCLI(_ i: Int) throws {
            var t0 = Clock.monotonicNanoseconds()
            _ = CLI.run(["send", "bob", "-m", "cli \(i)"], in: repo.path, session: "alice")
            cliSend.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
            let bob = try repo.coord("bob")
            try bob.markRead(try bob.inbox(InboxQuery(unreadOnly: true)).dropLast(10).map(\.message.id))
            t0 = Clock.monotonicNanoseconds()
            _ = CLI.run(["inbox", "--unread"], in: repo.path, session: "bob")
            cliUnread.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
            t0 = Clock.monotonicNanoseconds()
            let latest = CLI.run(["inbox", "--limit", "20"], in: repo.path, session: "bob")
            cliLatest.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
            guard latest.stdout.contains("cli \(i)") else { throw CoordError.data("inbox --limit 20 missed the newest message") }
        }
    }

    /// Both mailboxes are filled first; then every round times the small and the large one back
    /// to back, so a busy machine slows both alike.
    static func sizeScaling(_ bench: Bench) throws {
        var small = try Fixture(messages: 100, bench)
        var large = try Fixture(messages: 100_000, bench)
        _ = Shell.run(["sync"])
        let rounds = bench.quick ? 60 : 300
        for i in 0..<rounds { try small.timeSend(i); try large.timeSend(i) }
        for i in 0..<rounds { try small.timeUnread(i); try large.timeUnread(i) }
        for i in 0..<(bench.quick ? 20 : 60) { try small.timeCLI(i); try large.timeCLI(i) }
        bench.line("filled in \(bench.fmt(small.fillSeconds)) s / \(bench.fmt(large.fillSeconds)) s (git fast-import); first unread index build \(bench.fmt(small.rebuildMs)) ms / \(bench.fmt(large.rebuildMs)) ms (once per session, then incremental)")
        func row(_ label: String, _ s: [Double], _ l: [Double]) {
            let p50s = Bench.percentile(s, 50), p50l = Bench.percentile(l, 50)
            let p90s = Bench.percentile(s, 90), p90l = Bench.percentile(l, 90)
            bench.line(label + String(repeating: " ", count: max(1, 32 - label.count)) + "p50 \(bench.fmt(p50s)) ms vs \(bench.fmt(p50l)) ms (x\(bench.fmt(p50l / p50s)))   p90 \(bench.fmt(p90s)) ms vs \(bench.fmt(p90l)) ms (x\(bench.fmt(p90l / p90s)))")
        }
        bench.line("operation (100 msgs vs 100,000 msgs, \(rounds) rounds each, interleaved)")
        row("send, in-process", small.send, large.send)
        row("inbox --unread, in-process", small.unread, large.unread)
        row("git coord send (CLI)", small.cliSend, large.cliSend)
        row("git coord inbox --unread (CLI)", small.cliUnread, large.cliUnread)
        row("git coord inbox --limit 20 (CLI)", small.cliLatest, large.cliLatest)
    }

    /// Writes bob's mailbox with `messages` messages and his read marks for all but the newest
    /// `unread`, through `git fast-import` (one pack, two commits) rather than 100,000 sends. The
    /// messages are spread five minutes apart back from now (100,000 is about a year of mail), with
    /// ids made for the time they were sent, as `send` makes them.
    static func fill(_ repo: TempRepo, messages: Int, unread: Int) throws {
        var stream: [UInt8] = []
        stream.reserveCapacity(messages * 260)
        func add(_ s: String) { stream.append(contentsOf: Array(s.utf8)) }
        func data(_ bytes: [UInt8]) { add("data \(bytes.count)\n"); stream.append(contentsOf: bytes); add("\n") }
        let spacing: Int64 = 300_000
        let start = Clock.nowMilliseconds() - Int64(messages) * spacing
        var ids: [String] = []
        ids.reserveCapacity(messages)
        add("blob\nmark :1\n"); data(Mail.readMark.canonicalBytes)
        add("blob\nmark :2\n"); data(DocumentMarker.bytes(for: .mail))
        add("blob\nmark :3\n"); data(DocumentMarker.bytes(for: .seen))
        let stamp = Stamp(milliseconds: start + Int64(messages) * spacing, counter: 0, session: "alice")
        add("commit \(Mail.mailbox("bob").refName)\ncommitter alice <alice@git-coord.invalid> \(stamp.milliseconds / 1000) +0000\n")
        data(Array(Trailers.message(subject: "mail: bench fill", [("Coord-Session", "alice"), ("Coord-Op", "mail.send"), ("Coord-Stamp", stamp.description)]).utf8))
        add("M 100644 :2 \(DocumentMarker.path)\n")
        for k in 0..<messages {
            let id = Mail.newID(now: start + Int64(k) * spacing)
            ids.append(id)
            let m = Message(id: id, from: "alice", to: ["bob"], subject: "fill \(k)", body: "message \(k) of the fill, a line of ordinary length for a coordination note",
                            replyTo: nil, sentAt: start + Int64(k) * spacing, stamp: nil, urgent: false, ackRequired: false, thread: id)
            add("M 100644 inline \(Mail.messagePath(id))\n")
            data(m.record.canonicalBytes)
        }
        add("\n")
        add("commit \(Mail.seen("bob").refName)\ncommitter bob <bob@git-coord.invalid> \(stamp.milliseconds / 1000) +0000\n")
        data(Array(Trailers.message(subject: "seen: bench fill", [("Coord-Session", "bob"), ("Coord-Op", "mail.read"), ("Coord-Stamp", stamp.description)]).utf8))
        add("M 100644 :3 \(DocumentMarker.path)\n")
        for id in ids.prefix(max(0, messages - unread)) { add("M 100644 :1 \(Mail.readPath(id))\n") }
        add("\n")
        let file = repo.root + "/fill.stream"
        guard Files.writeAtomically(file, stream) else { throw CoordError.data("cannot write \(file)") }
        let r = Shell.run(["sh", "-c", "git fast-import --quiet < '\(file)'"], in: repo.path)
        guard r.status == 0 else { throw CoordError.data("fast-import failed: \(r.stderr)") }
        Files.remove(file)
    }
}
