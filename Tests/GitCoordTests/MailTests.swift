import CoordTestSupport
import GitCoord
import GitCoordStore
import PropertyBased
import Testing
#if canImport(Foundation)
import Foundation
#endif

/// A repository with joined sessions, each with its own `Coord`.
struct MailFixture {
    let repo: TempRepo
    let coords: [String: Coord]

    init(_ sessions: [(String, String?)] = [("alice", "coordinator"), ("bob", "worker"), ("carol", "worker")]) throws {
        repo = try TempRepo()
        var c: [String: Coord] = [:]
        for (name, role) in sessions {
            let coord = try repo.coord(name)
            try coord.join(name, role: role)
            c[name] = coord
        }
        coords = c
    }

    subscript(_ name: String) -> Coord { coords[name]! }

    func tip(_ ref: String) throws -> ObjectID? { try coords.values.first!.store.referenceTarget(ref) }

    /// Every ref under refs/coord with its target, to check that nothing moved.
    func refs() throws -> [String: ObjectID] {
        var out: [String: ObjectID] = [:]
        for r in try coords.values.first!.store.references(matching: "refs/coord/*") { out[r.name] = r.target }
        return out
    }

    func commitCount(_ ref: String) throws -> Int {
        Int(try Shell.git(["-C", repo.path, "rev-list", "--count", ref]).mailTrimmed()) ?? -1
    }
}

@Suite struct MailTests {
    @Test func sendPutsOneRecordInEachRecipientsMailboxAndANoteInTheSenders() throws {
        let f = try MailFixture()
        let m = try f["alice"].send(Outgoing(to: ["bob", "carol"], body: "hello", subject: "hi", urgent: true))
        #expect(m.id.hasPrefix("m-") && m.id.count == 14)
        for who in ["bob", "carol"] {
            let items = try f[who].inbox()
            #expect(items.map(\.message.id) == [m.id])
            #expect(items[0].message.body == "hello" && items[0].message.subject == "hi" && items[0].message.urgent)
            #expect(items[0].message.to == ["bob", "carol"] && !items[0].read)
        }
        #expect(try f["alice"].inbox().isEmpty)
        let sent = try f["alice"].sent()
        #expect(sent.map(\.sent.id) == [m.id])
        #expect(sent[0].receipts.map(\.recipient) == ["bob", "carol"])
    }

    @Test func atAllReachesEveryJoinedSessionButTheSenderAndAtRoleOnlyThatRole() throws {
        let f = try MailFixture()
        let all = try f["alice"].send(Outgoing(to: ["@all"], body: "to all"))
        #expect(all.to == ["bob", "carol"])
        let workers = try f["bob"].send(Outgoing(to: ["@worker"], body: "to workers"))
        #expect(workers.to == ["carol"])
        let coordinators = try f["bob"].send(Outgoing(to: ["@coordinator", "carol"], body: "x"))
        #expect(coordinators.to == ["alice", "carol"])
        #expect(throws: CoordError.self) { try f["alice"].send(Outgoing(to: ["@reviewer"], body: "x")) }
    }

    /// `inbox --limit N` and `sent --limit N` read only the newest time windows; whatever the
    /// times (here over 200 days, so ids wrap around their 1,024 windows four times), they give
    /// exactly the newest N of the whole mailbox, also with --from.
    @Test func theNewestNFromTheLatestWindowsAreTheNewestOfTheWholeMailbox() async throws {
        await forAll(count: 10, input: Gen.int(in: 0...1_000_000).array(of: 15...45)) { offsets in
            let f = try MailFixture([("alice", nil), ("bob", nil), ("carol", nil)])
            let base = Clock.nowMilliseconds() - 200 * 86_400_000
            for (k, o) in offsets.enumerated() {
                let sender = k % 3 == 0 ? "carol" : "alice"
                let at = base + Int64(o) * 17_280  // anywhere in the 200 days
                f[sender].store.now = { at }
                try f[sender].send(Outgoing(to: ["bob"], body: "m\(k)"))
            }
            let all = try f["bob"].inbox().map(\.message.id)
            let fromCarol = try f["bob"].inbox(InboxQuery(from: "carol")).map(\.message.id)
            let sent = try f["alice"].sent().map(\.sent.id)
            for n in [1, 2, 5, 14, 100] {
                #expect(try f["bob"].inbox(InboxQuery(limit: n)).map(\.message.id) == Array(all.suffix(n)))
                #expect(try f["bob"].inbox(InboxQuery(from: "carol", limit: n)).map(\.message.id) == Array(fromCarol.suffix(n)))
                #expect(try f["alice"].sent(limit: n).map(\.sent.id) == Array(sent.suffix(n)))
            }
        }
    }

