import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// The fixture night every report test reads: 4 sessions, 200 tasks, 50 jobs (some failing),
/// 2,000 messages, one worker killed mid-task; generated once, in-process, from a fixed seed.
enum FixtureNight {
    static let spec = NightSpec(start: TimeText.parseDate("2026-11-30T22:00")!, seed: 17)
    nonisolated(unsafe) static let made: (repo: TempRepo, truth: NightTruth) = {
        let repo = try! TempRepo()
        return (repo, try! NightFixture.generate(at: repo.path, spec))
    }()
    static var truth: NightTruth { made.truth }
    /// The whole night, liveness judged half a minute after it ends.
    static var query: ReportQuery { ReportQuery(from: spec.start - 60_000, until: spec.end + 60_000, now: spec.end + 30_000) }

    static func report(_ q: ReportQuery = query) throws -> Report {
        try made.repo.coord().report(q)
    }
}

/// `git coord report` in the library: the figures of a generated night are the figures reported.
@Suite struct ReportTests {
    @Test func taskFiguresMatchTheNight() throws {
        let r = try FixtureNight.report(), t = FixtureNight.truth
        #expect(r.tasks.added == t.added && t.added == 200)
        #expect(r.tasks.claimed == t.claims)
        #expect(r.tasks.done == t.done)
        #expect(Set(r.tasks.doneIDs) == Set(t.doneIDs))
        #expect(r.tasks.reopened == t.reopened && t.reopened == 3)
        #expect(r.tasks.released == t.released && t.released == 2)
        #expect(r.tasks.openNow == t.notDone)
        #expect(r.tasks.blockedNow == t.blockedIDs.count && t.blockedIDs.count == 10)
        #expect(Set(r.open.filter(\.isBlocked).map(\.task.id)) == Set(t.blockedIDs))
        #expect(r.tasks.heldNow == 1 && r.open.first { $0.task.claimedBy != nil }?.task.id == t.stranded)
        let waits = r.open.filter(\.isBlocked).flatMap(\.waitsFor)
        #expect(waits.allSatisfy { $0.task == t.stranded && $0.holder == t.killed && $0.holderState == .dead })
        #expect(r.claims.filter { $0.end == .held }.map(\.task) == [t.stranded])
        #expect(r.eventCount == t.operations)
        #expect(r.text.contains("Waiting: 10 tasks wait for \(t.stranded) (held by \(t.killed), dead)."))
        #expect(r.text.contains("Tasks: \(t.added) added, \(t.claims) claimed, \(t.done) done, \(t.reopened) reopened, \(t.released) released; now \(t.notDone) not done (10 blocked, 1 held)."))
    }

