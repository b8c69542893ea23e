/// What `run` was asked to run.
public struct JobSpec: Sendable {
    public var command: [String]
    public var name: String?
    public var notify: [String]
    public var tailLines: Int
    public var detached: Bool

    public init(command: [String], name: String? = nil, notify: [String] = [], tailLines: Int = 20, detached: Bool = false) {
        self.command = command
        self.name = name
        self.notify = notify
        self.tailLines = tailLines
        self.detached = detached
    }
}

extension Coord {
    /// How often a supervisor beats its job (into the session's beat document, which keeps no history).
    public static let jobBeatInterval: Int64 = 5_000
    /// A job on another host whose supervisor has not beaten for this long reads lost.
    public static let jobBeatStale: Int64 = 30_000

    /// Checks a job request and records the job as running; throws on bad input (nothing written).
    func recordJob(_ spec: JobSpec, supervisorPid: Int32?) throws(CoordError) -> JobRecord {
        let session = try requireSession()
        guard let program = spec.command.first, !program.isEmpty else {
            throw CoordError.usage("no command to run: put it after `--`, e.g. `git coord run --notify lead -- make test`")
        }
        if let name = spec.name { try SessionName.validate(name, what: "job name") }
        for n in spec.notify { try requireJoined(n, what: "session in --notify") }
        guard spec.tailLines >= 0, spec.tailLines <= 1000 else {
            throw CoordError.usage("--tail \(spec.tailLines) is out of range: use 0 to 1000 lines")
        }
        let id = IDGenerator.make("J-", length: 6)
        let cwd = Files.currentDirectory(), host = ProcessRunner.hostName, log = jobLogPath(id)
        Files.makeFolders(jobsFolder)
        try store.update(DocumentID(.jobs, session), as: session) { (tx) throws(CoordError) in
            var f: [String: JSONValue] = [
                "id": .string(id), "command": .array(spec.command.map(JSONValue.string)), "cwd": .string(cwd),
                "host": .string(host), "startedAt": .int(tx.stamp.milliseconds), "state": .string(JobState.running.rawValue),
                "notify": .array(spec.notify.map(JSONValue.string)), "tailLines": .int(Int64(spec.tailLines)),
                "log": .string(log), "notified": false, "detached": .bool(spec.detached),
            ]
            if let name = spec.name { f["name"] = .string(name) }
            if let supervisorPid {
                f["supervisorPid"] = .int(Int64(supervisorPid))
                if let start = ProcessIdentity.start(of: supervisorPid) { f["supervisorStart"] = .string(start) }
            }
            tx.set(Coord.jobPath(id), f)
            tx.subject = "jobs: start \(id)\(spec.name.map { " \($0)" } ?? "") \(spec.command.joined(separator: " ").prefix(120))"
            tx.operation = "jobs.start"
        }
        guard let job = try jobRecord(id, session: session) else { throw CoordError.invariant("recorded job \(id) but cannot read it back") }
        return job
    }

    /// Runs a command under supervision in this process: output passes through and is logged,
    /// the end is recorded and the `--notify` sessions are told. Returns the finished job.
    public func runJob(_ spec: JobSpec) throws(CoordError) -> JobRecord {
        let job = try recordJob(spec, supervisorPid: OS.processID)
        return try supervise(job, passthrough: true)
    }

    /// Records the job and starts a detached supervisor for it (its own session, no terminal),
    /// which outlives the caller. Returns at once with the running job.
    ///
    /// A command that cannot be found is recorded as failed (and the `--notify` sessions told)
    /// before this returns, and thrown as an error carrying the job id.
    public func runDetached(_ spec: JobSpec) throws(CoordError) -> JobRecord {
        var s = spec
        s.detached = true
        let job = try recordJob(s, supervisorPid: nil)
        if let problem = Executable.problem(job.command[0]) {
            throw try finishFailedStart(job, reason: problem).startFailure ?? CoordError.invariant("job \(job.id) failed to start but is not recorded as failed")
        }
        let argv = [Executable.current, "job", "supervise", "--session", job.session, job.id]
        guard let pid = ProcessRunner.spawnDetached(argv, logTo: Files.join(jobsFolder, job.id + ".supervisor.log")) else {
            _ = try finishFailedStart(job, reason: "cannot start its supervisor \(Executable.current)")
            throw CoordError.data("cannot start the job supervisor \(Executable.current) (job \(job.id) recorded as failed)", mend: "check that it still exists and runs; scripts/install.sh installs it again")
        }
        try store.update(DocumentID(.jobs, job.session), as: job.session) { (tx) throws(CoordError) in
            tx.set(Coord.jobPath(job.id), ["supervisorPid": .int(Int64(pid))])
            tx.subject = "jobs: supervise \(job.id) in process \(pid)"
            tx.operation = "jobs.supervise"
        }
        return try jobRecord(job.id, session: job.session) ?? job
    }