    @Test func listingDoesNotMarkReadButShowDoesAndAddsNoHistory() throws {
        let f = try MailFixture()
        let a = try f["alice"].send(Outgoing(to: ["bob"], body: "one"))
        let b = try f["alice"].send(Outgoing(to: ["bob"], body: "two"))
        #expect(try f["bob"].inbox(InboxQuery(unreadOnly: true)).map(\.message.id) == [a.id, b.id])
        #expect(try f["bob"].inbox(InboxQuery(unreadOnly: true)).count == 2)
        let mailCommits = try f.commitCount("refs/coord/mail/bob")
        // Both ids start with m- and the same time-window pair: 5 random characters make the
        // prefix unique but for a 1 in 33 million chance (6 left only 2, and collided 1 in 1,024).
        let shown = try f["bob"].show(String(a.id.prefix(9)))
        #expect(shown.message.body == "one" && !shown.read)
        #expect(try f["bob"].unreadIDs() == [b.id])
        #expect(try f["bob"].inbox().map(\.read) == [true, false])
        _ = try f["bob"].show(b.id)
        #expect(try f["bob"].unreadIDs().isEmpty)
        #expect(try f.commitCount("refs/coord/mail/bob") == mailCommits, "reading must not write the mailbox")
        #expect(try f.commitCount("refs/coord/seen/bob") == 1, "read marks keep one parentless commit")
    }

    @Test func ackIsASyncedReceiptTheSenderSeesAndASecondAckKeepsTheFirst() throws {
        let f = try MailFixture()
        let m = try f["alice"].send(Outgoing(to: ["bob", "carol"], body: "please confirm", ackRequired: true))
        #expect(try f["alice"].sent(unackedOnly: true).map(\.sent.id) == [m.id])
        let (ack, new) = try f["bob"].ack(m.id, note: "done")
        #expect(new && ack.by == "bob" && ack.note == "done")
        let (again, newAgain) = try f["bob"].ack(String(m.id.prefix(8)), note: "changed my mind")
        #expect(!newAgain && again.note == "done")
        let receipts = try f["alice"].sent()[0].receipts
        #expect(receipts.map(\.read) == [true, false])
        #expect(receipts.map { $0.ack?.note } == ["done", nil])
        #expect(try f["alice"].sent(unackedOnly: true).count == 1)
        try f["carol"].ack(m.id)
        #expect(try f["alice"].sent(unackedOnly: true).isEmpty)
        #expect(try f["bob"].inbox()[0].acked)
    }

    @Test func replyJoinsTheThreadAndThreadShowsBothSides() throws {
        let f = try MailFixture()
        let q = try f["alice"].send(Outgoing(to: ["bob"], body: "question"))
        let a = try f["bob"].send(Outgoing(to: ["alice"], body: "answer", replyTo: String(q.id.prefix(5))))
        #expect(a.replyTo == q.id && a.thread == q.id)
        let b = try f["alice"].send(Outgoing(to: ["bob"], body: "thanks", replyTo: a.id))
        #expect(b.thread == q.id)
        _ = try f["alice"].send(Outgoing(to: ["bob"], body: "unrelated"))
        #expect(try f["alice"].thread(a.id).map(\.message.body) == ["question", "answer", "thanks"])
        #expect(try f["bob"].thread(q.id).map(\.message.body) == ["question", "answer", "thanks"])
    }

