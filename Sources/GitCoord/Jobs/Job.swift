/// Where a supervised job stands.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Its supervisor is running it.
    case running
    /// It ran to its end and exited with a status (zero or not).
    case exited
    /// It could not be started (no such command, not executable).
    case failed
    /// A signal ended it.
    case signaled
    /// Its supervisor vanished (killed, machine down) before recording an end.
    case lost

    public var isFinal: Bool { self != .running }
}

/// One supervised job, as its supervisor records it in `refs/coord/jobs/SESSION`
/// (cell `jobs/X/Y/J-XXXXXX.lww`).
public struct JobRecord: Sendable, Equatable {
    public var id: String
    public var session: String
    public var name: String?
    public var command: [String]
    public var cwd: String?
    public var host: String?
    public var pid: Int32?
    public var supervisorPid: Int32?
    /// When the supervisor started (``ProcessIdentity``): a later process given its pid is not it.
    public var supervisorStart: String?
    public var startedAt: Int64?
    public var state: JobState
    public var notify: [String]
    public var tailLines: Int
    public var log: String?
    public var endedAt: Int64?
    public var exitCode: Int32?
    public var signal: Int32?
    public var durationMs: Int64?
    public var tail: String?
    public var error: String?
    public var notified: Bool
    public var detached: Bool

    /// The job's name, else its command's first word.
    public var label: String { name ?? command.first.map { Files.baseName($0) } ?? "job" }

    /// The exit status `run` and `job wait` give for this job: its own exit code, 128 + the
    /// signal, 127 when it could not start, 125 when lost; nil while running.
    public var shellStatus: Int32? {
        switch state {
        case .running: return nil
        case .exited: return exitCode ?? 0
        case .signaled: return 128 + (signal ?? 0)
        case .failed: return 127
        case .lost: return 125
        }
    }

    /// One line saying how the job ended: `exited 3`, `killed by signal 9 (KILL)`, `lost: …`.
    public var outcome: String {
        switch state {
        case .running: return "running"
        case .exited: return "exited \(exitCode ?? 0)"
        case .signaled: return "killed by signal \(signal ?? 0)\(signal.flatMap(JobRecord.signalName).map { " (\($0))" } ?? "")"
        case .failed: return "failed to start\(error.map { ": \($0)" } ?? "")"
        case .lost: return "lost\(error.map { ": \($0)" } ?? "")"
        }
    }

    /// What `run` ends with for a job whose command could not start (exit 127, as a shell
    /// exits for a command it cannot run); nil for any other job.
    public var startFailure: CoordError? {
        guard state == .failed else { return nil }
        return CoordError(.status(127), "cannot start \(command.first ?? "?"): \(error ?? "failed") (recorded as job \(id), failed)")
    }

    static func signalName(_ s: Int32) -> String? {
        let names: [Int32: String] = [1: "HUP", 2: "INT", 3: "QUIT", 6: "ABRT", 9: "KILL", 11: "SEGV", 13: "PIPE", 14: "ALRM", 15: "TERM"]
        return names[s]
    }
}

extension JobRecord {
    init?(fields map: FieldMap, session: String) {
        guard let id = map.value("id")?.stringValue, let st = map.value("state")?.stringValue, let state = JobState(rawValue: st) else { return nil }
        self.id = id
        self.session = session
        self.state = state
        name = map.value("name")?.stringValue
        command = map.value("command")?.arrayValue?.compactMap(\.stringValue) ?? []
        cwd = map.value("cwd")?.stringValue
        host = map.value("host")?.stringValue
        pid = map.value("pid")?.intValue.map { Int32(truncatingIfNeeded: $0) }
        supervisorPid = map.value("supervisorPid")?.intValue.map { Int32(truncatingIfNeeded: $0) }
        supervisorStart = map.value("supervisorStart")?.stringValue
        startedAt = map.value("startedAt")?.intValue
        notify = map.value("notify")?.arrayValue?.compactMap(\.stringValue).filter(SessionName.isValid) ?? []
        tailLines = Int(clamping: map.value("tailLines")?.intValue ?? 20)
        log = map.value("log")?.stringValue
        endedAt = map.value("endedAt")?.intValue
        exitCode = map.value("exitCode")?.intValue.map { Int32(truncatingIfNeeded: $0) }
        signal = map.value("signal")?.intValue.map { Int32(truncatingIfNeeded: $0) }
        durationMs = map.value("durationMs")?.intValue
        tail = map.value("tail")?.stringValue
        error = map.value("error")?.stringValue
        notified = map.value("notified")?.boolValue ?? false
        detached = map.value("detached")?.boolValue ?? false
    }

