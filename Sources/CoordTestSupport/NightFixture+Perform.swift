import GitCoord

extension Generator {
    static let words = ["sync", "board", "mailbox", "claims", "merge", "watcher", "hooks", "brief", "jobs", "beat", "docs", "bench"]

    func coord(_ name: String) -> Coord { coords[name]! }

    /// Runs one planned action through the library, counting what the report must show.
    mutating func perform(_ action: Action) throws {
        switch action {
        case .join(let name, let role):
            try coord(name).join(name, role: role)
            truth.operations += 1
        case .add(let i, let after):
            let title = i == spec.tasks * 8 / 10 + 15 ? truth.hostileTitle
                : "Task \(i): \(["fix", "add", "test", "speed up", "document"][i % 5]) the \(Generator.words[i % Generator.words.count])"
            let deps = after.map { [taskIDs[$0]] } ?? []
            let task = try coord(truth.coordinator).addTask(TaskDraft(title: title, priority: i % 5, after: deps))
            if taskIDs.count <= i { taskIDs += Array(repeating: "", count: i + 1 - taskIDs.count) }
            taskIDs[i] = task.id
            truth.added += 1
            if after != nil { truth.blockedIDs.append(task.id) }
            truth.operations += 1
        case .claim(let w, let i):
            try coord(w).claim(taskIDs[i])
            truth.claims += 1
            truth.operations += 1
            if i == strandedIndex { truth.stranded = taskIDs[i] }
        case .done(let w, let i):
            try coord(w).markDone(taskIDs[i])
            truth.done += 1
            truth.doneIDs.append(taskIDs[i])
            truth.operations += 1
        case .release(let w, let i):
            try coord(w).release(taskIDs[i])
            truth.released += 1
            truth.operations += 1
        case .reopen(let i):
            try coord(truth.coordinator).reopen(taskIDs[i])
            truth.reopened += 1
            truth.reopenedIDs.append(taskIDs[i])
            truth.operations += 1
        case .jobStart(let w, let j):
            try writeJobStart(jobs[j], as: w)
            truth.operations += 1
        case .jobEnd(let w, let j):
            truth.jobs.append(try writeJobEnd(jobs[j], as: w))
            truth.operations += 1
        case .send(let from, let to, let k):
            let subject = k == 7 ? truth.hostileSubject : "\(["status", "question", "review", "blocked", "done"][k % 5]) \(k)"
            try coord(from).send(Outgoing(to: [to], body: "message \(k) from \(from) to \(to)", subject: subject))
            truth.messages += 1
            truth.pairs["\(from)>\(to)", default: 0] += 1
            truth.operations += 2
        case .state(let key, let value):
            try coord(truth.coordinator).setState(key, .string(value))
            truth.operations += 1
        case .beat(let name, let ended):
            try coord(name).beat(name, ended: ended ? true : nil)
        }
    }

    /// A job's start as a supervisor records it (`jobs.start`), without running a process: the
    /// night's clock is not the machine's.
    func writeJobStart(_ job: PlannedJob, as w: String) throws {
        try coord(w).store.update(DocumentID(.jobs, w), as: w) { (tx) throws(CoordError) in
            tx.set(Shard.path("jobs", job.id, ext: "lww"), [
                "id": .string(job.id), "name": .string(job.name), "command": .array(job.command.map(JSONValue.string)),
                "cwd": "/work/repo", "host": "night-host", "startedAt": .int(tx.stamp.milliseconds), "state": "running",
                "notify": .array([.string(truth.coordinator)]), "tailLines": 20, "log": .string("/tmp/\(job.id).log"),
                "notified": false, "detached": true, "supervisorPid": 4242,
            ])
            tx.subject = "jobs: start \(job.id) \(job.name) \(job.command.joined(separator: " "))"
            tx.operation = "jobs.start"
        }
    }

    /// A job's end as its supervisor (or, for a lost job, the reaper) records it (`jobs.end`).
    func writeJobEnd(_ job: PlannedJob, as w: String) throws -> NightTruth.Job {
        var f: [String: JSONValue] = ["endedAt": .int(job.end), "durationMs": .int(job.end - job.start), "notified": true]
        var result = NightTruth.Job(id: job.id, session: w, state: "exited", exitCode: 0, lastLine: nil)
        switch job.outcome {
        case .ok:
            f["state"] = "exited"; f["exitCode"] = 0; f["tail"] = "Test Suite 'All tests' passed"
        case .exit(let code, let line):
            f["state"] = "exited"; f["exitCode"] = .int(Int64(code)); f["tail"] = .string("Building...\nRunning tests...\n\(line)\n")
            result.exitCode = code; result.lastLine = line
        case .signal(let sig):
            let line = "Test Suite 'BoardTests' started"
            f["state"] = "signaled"; f["signal"] = .int(Int64(sig)); f["tail"] = .string("Compiling...\n\(line)")
            result = .init(id: job.id, session: w, state: "signaled", exitCode: nil, lastLine: line)
        case .cannotStart:
            let error = "command not found in PATH"
            f["state"] = "failed"; f["error"] = .string(error); f["durationMs"] = 0
            result = .init(id: job.id, session: w, state: "failed", exitCode: nil, lastLine: error)
        case .lost:
            let error = "its supervisor (process 4242) vanished"
            f["state"] = "lost"; f["error"] = .string(error)
            result = .init(id: job.id, session: w, state: "lost", exitCode: nil, lastLine: error)
        }
        try coord(w).store.update(DocumentID(.jobs, w), as: w) { (tx) throws(CoordError) in
            tx.set(Shard.path("jobs", job.id, ext: "lww"), f)
            tx.subject = "jobs: \(job.id) \(job.name) \(f["state"]?.stringValue ?? "ended")"
            tx.operation = "jobs.end"
        }
        return result
    }
}
