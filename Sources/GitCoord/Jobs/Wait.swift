extension Coord {
    /// Waits until a job is no longer running, or `timeoutMs` passes (nil: no limit). Returns the
    /// job as it stands, with `state == .running` after a time-out.
    ///
    /// Event-driven: a ``RefWatcher`` on the job's document wakes the wait when the supervisor
    /// records the end. A supervisor killed outright records nothing, so the job is also re-judged
    /// (``lostReason(_:)``) on the watcher's safety timer, every second.
    public func waitForJob(_ idOrPrefix: String, timeoutMs: Int64?) throws(CoordError) -> JobRecord {
        var job = try findJob(idOrPrefix)
        let doc = DocumentID(.jobs, job.session)
        let watcher = RefWatcher(store: store, refs: [doc.refName], safetyIntervalMs: 1_000)
        _ = try watcher.wait(timeoutMs: timeoutMs) { () throws(CoordError) -> Bool in
            job = try jobRecord(job.id, session: job.session) ?? job
            job = refreshingLost([job])[0]
            return job.state.isFinal
        }
        if !job.state.isFinal, watcher.repositoryVanished { throw RefWatcher.vanished(watcher) }
        return job
    }

    /// Starts `git coord heartbeat` for the acting session as a detached process (own session, no
    /// terminal) that outlives the caller, beating every `everyMilliseconds` (nil:
    /// ``defaultHeartbeatInterval``). Returns its pid.
    public func startDetachedHeartbeat(everyMilliseconds: Int64? = nil, watchPid: Int32?) throws(CoordError) -> Int32 {
        let name = try requireSession()
        guard try sessionRecord(name) != nil else { throw Coord.notJoined(name) }
        if let watchPid, !ProcessRunner.isAlive(watchPid) {
            throw CoordError.usage("no process \(watchPid) on this host to watch: pass the pid of a running process to --watch-pid")
        }
        var argv = [Executable.current, "heartbeat", "--session", name, "--every", "\(everyMilliseconds ?? defaultHeartbeatInterval)ms"]
        if let watchPid { argv += ["--watch-pid", String(watchPid)] }
        guard let pid = ProcessRunner.spawnDetached(argv, logTo: Files.join(store.localFolder, "heartbeat", name + ".log"), in: Files.currentDirectory()) else {
            throw CoordError.data("cannot start a detached heartbeat (\(Executable.current))", mend: "check that it still exists and runs; scripts/install.sh installs it again")
        }
        return pid
    }
}
