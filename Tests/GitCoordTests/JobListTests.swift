#if canImport(Glibc)
import Glibc
#endif
import CoordTestSupport
@testable import GitCoord
import Testing

@Suite struct JobListTests {
    /// `git coord jobs` and the MCP `job` tool's `list` show running jobs and those that ended
    /// within the last hour; `all` shows every job.
    @Test func theDefaultListHoldsRunningJobsAndThoseThatEndedInTheLastHour() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        try coord.join("w1", role: "worker")
        let now = Clock.nowMilliseconds()
        // Supervised by this test process, so none of them is judged lost.
        let running = try coord.recordJob(JobSpec(command: ["sleep", "1"]), supervisorPid: getpid())
        let recent = try coord.recordJob(JobSpec(command: ["true"]), supervisorPid: getpid())
        let old = try coord.recordJob(JobSpec(command: ["false"]), supervisorPid: getpid())
        coord.store.now = { now - 2 * 3_600_000 }
        _ = try coord.recordEnd(old, fields: ["state": "exited", "exitCode": 1], onlyIfRunning: true)
        coord.store.now = { now - 10 * 60_000 }
        _ = try coord.recordEnd(recent, fields: ["state": "exited", "exitCode": 0], onlyIfRunning: true)
        coord.store.now = { Clock.nowMilliseconds() }
        #expect(Set(try coord.listJobs(now: now).map(\.id)) == [running.id, recent.id])
        #expect(Set(try coord.listJobs(all: true, now: now).map(\.id)) == [running.id, recent.id, old.id])
        #expect(Coord.recentJobWindowMs == 3_600_000)
    }

    /// `run` ends with exit 127 and the reason when the command could not start, the job
    /// recorded as failed.
    @Test func aJobThatCouldNotStartEndsRunWithExit127() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        try coord.join("w1", role: "worker")
        var caught: CoordError?
        do throws(CoordError) { _ = try coord.runDetached(JobSpec(command: ["no-such-command-here"])) } catch { caught = error }
        let error = try #require(caught)
        #expect(error.exitCode == 127 && error.kind == .status(127))
        let job = try #require(try coord.jobRecords().first)
        #expect(job.state == .failed)
        #expect(error == job.startFailure)
        #expect(error.message.hasPrefix("cannot start no-such-command-here: ") && error.message.hasSuffix("(recorded as job \(job.id), failed)"))
        #expect(try coord.listJobs().first?.startFailure != nil)
    }
}