    @Test func ambiguousAndUnknownIdsAreRefusedAsBadInput() throws {
        let f = try MailFixture()
        var ids: [String] = []
        for i in 0..<40 { ids.append(try f["alice"].send(Outgoing(to: ["bob"], body: "n\(i)")).id) }
        // 40 ids over 32 first characters: at least two share one.
        let firsts = Dictionary(grouping: ids, by: { $0.prefix(3) })
        let shared = try #require(firsts.first { $0.value.count > 1 }?.key)
        let error = #expect(throws: CoordError.self) { try f["bob"].show(String(shared)) }
        #expect(error?.exitCode == 2 && error?.message.contains("ambiguous") == true)
        let unknown = #expect(throws: CoordError.self) { try f["bob"].show("m-" + String(repeating: "z", count: 12)) }
        #expect(unknown?.exitCode == 2 && unknown?.message.contains("no message") == true)
        let bad = #expect(throws: CoordError.self) { try f["bob"].show("T-4k2m") }
        #expect(bad?.exitCode == 2)
        #expect(try f["bob"].unreadIDs().count == 40)
    }

    @Test func badInputIsRefusedWithExit2AndNothingWritten() throws {
        let f = try MailFixture()
        try f["alice"].store.setConfig("coord.maxMessageBytes", "100")
        let before = try f.refs()
        let cases: [Outgoing] = [
            Outgoing(to: ["bob"], body: ""),
            Outgoing(to: ["bob"], body: "  \n"),
            Outgoing(to: ["bob"], body: String(repeating: "x", count: 101)),
            Outgoing(to: ["dave"], body: "x"),
            Outgoing(to: ["bob", "Bad Name"], body: "x"),
            Outgoing(to: [], body: "x"),
            Outgoing(to: ["bob"], body: "x", replyTo: "m-zzzz"),
            Outgoing(to: ["bob"], body: "x", replyTo: "nonsense"),
            Outgoing(to: ["bob"], body: "x", subject: "two\nlines"),
        ]
        for c in cases {
            let error = #expect(throws: CoordError.self) { try f["alice"].send(c) }
            #expect(error?.exitCode == 2, "\(c)")
        }
        #expect(throws: CoordError.self) { try f["bob"].ack("m-zzzz") }
        #expect(throws: CoordError.self) { try f["bob"].inbox(InboxQuery(from: "No!")) }
        #expect(try f.refs() == before)
        #expect(try f["alice"].send(Outgoing(to: ["bob"], body: String(repeating: "x", count: 100))).body.count == 100)
        #expect(try f["alice"].send(Outgoing(to: ["dave"], body: "x", allowUnknown: true)).to == ["dave"])
    }

    @Test func aMalformedRecordFromAPeerIsSkippedNotACrash() throws {
        let f = try MailFixture()
        let good = try f["alice"].send(Outgoing(to: ["bob"], body: "fine"))
        let forged = "m-" + String(repeating: "0", count: 12)
        try f["alice"].store.update(Mail.mailbox("bob"), as: "alice") { (tx) throws(CoordError) in
            tx.put(Mail.messagePath(forged), Array("{not json".utf8))
            tx.putRecord(Mail.messagePath("m-" + String(repeating: "1", count: 12)), .object(["id": "m-999999999999", "from": "x", "body": "b", "sentAt": 1]))
        }
        #expect(try f["bob"].inbox().map(\.message.id) == [good.id])
        #expect(try f["bob"].unreadIDs() == [good.id])
    }

    @Test func waitReturnsNilAfterTheTimeOutAndTheMessagesOnceOneArrives() throws {
        let f = try MailFixture()
        #expect(try f["bob"].waitForMail(timeoutMs: 100) == nil)
        let m = try f["alice"].send(Outgoing(to: ["bob"], body: "now"))
        #expect(try f["bob"].waitForMail(timeoutMs: 100)?.map(\.message.id) == [m.id])
        #expect(try f["bob"].waitForMail(timeoutMs: 100, from: "carol") == nil)
    }