    /// The detached supervisor's work (`git coord job supervise ID`): runs the recorded job.
    public func superviseRecorded(_ id: String) throws(CoordError) -> JobRecord {
        let session = try requireSession()
        guard let job = try jobRecord(id, session: session) else { throw CoordError.usage("no job \(id) in session \(session)") }
        guard job.state == .running else { throw CoordError.refused("job \(id) is \(job.state.rawValue), not waiting to run") }
        try store.update(DocumentID(.jobs, session), as: session) { (tx) throws(CoordError) in
            tx.set(Coord.jobPath(id), ["supervisorPid": .int(Int64(OS.processID)),
                                       "supervisorStart": ProcessIdentity.start(of: OS.processID).map(JSONValue.string) ?? .null])
            tx.subject = "jobs: supervise \(id) in process \(OS.processID)"
            tx.operation = "jobs.supervise"
        }
        return try supervise(job, passthrough: false)
    }

    /// Starts the command, pumps its output, beats the job and records its end.
    func supervise(_ job: JobRecord, passthrough: Bool) throws(CoordError) -> JobRecord {
        SupervisorSignals.install(passthrough: passthrough)
        let running = RunningIndex(folder: jobsFolder)
        running.add(job.id, session: job.session, supervisorPid: OS.processID)
        defer { running.remove(job.id) }
        let started = Clock.monotonicNanoseconds()
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(job.command, environment: ["GIT_COORD_JOB": job.id], stdinNull: !passthrough)
        } catch {
            return try finishFailedStart(job, reason: error.reason)
        }
        SupervisorSignals.forwardTo(child.pid)
        _ = try? store.update(DocumentID(.jobs, job.session), as: job.session) { (tx) throws(CoordError) in
            tx.set(Coord.jobPath(job.id), ["pid": .int(Int64(child.pid))])
            tx.subject = "jobs: \(job.id) runs as process \(child.pid)"
            tx.operation = "jobs.pid"
        }
        beatJob(job)
        let log = LogSink(log: jobLogPath(job.id), stderr: jobStderrPath(job.id), passthrough: passthrough)
        let status = child.pump(into: log, tick: Coord.jobBeatInterval) { self.beatJob(job) }
        SupervisorSignals.forwardTo(0)
        let duration = Int64((Clock.monotonicNanoseconds() - started) / 1_000_000)
        let tail = StderrTail.read(jobStderrPath(job.id), lines: job.tailLines)
        return try finish(job, status: status, durationMs: duration, tail: tail)
    }

    /// Records the supervisor's heartbeat for a job (best effort).
    func beatJob(_ job: JobRecord) {
        _ = try? store.update(DocumentID(.beat, job.session), as: job.session) { (tx) throws(CoordError) in
            tx.set(Coord.jobPath(job.id), ["at": .int(tx.stamp.milliseconds), "supervisorPid": .int(Int64(OS.processID))])
            tx.subject = "beat: job \(job.id)"
            tx.operation = "beat.job"
        }
    }

    /// The last beat of a job's supervisor, nil when none.
    func jobBeat(_ job: JobRecord) -> Int64? {
        guard let snap = try? store.snapshot(DocumentID(.beat, job.session)) else { return nil }
        return (try? snap.fields(Coord.jobPath(job.id)))??.value("at")?.intValue
    }

    /// Records a job that could not start, and tells the `--notify` sessions.
    func finishFailedStart(_ job: JobRecord, reason: String) throws(CoordError) -> JobRecord {
        try recordEnd(job, fields: ["state": .string(JobState.failed.rawValue), "error": .string(reason), "durationMs": 0], onlyIfRunning: false)
    }

    func finish(_ job: JobRecord, status: ChildProcess.Status, durationMs: Int64, tail: String) throws(CoordError) -> JobRecord {
        var f: [String: JSONValue] = ["durationMs": .int(durationMs), "tail": .string(tail)]
        switch status {
        case .exited(let code):
            f["state"] = .string(JobState.exited.rawValue)
            f["exitCode"] = .int(Int64(code))
        case .signaled(let sig):
            f["state"] = .string(JobState.signaled.rawValue)
            f["signal"] = .int(Int64(sig))
        }
        return try recordEnd(job, fields: f, onlyIfRunning: false)
    }

    /// Writes a job's end and tells its `--notify` sessions.
    ///
    /// A supervisor recording its own job's end (`onlyIfRunning` false) sends the messages first
    /// and then records the end, so whoever wakes on the end (`job wait`) finds the report already
    /// delivered. A reaper (`onlyIfRunning` true) records first and sends only when its own write
    /// is the one that moved the job out of `running`: the `notified` mark is part of that atomic
    /// update, so of several processes noticing a lost job at once exactly one tells.
    func recordEnd(_ job: JobRecord, fields: [String: JSONValue], onlyIfRunning: Bool) throws(CoordError) -> JobRecord {
        var f = fields
        let now = store.now()
        f["endedAt"] = .int(now)
        if f["durationMs"] == nil, let s = job.startedAt { f["durationMs"] = .int(max(0, now - s)) }
        f["notified"] = .bool(true)
        if !onlyIfRunning { notifyJobEnd(try preview(job, with: f)) }
        var mine = false
        let result = try store.update(DocumentID(.jobs, job.session), as: job.session) { (tx) throws(CoordError) in
            mine = false
            if onlyIfRunning {
                let current = try tx.snapshot.fields(Coord.jobPath(job.id)).flatMap { JobRecord(fields: $0, session: job.session) }
                guard let current, current.state == .running, !current.notified else { return }
                mine = true
            }
            tx.set(Coord.jobPath(job.id), f)
            let state = f["state"]?.stringValue ?? "ended"
            tx.subject = "jobs: \(job.id) \(job.label) \(state)\(f["exitCode"]?.intValue.map { " \($0)" } ?? "")"
            tx.operation = "jobs.end"
        }
        let ended = try jobRecord(job.id, session: job.session) ?? job
        if result != nil, mine { notifyJobEnd(ended) }
        return ended
    }

    /// The job as it will read once `fields` are written.
    func preview(_ job: JobRecord, with fields: [String: JSONValue]) throws(CoordError) -> JobRecord {
        var map = try store.snapshot(DocumentID(.jobs, job.session)).fields(Coord.jobPath(job.id)) ?? FieldMap()
        let stamp = Stamp(milliseconds: store.now(), counter: 0, session: job.session)
        for (k, v) in fields { map[k] = .register(stamp: stamp, value: v) }
        return JobRecord(fields: map, session: job.session) ?? job
    }
}

/// Finds programs the way `posix_spawnp` does, to refuse a command that cannot start up front.
public enum Executable {
    /// Why `program` cannot be started, nil when it can.
    static func problem(_ program: String) -> String? {
        if program.contains("/") {
            guard Files.exists(program) else { return "no such file" }
            return OS.isExecutable(program) && !Files.isDirectory(program) ? nil : "not executable"
        }
        let path = ProcessEnvironment.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + program
            if OS.isExecutable(candidate) && !Files.isDirectory(candidate) { return nil }
        }
        return "command not found in PATH"
    }

    /// This program's own path, to start supervisors and heartbeats from (for the MCP server,
    /// the git-coord beside it).
    public static var current: String {
        guard let path = OS.executablePath else { return CommandLine.arguments.first ?? "git-coord" }
        // The MCP server (git-coord-mcp) starts supervisors and heartbeats from the git-coord
        // binary installed beside it.
        if path.hasSuffix("/git-coord-mcp") { return String(path.dropLast("-mcp".count)) }
        return path
    }
}
