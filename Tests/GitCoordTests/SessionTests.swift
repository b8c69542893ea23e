import CoordTestSupport
import GitCoord
import GitCoordStore
import PropertyBased
import Testing

/// A record and beat for the pure liveness rule.
enum LivenessCase {
    static let t0: Int64 = 1_800_000_000_000
    static let ttl: Int64 = 60_000

    static func record(host: String = "here", pid: Int32? = nil, left: Bool = false) -> SessionRecord {
        SessionRecord(name: "w1", role: "worker", host: host, worktree: "/w", pid: pid, instance: "i-1",
                      agentSession: nil, joinedAt: t0, left: left, leftAt: left ? t0 + 5 : nil)
    }

    static func judge(_ r: SessionRecord, _ b: Beat?, age: Int64, alive: Set<Int32> = []) -> SessionState {
        Liveness.judge(record: r, beat: b, now: (b?.at ?? t0) + age, ttl: ttl, localHost: "here", fate: { pid, _ in alive.contains(pid) ? .running : .gone }).state
    }
}

@Suite struct SessionLivenessTests {
    @Test func leftWinsOverEverythingElse() {
        let beat = Beat(at: LivenessCase.t0, pid: 7, host: "here", ended: false, endedAt: nil)
        #expect(LivenessCase.judge(LivenessCase.record(left: true), beat, age: 0, alive: [7]) == .left)
    }

    @Test func aRecordedEndIsDeadAtOnceOnEveryHost() {
        let beat = Beat(at: LivenessCase.t0, pid: 7, host: "elsewhere", ended: true, endedAt: LivenessCase.t0)
        #expect(LivenessCase.judge(LivenessCase.record(host: "elsewhere"), beat, age: 0) == .dead)
    }

    @Test func onTheSameHostTheProcessDecidesWhateverTheBeatsAge() {
        let beat = Beat(at: LivenessCase.t0, pid: 7, host: "here", ended: false, endedAt: nil)
        #expect(LivenessCase.judge(LivenessCase.record(), beat, age: 0, alive: []) == .dead)
        #expect(LivenessCase.judge(LivenessCase.record(), beat, age: 10 * LivenessCase.ttl, alive: [7]) == .alive)
        // The pid `join --pid` recorded counts when the beat has none.
        let noPid = Beat(at: LivenessCase.t0, pid: nil, host: "here", ended: false, endedAt: nil)
        #expect(LivenessCase.judge(LivenessCase.record(pid: 9), noPid, age: 0, alive: []) == .dead)
    }

    @Test func anotherHostsPidIsIgnoredAndTheTTLDecides() {
        let beat = Beat(at: LivenessCase.t0, pid: 7, host: "elsewhere", ended: false, endedAt: nil)
        let r = LivenessCase.record(host: "elsewhere")
        #expect(LivenessCase.judge(r, beat, age: LivenessCase.ttl) == .alive)
        #expect(LivenessCase.judge(r, beat, age: LivenessCase.ttl + 1) == .stale)
        #expect(LivenessCase.judge(r, beat, age: 3 * LivenessCase.ttl) == .stale)
        #expect(LivenessCase.judge(r, beat, age: 3 * LivenessCase.ttl + 1) == .dead)
    }

    /// Without a process to check, a session only ever moves alive → stale → dead as silence grows.
    @Test func silenceOnlyEverWorsensTheState() async {
        await forAll(count: 300, input: Gen.int(in: 0...400_000).array(of: 2)) { xs in
            let (a, b) = (Int64(min(xs[0], xs[1])), Int64(max(xs[0], xs[1])))
            let beat = Beat(at: LivenessCase.t0, pid: nil, host: "elsewhere", ended: false, endedAt: nil)
            let r = LivenessCase.record(host: "elsewhere")
            let order: [SessionState] = [.alive, .stale, .dead]
            let sa = LivenessCase.judge(r, beat, age: a), sb = LivenessCase.judge(r, beat, age: b)
            #expect(order.firstIndex(of: sa)! <= order.firstIndex(of: sb)!)
        }
    }

    @Test func durationsParseInEveryUnit() {
        #expect(Liveness.parseDuration("500ms") == 500)
        #expect(Liveness.parseDuration("30s") == 30_000)
        #expect(Liveness.parseDuration("2m") == 120_000)
        #expect(Liveness.parseDuration("1h") == 3_600_000)
        #expect(Liveness.parseDuration("45") == 45_000)
        #expect(Liveness.parseDuration("soon") == nil)
    }
}

