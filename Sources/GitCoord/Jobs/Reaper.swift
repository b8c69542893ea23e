extension Coord {
    /// Marks as `lost` the jobs supervised on this host whose supervisor vanished, and tells their
    /// `--notify` sessions, each exactly once. Returns the jobs it marked.
    ///
    /// Cheap enough for every command: it reads the local index of running jobs (one small folder,
    /// usually empty) and checks each supervisor's pid; the documents are read only for a supervisor
    /// that is gone. Never fails a command.
    @discardableResult
    public func reapLostJobs() -> [JobRecord] {
        let index = RunningIndex(folder: jobsFolder)
        var lost: [JobRecord] = []
        for entry in index.entries() where !ProcessIdentity.isRunning(entry.supervisorPid, start: entry.supervisorStart) {
            if let job = try? jobRecord(entry.id, session: entry.session), job.state == .running,
               let ended = try? markLost(job, reason: "its supervisor (process \(entry.supervisorPid)) vanished"), ended.state == .lost {
                lost.append(ended)
            }
            index.remove(entry.id)
        }
        return lost
    }

    /// Why a running job is lost, nil when it is not (or not known to be).
    ///
    /// On the job's own host its supervisor's pid decides; elsewhere, a supervisor beat (written
    /// every ``jobBeatInterval``) older than ``jobBeatStale``.
    public func lostReason(_ job: JobRecord) -> String? {
        guard job.state == .running else { return nil }
        let now = store.now()
        if job.host == ProcessRunner.hostName {
            if let s = job.supervisorPid {
                return ProcessIdentity.isRunning(s, start: job.supervisorStart) ? nil : "its supervisor (process \(s)) vanished"
            }
            let since = jobBeat(job) ?? job.startedAt ?? now
            return now - since > Coord.jobBeatStale ? "its supervisor never started" : nil
        }
        let since = jobBeat(job) ?? job.startedAt ?? now
        return now - since > Coord.jobBeatStale ? "its supervisor on \(job.host ?? "another host") stopped beating \((now - since) / 1000) s ago" : nil
    }

    /// Re-judges running jobs, marking the lost ones (and notifying, exactly once). Returns the
    /// jobs as they now stand.
    public func refreshingLost(_ jobs: [JobRecord]) -> [JobRecord] {
        jobs.map { job in
            guard let reason = lostReason(job), let ended = try? markLost(job, reason: reason) else { return job }
            return ended
        }
    }

    /// Marks a running job lost with the tail of the stderr it left, unless it ended meanwhile.
    func markLost(_ job: JobRecord, reason: String) throws(CoordError) -> JobRecord {
        var fields: [String: JSONValue] = ["state": .string(JobState.lost.rawValue), "error": .string(reason)]
        if job.host == ProcessRunner.hostName {
            fields["tail"] = .string(StderrTail.read(jobStderrPath(job.id), lines: job.tailLines))
        }
        return try recordEnd(job, fields: fields, onlyIfRunning: true)
    }
}