    @Test func everyJobIsReportedWithItsOutcomeAndFailingLine() throws {
        let r = try FixtureNight.report(), t = FixtureNight.truth
        #expect(r.jobs.count == t.jobs.count && t.jobs.count == 50)
        let byID = Dictionary(uniqueKeysWithValues: r.jobs.map { ($0.id, $0) })
        for job in t.jobs {
            let got = try #require(byID[job.id], "job \(job.id) missing")
            #expect(got.state.rawValue == job.state && got.session == job.session, "\(job.id)")
            #expect(got.isFailure == job.failure, "\(job.id)")
            if job.state == "exited" { #expect(got.exitCode.map(Int.init) == job.exitCode, "\(job.id)") }
            if let line = job.lastLine {
                #expect(got.lastErrorLine == line, "\(job.id)")
                #expect(r.text.contains(job.id) && r.text.contains(line), "\(job.id): its last stderr line is in the text")
            }
        }
        let failed = t.jobs.filter(\.failure).count
        #expect(failed == 11 && r.failedJobs.count == failed)
        #expect(r.text.contains("Jobs: 50: \(50 - failed) succeeded, \(failed) failed (8 exited non-zero, 1 killed by a signal, 1 could not start, 1 lost), 0 running."))
    }

    @Test func theKilledSessionIsReportedDeadWhenItDiedWithWhatItLeft() throws {
        let r = try FixtureNight.report(), t = FixtureNight.truth
        #expect(r.ends.count == 1)
        let end = try #require(r.ends.first)
        #expect(end.session == t.killed && end.state == .dead && end.at == t.killedAt)
        #expect(end.heldTasks == [t.stranded])
        #expect(end.lostJobs == t.jobs.filter { $0.state == "lost" }.map(\.id))
        #expect(r.sessions.map(\.name) == t.sessions, "coordinator first, then workers by name")
        #expect(r.sessions.filter { $0.state == .alive }.count == 3)
        #expect(r.text.contains("\(t.killed) dead at \(TimeText.utc(t.killedAt)): its watched process ended; still holds \(t.stranded)"))
    }

    @Test func messagesAreCountedPerPair() throws {
        let r = try FixtureNight.report(), t = FixtureNight.truth
        #expect(r.messageCount == t.messages && t.messages == 2_000)
        let pairs = Dictionary(uniqueKeysWithValues: r.pairs.map { ("\($0.from)>\($0.to)", $0.count) })
        #expect(pairs == t.pairs)
        #expect(r.pairs.map(\.count) == r.pairs.map(\.count).sorted(by: >))
        for p in r.pairs { #expect(r.text.contains("\(p.from.padding(11))  \(p.to.padding(11))  \(p.count)")) }
    }

    @Test func theCoordinatorsDecisionsAreItsBoardAndStateOperations() throws {
        let r = try FixtureNight.report(), t = FixtureNight.truth
        #expect(r.decisions.allSatisfy { $0.session == t.coordinator })
        #expect(r.decisions.filter { $0.op == "board.add" }.count == t.added)
        #expect(r.decisions.filter { $0.op == "board.reopen" }.count == t.reopened)
        #expect(r.decisions.filter { $0.op == "state.set" }.count == 2)
        #expect(r.text.contains("board: added 200 tasks, one by one"))
        #expect(r.text.contains("gate.merge = \"hold: \(t.killed) died\""))
    }

    /// The period bounds every figure: operations outside it are not counted.
    @Test func onlyThePeriodIsReported() throws {
        let t = FixtureNight.truth, coord = try FixtureNight.made.repo.coord()
        let half = ReportQuery(from: FixtureNight.spec.start - 60_000, until: t.killedAt, now: FixtureNight.spec.end)
        let r = try coord.report(half)
        let inPeriod = try coord.log(LogQuery(limit: 0)).filter { $0.time <= t.killedAt && $0.op != "merge" }
        #expect(r.eventCount == inPeriod.count && r.eventCount < t.operations && r.eventCount > t.operations / 4)
        #expect(r.messages.count == inPeriod.filter { $0.op == "mail.send" }.count)
        #expect(r.tasks.done == inPeriod.filter { $0.op == "board.done" }.count)
        let before = try coord.report(ReportQuery(from: FixtureNight.spec.start - 7_200_000, until: FixtureNight.spec.start - 60_000, now: FixtureNight.spec.end))
        #expect(before.eventCount == 0 && before.jobs.isEmpty && before.messages.isEmpty)
        #expect(throws: CoordError.self) { try coord.report(ReportQuery(from: t.killedAt, until: t.killedAt - 1)) }
    }

    @Test func theJSONFormCarriesTheSameFigures() throws {
        let r = try FixtureNight.report(), t = FixtureNight.truth
        let v = try JSONValue.parse(Array(r.json.canonicalString.utf8))
        #expect(v["schema"]?.intValue == 1)
        #expect(v["operations"]?.intValue == Int64(t.operations))
        #expect(v["tasks"]?["done"]?.intValue == Int64(t.done))
        #expect(v["tasks"]?["blockedNow"]?.intValue == 10)
        #expect(v["messages"]?["count"]?.intValue == Int64(t.messages))
        #expect(v["jobs"]?.arrayValue?.count == t.jobs.count)
        #expect(v["jobs"]?.arrayValue?.filter { $0["failure"]?.boolValue == true }.count == 11)
        #expect(v["ended"]?.arrayValue?.first?["session"]?.stringValue == t.killed)
        #expect(v["ended"]?.arrayValue?.first?["at"]?.intValue == t.killedAt)
    }

    /// Peer text reaches the terminal without control characters.
    @Test func theTextFormCarriesNoControlCharactersFromPeers() throws {
        let r = try FixtureNight.report()
        #expect(!r.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(r.text.contains("Fix <script>alert(\"x\")</script> & 'quotes' ?[31m in the parser"))
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
