import CoordTestSupport
@testable import GitCoord
import GitCoordStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A recorded pid names the process that had it, not whatever process the kernel gives that pid
/// next: sessions, jobs and hook waiters are judged by pid *and* start.
@Suite(.enabled(if: ProcessIdentity.bootID != nil, "this system has no /proc boot id"))
struct ProcessIdentityTests {
    static var boot: String { ProcessIdentity.bootID ?? "" }

    /// A pid that no process has: a child that ran and was reaped.
    static func vanishedPid() -> Int32 {
        let r = Shell.start(["true"])
        _ = r.wait()
        return r.pid
    }

    @Test func aRunningProcessIsKnownByItsStartAndAnyOtherStartIsAnotherProcess() throws {
        let me = getpid()
        let start = try #require(ProcessIdentity.start(of: me))
        #expect(start.hasPrefix(Self.boot + ":"))
        #expect(ProcessIdentity.start(of: me) == start, "stable while the process runs")
        #expect(ProcessIdentity.fate(of: me, start: start) == .running)
        #expect(ProcessIdentity.fate(of: me, start: nil) == .running, "recorded by pid alone")
        #expect(ProcessIdentity.fate(of: me, start: Self.boot + ":1") == .replaced, "started at another time")
        let ticks = start.split(separator: ":").last.map(String.init) ?? ""
        #expect(ProcessIdentity.fate(of: me, start: "00000000-another-boot:" + ticks) == .replaced, "an earlier boot")
        let gone = Self.vanishedPid()
        #expect(ProcessIdentity.fate(of: gone, start: nil) == .gone)
        #expect(ProcessIdentity.start(of: gone) == nil)
    }

    @Test func aSessionWhosePidNowNamesAnotherProcessReadsDead() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        let sleeper = ProcessRunner.spawnDetached(["sleep", "30"], logTo: Files.join(repo.root, "sleep.log"))!
        defer { kill(sleeper, SIGKILL) }
        let record = try coord.join("w1", role: "worker", pid: sleeper)
        #expect(record.pidStart != nil && record.pidStart == ProcessIdentity.start(of: sleeper))
        #expect(try coord.lastBeat("w1")?.pidStart == record.pidStart)
        #expect(try coord.sessionStatus("w1")?.state == .alive)

        // As if the agent had ended and the kernel had given its pid to the sleeper: the same pid
        // recorded with the start of a process that is no longer there.
        try coord.store.update(DocumentID(.beat, "w1"), as: "w1") { (tx) throws(CoordError) in
            tx.set(Coord.beatCell, ["pidStart": .string(Self.boot + ":1")])
            tx.subject = "beat: w1"
            tx.operation = "beat"
        }
        let status = try #require(try coord.sessionStatus("w1"))
        #expect(status.state == .dead)
        #expect(status.reason == "process \(sleeper) is gone (its pid now names another process)")
    }

    @Test func aRunningJobWhoseSupervisorsPidNowNamesAnotherProcessIsReapedAsLost() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        try coord.join("w1", role: "worker")
        // A job recorded as supervised by this very test process, with another start: its
        // supervisor ended and this process was given its pid.
        let job = try coord.recordJob(JobSpec(command: ["make", "test"]), supervisorPid: getpid())
        #expect(job.supervisorStart == ProcessIdentity.start(of: getpid()))
        let index = RunningIndex(folder: coord.jobsFolder)
        Files.writeAtomically(Files.join(index.path, job.id), "w1\n\(getpid())\n\(Self.boot):1\n")
        #expect(index.entries().first?.supervisorStart == Self.boot + ":1")
        let lost = coord.reapLostJobs()
        #expect(lost.map(\.id) == [job.id])
        #expect(try coord.jobRecord(job.id, session: "w1")?.state == .lost)
        #expect(index.entries().isEmpty)
    }

    @Test func anEntryOfTheSameProcessIsNotReaped() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        try coord.join("w1", role: "worker")
        let job = try coord.recordJob(JobSpec(command: ["make", "test"]), supervisorPid: getpid())
        let index = RunningIndex(folder: coord.jobsFolder)
        index.add(job.id, session: "w1", supervisorPid: getpid())
        #expect(coord.reapLostJobs().isEmpty)
        #expect(coord.lostReason(job) == nil)
        #expect(try coord.jobRecord(job.id, session: "w1")?.state == .running)
    }
}