    /// The JSON form printed by `--json`.
    public var json: JSONValue {
        func i32(_ v: Int32?) -> JSONValue { v.map { .int(Int64($0)) } ?? .null }
        return .object([
            "id": .string(id), "session": .string(session), "name": name.map(JSONValue.string) ?? .null,
            "command": .array(command.map(JSONValue.string)), "cwd": cwd.map(JSONValue.string) ?? .null,
            "host": host.map(JSONValue.string) ?? .null, "pid": i32(pid), "supervisorPid": i32(supervisorPid),
            "supervisorStart": supervisorStart.map(JSONValue.string) ?? .null,
            "startedAt": startedAt.map(JSONValue.int) ?? .null, "state": .string(state.rawValue),
            "notify": .array(notify.map(JSONValue.string)), "log": log.map(JSONValue.string) ?? .null,
            "endedAt": endedAt.map(JSONValue.int) ?? .null, "exitCode": i32(exitCode), "signal": i32(signal),
            "durationMs": durationMs.map(JSONValue.int) ?? .null, "tail": tail.map(JSONValue.string) ?? .null,
            "error": error.map(JSONValue.string) ?? .null, "notified": .bool(notified), "detached": .bool(detached),
        ])
    }
}

extension Files {
    /// The last path component.
    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension Coord {
    /// The cell of a job inside its session's jobs document.
    static func jobPath(_ id: String) -> String { Shard.path("jobs", id, ext: "lww") }

    /// The folder under the common git dir holding job logs and the local index of running jobs.
    public var jobsFolder: String { Files.join(store.localFolder, "jobs") }

    /// The log of a job: its stdout and stderr as they came.
    public func jobLogPath(_ id: String) -> String { Files.join(jobsFolder, id + ".log") }
    /// The job's stderr alone, from which its tail is taken.
    func jobStderrPath(_ id: String) -> String { Files.join(jobsFolder, id + ".stderr") }

    /// A job by id, nil when absent.
    public func jobRecord(_ id: String, session: String) throws(CoordError) -> JobRecord? {
        guard let map = try store.snapshot(DocumentID(.jobs, session)).fields(Coord.jobPath(id)) else { return nil }
        return JobRecord(fields: map, session: session)
    }

    /// Every job of every session (or of one), newest first.
    public func jobRecords(session: String? = nil) throws(CoordError) -> [JobRecord] {
        let docs: [DocumentID]
        if let session { docs = [DocumentID(.jobs, session)] } else { docs = try store.documents(.jobs) }
        var out: [JobRecord] = []
        for doc in docs {
            guard let owner = doc.owner else { continue }
            let snap = try store.snapshot(doc)
            for blob in try snap.blobs(under: "jobs") where blob.path.hasSuffix(".lww") {
                if let map = try snap.fields(blob.path), let job = JobRecord(fields: map, session: owner) { out.append(job) }
            }
        }
        return out.sorted { ($0.startedAt ?? 0, $0.id) > ($1.startedAt ?? 0, $1.id) }
    }

    /// How long a job that ended stays in the default job list (`git coord jobs`, the MCP `job`
    /// tool's `list`): an hour.
    public static let recentJobWindowMs: Int64 = 3_600_000

    /// The jobs to list, newest first, lost ones re-judged first: the running ones and those that
    /// ended within ``recentJobWindowMs`` of `now`; every job with `all`.
    public func listJobs(all: Bool = false, now: Int64 = Clock.nowMilliseconds()) throws(CoordError) -> [JobRecord] {
        refreshingLost(try jobRecords()).filter { j in
            all || j.state == .running || (j.endedAt ?? now) > now - Coord.recentJobWindowMs
        }
    }

    /// Finds a job by its id or a unique prefix of it, in any session.
    public func findJob(_ text: String) throws(CoordError) -> JobRecord {
        guard IDGenerator.looksLike(text, prefix: "J-") else {
            throw CoordError.usage("'\(text)' is not a job id: job ids look like J-7q2c4x (see `git coord jobs --all`)")
        }
        let prefix = text.lowercased().replacingPrefix("j-", with: "J-")
        var found: [JobRecord] = []
        for doc in try store.documents(.jobs) {
            guard let owner = doc.owner else { continue }
            let snap = try store.snapshot(doc)
            for entry in try snap.blobs(under: Shard.folder("jobs", forPrefix: prefix)) where entry.path.hasSuffix(".lww") {
                let id = Shard.id(fromPath: entry.path)
                guard id.hasPrefix(prefix), let map = try snap.fields(entry.path), let job = JobRecord(fields: map, session: owner) else { continue }
                found.append(job)
            }
        }
        if found.count == 1 { return found[0] }
        if found.isEmpty { throw CoordError.usage("no job \(text): see `git coord jobs --all`") }
        throw CoordError.usage("job id \(text) is ambiguous (\(found.map(\.id).sorted().joined(separator: ", "))): type more of it")
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with other: String) -> String {
        hasPrefix(prefix) ? other + dropFirst(prefix.count) : self
    }
}
