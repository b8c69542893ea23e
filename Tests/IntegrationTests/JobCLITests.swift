#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// A repository with a coordinator `lead` and a worker `w1` that runs jobs.
struct JobFixture {
    let repo: TempRepo

    init() throws {
        repo = try TempRepo()
        _ = CLI.run(["join", "lead", "--role", "coordinator"], in: repo.path)
        _ = CLI.run(["join", "w1", "--role", "worker"], in: repo.path)
    }

    func run(_ args: [String], as session: String = "w1") -> Shell.Result {
        CLI.run(args, in: repo.path, session: session)
    }

    func coord(_ session: String = "w1") throws -> Coord { try repo.coord(session) }

    /// The messages in `lead`'s inbox about job `id`.
    func reports(_ id: String, to session: String = "lead") throws -> [Message] {
        try coord(session).inbox().map(\.message).filter { $0.subject?.contains(id) == true }
    }

    func refs() throws -> [String: ObjectID] {
        var out: [String: ObjectID] = [:]
        for r in try coord().store.references(matching: "refs/coord/*") { out[r.name] = r.target }
        return out
    }
}

@Suite struct JobCLITests {
    @Test func aJobThatWritesStderrAndExits3ReportsExitCodeAndTailToTheNotifiedSession() throws {
        let f = try JobFixture()
        let r = f.run(["run", "--notify", "lead", "--", "sh", "-c", "echo out; echo first >&2; echo second >&2; exit 3"])
        #expect(r.status == 3)
        #expect(r.stdout == "out\n" && r.stderr == "first\nsecond\n")
        let job = try #require(try f.coord().jobRecords().first)
        #expect(job.state == .exited && job.exitCode == 3 && job.tail == "first\nsecond")
        #expect(Files.readString(try #require(job.log)) == "out\nfirst\nsecond\n")
        let reports = try f.reports(job.id)
        #expect(reports.count == 1)
        #expect(reports.first?.subject == "job \(job.id) sh exited 3")
        #expect(reports.first?.from == "w1")
        #expect(reports.first?.body.contains("exit: 3") == true)
        #expect(reports.first?.body.hasSuffix("first\nsecond") == true)
    }