@Suite struct SessionRegistryTests {
    @Test func leaveHidesTheSessionAndItReadsLeft() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        try coord.join("w1", role: "worker")
        try coord.join("w2", role: "worker")
        try coord.leave("w1")
        #expect(try coord.sessionStatus("w1")?.state == .left)
        #expect(try coord.sessionStatuses().map(\.record.name) == ["w2"])
        #expect(try coord.sessionStatuses(includeLeft: true).map(\.record.name) == ["w1", "w2"])
    }

    @Test func leavingAnUnknownSessionIsRefusedAndWritesNothing() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("ghost")
        #expect(throws: CoordError.self) { try coord.leave("ghost") }
        #expect(try coord.store.references(matching: "refs/coord/*").isEmpty)
    }

    @Test func joinStartsANewIncarnationThatClearsARecordedEnd() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        try coord.join("w1", role: nil, pid: 4_000_000)
        try coord.beat("w1", ended: true)
        #expect(try coord.sessionStatus("w1")?.state == .dead)
        try coord.join("w1", role: nil)
        let beat = try #require(try coord.lastBeat("w1"))
        #expect(!beat.ended && beat.pid == nil)
        #expect(try coord.sessionStatus("w1")?.state == .alive)
    }

    @Test func touchBeatsAtMostOncePerIntervalAndKeepsTheWatchedPid() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        var clock: Int64 = 1_800_000_000_000
        coord.store.now = { clock }
        try coord.join("w1", role: nil)
        try coord.beat("w1", pid: 4242)
        let first = try coord.store.tip(DocumentID(.beat, "w1"))
        clock += Coord.touchInterval - 1
        coord.touch()
        #expect(try coord.store.tip(DocumentID(.beat, "w1")) == first)
        clock += 2
        coord.touch()
        let beat = try #require(try coord.lastBeat("w1"))
        #expect(beat.at == clock && beat.pid == 4242)
    }

    @Test func touchLeavesASessionThatNeverJoinedAlone() throws {
        let repo = try TempRepo()
        try repo.coord("stranger").touch()
        #expect(try repo.coord().store.references(matching: "refs/coord/*").isEmpty)
    }

    @Test func theTTLComesFromGitConfig() throws {
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "config", "coord.heartbeatTTL", "90s"])
        #expect(try repo.coord().heartbeatTTL == 90_000)
        try Shell.git(["-C", repo.path, "config", "coord.heartbeatTTL", "nonsense"])
        #expect(try repo.coord().heartbeatTTL == Liveness.defaultTTL)
    }
}

@Suite struct SessionBeatHistoryTests {
    /// A day of beats at 30 s for ten sessions adds no commit reachable from refs/coord/*:
    /// each beat replaces a parentless commit.
    @Test func tenSessionsTimesADayOfBeatsAddNoReachableCommits() throws {
        // 86,400 loose objects: made in memory (/dev/shm) when it is there, as the disk is not what is tested.
        let repo = try ScratchRepo()
        defer { repo.remove() }
        let names = (0..<10).map { "w\($0)" }
        let coord = Coord(store: CoordStore(repository: try Repository.open(at: repo.path), session: nil))
        var clock: Int64 = 1_800_000_000_000
        coord.store.now = { clock }
        for n in names { try coord.join(n, role: "worker") }
        func reachable() throws -> Int {
            Int(try Shell.git(["-C", repo.path, "rev-list", "--count", "--glob=refs/coord/*"]).split(separator: "\n")[0]) ?? -1
        }
        let before = try reachable()
        for _ in 0..<2_880 {
            clock += 30_000
            for n in names { try coord.beat(n) }
        }
        #expect(try reachable() == before)
        for n in names {
            let tip = try #require(try coord.store.tip(DocumentID(.beat, n)))
            #expect(try coord.store.commit(tip).parents.isEmpty)
            #expect(try coord.lastBeat(n)?.at == clock)
        }
    }
}

/// A repository in /dev/shm (else /tmp), without background gc, for tests that write a lot.
struct ScratchRepo {
    let path: String

    init() throws {
        let base = Files.isDirectory("/dev/shm") ? "/dev/shm" : "/tmp"
        path = "\(base)/git-coord-scratch-\(IDGenerator.make("", length: 10))"
        try Shell.git(["init", "-q", "-b", "main", path])
        try Shell.git(["-C", path, "config", "coord.autoGC", "false"])
    }

    func remove() { Files.removeTree(path) }
}
