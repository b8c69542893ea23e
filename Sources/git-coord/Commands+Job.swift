import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let jobCommands: [any ParsableCommand.Type] = [Run.self, Jobs.self, Job.self]
}

extension GitCoordCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a command under supervision; report its end to sessions.",
            discussion: """
                Records the job (id J- and 6 characters, command, cwd, host, pids, start) in \
                refs/coord/jobs/SESSION and keeps its stdout and stderr in \
                <git common dir>/coord/jobs/ID.log. When the command ends, records its exit code \
                or signal, its duration and the last --tail lines of its stderr, then sends one \
                message to each --notify session, e.g. subject `job J-7q2c4x build exited 2`.

                Without --detach the output passes through and `run` exits with the command's \
                status (128+N for signal N). With --detach, `run` prints the job id and returns at \
                once; the supervisor runs in its own session with no terminal and outlives the \
                caller, so the report arrives even if the caller is gone. A command that cannot \
                start is recorded as a failed job, reported, and exits 127.

                Examples:
                  git coord run --notify coordinator -- make test
                  git coord run --name build --detach --notify coordinator --notify worker-2 -- swift build
                  git coord job wait $(git coord run --detach -- ./long-script.sh)
                """)

        @Option(help: ArgumentHelp("A short name for the job (default: the command's name).", valueName: "N"))
        var name: String?

        @Option(help: ArgumentHelp("A session to tell when the job ends (repeatable).", valueName: "S"))
        var notify: [String] = []

        @Flag(help: "Return at once with the job id; the supervisor keeps running.")
        var detach = false

        @Option(help: ArgumentHelp("How many stderr lines to keep in the report.", valueName: "N"))
        var tail = 20

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "CMD"))
        var command: [String] = []

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            coord.noteActivity()
            let spec = JobSpec(command: command, name: name, notify: notify, tailLines: tail, detached: detach)
            if detach {
                let job = try coord.runDetached(spec)
                if output.json { printJSON(job.json) } else { say(job.id) }
                return
            }
            let job = try coord.runJob(spec)
            if let failure = job.startFailure { throw failure }
            if output.json { printJSON(job.json) }
            throw ExitCode(job.shellStatus ?? 0)
        }
    }

    struct Jobs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jobs",
            abstract: "List supervised jobs.",
            discussion: """
                Columns: ID SESSION NAME STATE EXIT STARTED DURATION COMMAND. Lists running jobs \
                and those that ended in the last hour; --all lists every job. STATE is running, \
                exited (see EXIT), signaled, failed (could not start) or lost (its supervisor \
                vanished: killed, or its host stopped beating).

                Examples:
                  git coord jobs
                  git coord jobs --all --json
                """)

        @Flag(help: "Include every job, however long ago it ended.")
        var all = false

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            coord.noteActivity()
            let now = Clock.nowMilliseconds()
            let jobs = try coord.listJobs(all: all, now: now)
            if output.json {
                printJSON(.array(jobs.map(\.json)))
                return
            }
            if jobs.isEmpty {
                say(all ? "no jobs yet: start one with `git coord run -- CMD`" : "no running or recent jobs (--all lists every job)")
                return
            }
            var rows = [["ID", "SESSION", "NAME", "STATE", "EXIT", "STARTED", "DURATION", "COMMAND"]]
            for j in jobs {
                let exit = j.exitCode.map(String.init) ?? j.signal.map { "sig \($0)" } ?? "-"
                let duration = j.durationMs ?? j.startedAt.map { now - $0 } ?? 0
                rows.append([j.id, j.session, j.label, j.state.rawValue, exit, j.startedAt.map { relativeTime($0) } ?? "-",
                             Coord.durationText(duration), String(j.command.joined(separator: " ").prefix(60))])
            }
            say(table(rows))
        }
    }

    struct Job: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "job",
            abstract: "Show a job, or wait for it to end.",
            discussion: """
                `git coord job ID` shows state, exit, duration, stderr tail and log path; any \
                unique prefix of the id works.

                Examples:
                  git coord job J-7q2c
                  git coord job wait J-7q2c --timeout 30m
                """,
            subcommands: [JobShow.self, JobWait.self, JobSupervise.self],
            defaultSubcommand: JobShow.self)
    }

    struct JobShow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a job: state, exit, duration, stderr tail and log path.")

        @Argument(help: "The job id or a unique prefix of it.")
        var id: String

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            coord.noteActivity()
            let job = coord.refreshingLost([try coord.findJob(id)])[0]
            if output.json { printJSON(job.json) } else { say(JobText.details(job)) }
        }
    }

    struct JobWait: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wait",
            abstract: "Wait for a job to end; exit with its status.",
            discussion: """
                Wakes as soon as the job's end is recorded (it watches refs/coord/jobs/SESSION, no \
                polling loop), prints the job, and exits with the job's status: its exit code, \
                128+N for signal N, 127 when it could not start, 125 when it was lost. After \
                --timeout it prints that the job still runs and exits 124.

                Examples:
                  git coord job wait J-7q2c
                  git coord job wait J-7q2c --timeout 10m --json
                """)

        @Argument(help: "The job id or a unique prefix of it.")
        var id: String

        @Option(help: ArgumentHelp("Give up after this long, e.g. 30s or 10m.", valueName: "DUR"))
        var timeout: Duration?

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            coord.noteActivity()
            let job = try coord.waitForJob(id, timeoutMs: timeout?.milliseconds)
            if output.json { printJSON(job.json) } else { say(JobText.details(job)) }
            guard let status = job.shellStatus else {
                throw CoordError("job \(job.id) still running after --timeout", exitCode: 124)
            }
            throw ExitCode(status)
        }
    }

    struct JobSupervise: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "supervise",
            abstract: "Run a recorded job (started by `run --detach`).",
            shouldDisplay: false)

        @Argument var id: String
        @OptionGroup var session: SessionOptions

        func run() throws {
            let (coord, _) = try session.openAsSession()
            let job = try coord.superviseRecorded(id)
            throw ExitCode(job.shellStatus ?? 0)
        }
    }
}

enum JobText {
    static func details(_ j: JobRecord) -> String {
        var lines = [
            "job:      \(j.id)\(j.name.map { " (\($0))" } ?? "")",
            "session:  \(j.session)",
            "command:  \(j.command.joined(separator: " "))",
            "state:    \(j.state.rawValue)\(j.state == .running ? "" : " (\(j.outcome))")",
        ]
        if let c = j.exitCode { lines.append("exit:     \(c)") }
        if let d = j.durationMs { lines.append("duration: \(Coord.durationText(d))") }
        if let s = j.startedAt { lines.append("started:  \(relativeTime(s))") }
        lines.append("host:     \(j.host ?? "-")  pid \(j.pid.map(String.init) ?? "-")  supervisor \(j.supervisorPid.map(String.init) ?? "-")")
        lines.append("cwd:      \(j.cwd ?? "-")")
        if !j.notify.isEmpty { lines.append("notify:   \(j.notify.joined(separator: ", "))\(j.notified ? " (told)" : "")") }
        lines.append("log:      \(j.log ?? "-")")
        if let t = j.tail, !t.isEmpty { lines.append("stderr tail:\n" + t) }
        return lines.joined(separator: "\n")
    }
}