    @Test func tailKeepsOnlyTheLastNLinesOfStderr() throws {
        let f = try JobFixture()
        let r = f.run(["run", "--tail", "2", "--", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i >&2; done"])
        #expect(r.status == 0)
        #expect(try f.coord().jobRecords().first?.tail == "line4\nline5")
    }

    @Test func aDetachedJobKeepsRunningAndReportsAfterItsCallerExited() throws {
        let f = try JobFixture()
        // The job ends once the test has seen it running: when the file `go` appears (or after
        // 60 s, so that a failed test leaves no process behind).
        let go = f.repo.root + "/go"
        let script = "i=0; while [ ! -e '\(go)' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; echo late-news >&2; exit 5"
        let r = f.run(["run", "--detach", "--name", "late", "--notify", "lead", "--", "sh", "-c", script])
        #expect(r.status == 0, "\(r.stderr)")
        let id = String(r.stdout.dropLast())
        #expect(IDGenerator.looksLike(id, prefix: "J-") && id.count == 8)
        // The caller has exited; the job runs on under a supervisor in its own session.
        let job = try f.coord().findJob(id)
        #expect(job.state == .running)
        let supervisor = try #require(job.supervisorPid)
        #expect(getsid(supervisor) == supervisor)
        #expect(Files.writeAtomically(go, ""))
        let w = f.run(["job", "wait", id, "--timeout", "90s"], as: "lead")
        #expect(w.status == 5)
        #expect(w.stdout.contains("exited 5") && w.stdout.contains("late-news"))
        let reports = try f.reports(id)
        #expect(reports.map(\.subject) == ["job \(id) late exited 5"])
        #expect(reports.first?.body.contains("late-news") == true)
    }

    /// A supervisor killed outright records nothing; the next commands that notice mark the job
    /// lost, and of several noticing at once only one tells the `--notify` session.
    @Test func aSupervisorKilledWithSIGKILLGivesLostAndExactlyOneNotification() throws {
        let f = try JobFixture()
        let r = f.run(["run", "--detach", "--notify", "lead", "--", "sh", "-c", "echo started >&2; exec sleep 60"])
        let id = String(r.stdout.dropLast())
        let coord = try f.coord()
        #expect(try eventually(within: 10) { try coord.findJob(id).pid != nil })
        let job = try coord.findJob(id)
        let supervisor = try #require(job.supervisorPid)
        defer { if let pid = job.pid { kill(pid, SIGKILL) } }
        #expect(eventually(within: 5) { Files.readString(coord.jobLogPath(id)) == "started\n" })
        kill(supervisor, SIGKILL)
        #expect(eventually(within: 5) { !ProcessRunner.isAlive(supervisor) })
        // Six commands notice at once, from separate processes.
        var noticers: [Int32] = []
        for k in 0..<6 {
            let args = [["jobs"], ["job", id], ["sessions", "--session", "lead"]][k % 3]
            noticers.append(try #require(ProcessRunner.spawnDetached([CLI.binary, "-C", f.repo.path] + args, logTo: f.repo.root + "/noticer.log")))
        }
        for pid in noticers { var st: Int32 = 0; _ = waitpid(pid, &st, 0) }
        let lost = try coord.findJob(id)
        #expect(lost.state == .lost && lost.notified)
        #expect(lost.tail == "started")
        let reports = try f.reports(id)
        #expect(reports.count == 1)
        #expect(reports.first?.subject?.hasPrefix("job \(id) sh lost") == true)
        // Later noticers stay quiet, and a waiter learns the end at once.
        let w = f.run(["job", "wait", id], as: "lead")
        #expect(w.status == 125)
        #expect(try f.reports(id).count == 1)
    }

    @Test func aCommandThatCannotStartIsRecordedFailedAndNotified() throws {
        let f = try JobFixture()
        for detach in [false, true] {
            let r = f.run(["run"] + (detach ? ["--detach"] : []) + ["--notify", "lead", "--", "no-such-command-xyz"])
            #expect(r.status == 127)
            #expect(r.stderr.hasPrefix("git coord: cannot start no-such-command-xyz") && r.stderr.split(separator: "\n").count == 1)
        }
        let jobs = try f.coord().jobRecords()
        #expect(jobs.count == 2 && jobs.allSatisfy { $0.state == .failed })
        for job in jobs {
            #expect(try f.reports(job.id).first?.subject?.contains("failed to start") == true)
        }
    }

    @Test func badInputGivesOneLineErrorNonZeroExitAndWritesNothing() throws {
        let f = try JobFixture()
        let before = try f.refs()
        let cases: [[String]] = [
            ["run", "--"],
            ["run"],
            ["run", "--notify", "Not A Name", "--", "true"],
            ["run", "--tail", "-1", "--", "true"],
            ["run", "--name", "bad name", "--", "true"],
            ["job", "J-zzzzzz"],
            ["job", "wait", "J-zzzzzz"],
            ["job", "nonsense"],
        ]
        for args in cases {
            let r = f.run(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.hasPrefix("git coord: ") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(try f.refs() == before)
    }

    /// SIGTERM to an attached `run` reaches the command; its end is recorded and is `run`'s status.
    @Test func terminatingTheSupervisorEndsTheCommandAndRecordsTheSignal() throws {
        let f = try JobFixture()
        let runner = try #require(ProcessRunner.spawnDetached([CLI.binary, "-C", f.repo.path, "run", "--session", "w1", "--notify", "lead", "--", "sleep", "30"],
                                                              logTo: f.repo.root + "/run.log"))
        let coord = try f.coord()
        #expect(try eventually(within: 10) { try coord.jobRecords().first?.pid != nil })
        kill(runner, SIGTERM)
        var st: Int32 = 0
        _ = waitpid(runner, &st, 0)
        #expect((st >> 8) & 0xff == 128 + 15)
        let job = try #require(try coord.jobRecords().first)
        #expect(job.state == .signaled && job.signal == 15)
        #expect(try f.reports(job.id).first?.subject == "job \(job.id) sleep killed by signal 15 (TERM)")
    }

    @Test func jobsListsRecentJobsAndJobShowsOne() throws {
        let f = try JobFixture()
        _ = f.run(["run", "--name", "quick", "--", "true"])
        let list = f.run(["jobs"])
        #expect(list.stdout.contains("quick") && list.stdout.contains("exited"))
        let job = try #require(try f.coord().jobRecords().first)
        let show = f.run(["job", String(job.id.prefix(5)), "--json"])
        let json = try JSONValue.parse(show.stdout)
        #expect(json["id"]?.stringValue == job.id && json["exitCode"]?.intValue == 0 && json["state"]?.stringValue == "exited")
    }
}
