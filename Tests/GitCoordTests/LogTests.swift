import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// `git coord log`: one timeline over every document's history.
@Suite struct LogTests {
    /// A repository with operations in three documents at known, interleaved times.
    func history() throws -> (TempRepo, Coord, [String]) {
        let repo = try TempRepo()
        let w1 = try repo.coord("worker-1"), w2 = try repo.coord("worker-2")
        var clock: Int64 = 1_764_079_200_000
        w1.store.now = { clock += 1000; return clock }
        w2.store.now = { clock += 1000; return clock }
        let t = try w1.addTask(TaskDraft(title: "first"))                                    // +1 s
        try w2.store.update(DocumentID(.mail, "worker-1")) { (tx) throws(CoordError) in       // +2 s
            tx.putRecord("messages/a.rec", .object(["text": "hello"]))
            tx.subject = "mail: worker-2 → worker-1 \"hello\""
            tx.operation = "mail.send"
        }
        _ = try w2.claim(t.id)                                                                // +3 s
        try w1.store.update(DocumentID(.state, "worker-1")) { (tx) throws(CoordError) in      // +4 s
            tx.set("keys/goal.lww", ["value": "ship"])
            tx.subject = "state: set goal by worker-1"
            tx.operation = "state.set"
        }
        try w2.markDone(t.id)                                                                 // +5 s
        return (repo, w1, ["board.done", "state.set", "board.claim", "mail.send", "board.add"])
    }

    @Test func theTimelineMergesAllDocumentsNewestFirst() throws {
        let (repo, coord, ops) = try history()
        defer { withExtendedLifetime(repo) {} }
        let entries = try coord.log(LogQuery())
        #expect(entries.map(\.op) == ops)
        #expect(entries.map(\.document) == ["refs/coord/board", "refs/coord/state/worker-1", "refs/coord/board", "refs/coord/mail/worker-1", "refs/coord/board"])
        #expect(entries[0].subject.hasPrefix("board: done T-") && entries[0].session == "worker-2")
        #expect(entries.map(\.time) == entries.map(\.time).sorted(by: >))
    }

    @Test func scopesSinceAndLimitSelectEntries() throws {
        let (repo, coord, _) = try history()
        defer { withExtendedLifetime(repo) {} }
        #expect(try coord.log(LogQuery(scope: .board)).map(\.op) == ["board.done", "board.claim", "board.add"])
        #expect(try coord.log(LogQuery(scope: .mail("worker-1"))).map(\.op) == ["mail.send"])
        #expect(try coord.log(LogQuery(scope: .session("worker-2"))).map(\.op) == ["board.done", "board.claim", "mail.send"])
        #expect(try coord.log(LogQuery(limit: 2)).map(\.op) == ["board.done", "state.set"])
        let all = try coord.log(LogQuery())
        #expect(try coord.log(LogQuery(since: all[2].time)).map(\.op) == ["board.done", "state.set", "board.claim"])
        #expect(throws: CoordError.self) { try coord.log(LogQuery(scope: .mail("Bad Name"))) }
    }

    @Test func timesPrintAndParseInUTC() {
        #expect(TimeText.utc(0) == "1970-01-01 00:00:00Z")
        #expect(TimeText.utc(1_764_079_200_123) == "2025-11-25 14:00:00Z")
        #expect(TimeText.utc(951_827_696_000) == "2000-02-29 12:34:56Z")
        #expect(TimeText.parseDate("2000-02-29T12:34:56Z") == 951_827_696_000)
        #expect(TimeText.parseDate("2000-02-29 12:34") == 951_827_640_000)
        #expect(TimeText.parseDate("2025-11-25") == 1_764_028_800_000)
        #expect(TimeText.parseSince("2h", now: 10_000_000) == 2_800_000)
        #expect(TimeText.parseSince("90s", now: 100_000) == 10_000)
        for bad in ["", "h", "-2h", "2x", "2025-13-01", "2025-11-25T25:00", "yesterday"] {
            #expect(TimeText.parseSince(bad, now: 0) == nil, "\(bad)")
        }
    }
}