    /// Read marks are a grow-only set: marks written at once by several writers of one session
    /// all survive the compare-and-swap on the history-less document, including the race to
    /// create it (the first marks of a session).
    @Test func concurrentReadMarksAreAllKept() throws {
        let f = try MailFixture([("alice", nil), ("bob", nil)])
        var ids: [String] = []
        for i in 0..<40 { ids.append(try f["alice"].send(Outgoing(to: ["bob"], body: "n\(i)")).id) }
        let path = f.repo.path
        let done = DispatchGroup()
        let errors = Errors()
        for part in 0..<4 {
            let mine = Array(ids[(part * 10)..<(part * 10 + 10)])
            done.enter()
            Thread {
                do {
                    let bob = Coord(store: CoordStore(repository: try Repository.open(at: path), session: "bob"))
                    for id in mine { try bob.markRead([id]) }
                } catch { errors.add("\(error)") }
                done.leave()
            }.start()
        }
        done.wait()
        #expect(errors.all.isEmpty, "\(errors.all)")
        #expect(try Self.scanUnread(f["bob"]).isEmpty, "a mark was lost")
        #expect(try f["bob"].unreadIDs().isEmpty)
        #expect(try f.commitCount("refs/coord/seen/bob") == 1)
    }

    @Test func limitKeepsTheOldestUnreadAndTheNewestOtherwise() throws {
        let f = try MailFixture()
        var ids: [String] = []
        for i in 0..<5 { ids.append(try f["alice"].send(Outgoing(to: ["bob"], body: "n\(i)")).id) }
        #expect(try f["bob"].inbox(InboxQuery(unreadOnly: true, limit: 2)).map(\.message.id) == Array(ids.prefix(2)))
        #expect(try f["bob"].inbox(InboxQuery(limit: 2)).map(\.message.id) == Array(ids.suffix(2)))
        #expect(try f["bob"].inbox(InboxQuery(from: "carol")).isEmpty)
    }

    /// The unread index is only an accelerator: after any mix of sends and reads, with or without
    /// its cache, it answers what a full scan of both documents answers, and both hold exactly
    /// the messages sent and not yet read.
    @Test func unreadIndexAgreesWithAFullScanAfterAnyOperations() async throws {
        let f = try MailFixture([("alice", nil), ("bob", nil)])
        let bob = f["bob"]
        var unread = Set<String>()  // what the steps so far leave unread
        await forAll(count: 12, input: Gen.int(in: 0...5).array(of: 1...6)) { steps in
            for s in steps {
                let oldestFirst = unread.sorted()
                switch s {
                case 0, 1, 2: unread.insert(try f["alice"].send(Outgoing(to: ["bob"], body: "m\(s)")).id)
                case 3:
                    if let first = oldestFirst.first {
                        #expect(try bob.show(first).message.id == first)
                        unread.remove(first)
                    }
                case 4:
                    try bob.markRead(Array(oldestFirst.suffix(2)))
                    unread.subtract(oldestFirst.suffix(2))
                default: Files.removeTree(Files.join(bob.store.localFolder, "cache"))
                }
                #expect(try bob.unreadIDs() == unread.sorted(), "after step \(s) of \(steps)")
                #expect(try Self.scanUnread(bob) == unread.sorted(), "after step \(s) of \(steps)")
            }
        }
    }

    static func scanUnread(_ coord: Coord) throws -> [String] {
        let box = try coord.store.snapshot(Mail.mailbox("bob"))
        let seen = try coord.store.snapshot(Mail.seen("bob"))
        let read = Set(try seen.blobs(under: "read").map { Shard.id(fromPath: $0.path) })
        return try box.blobs(under: "msgs").map { Shard.id(fromPath: $0.path) }.filter { !read.contains($0) }.sorted()
    }
}

/// Errors collected from several threads.
final class Errors: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
