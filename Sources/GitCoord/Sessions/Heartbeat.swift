/// A session's last heartbeat, as kept in `refs/coord/beat/NAME` (cell `beat.lww`).
///
/// The beat document keeps no history: every write is a parentless commit that replaces the
/// previous one, so a day of beats leaves one commit, not thousands.
public struct Beat: Sendable, Equatable {
    /// When the session was last active (wall-clock ms).
    public var at: Int64
    /// The process whose life is the session's life (the watched agent), when known.
    public var pid: Int32?
    /// When that process started (``ProcessIdentity``): a later process given the same pid is not it.
    public var pidStart: String?
    /// The host that beat.
    public var host: String?
    /// Whether the watched process was seen to end.
    public var ended: Bool
    public var endedAt: Int64?

    public init(at: Int64, pid: Int32? = nil, host: String? = nil, ended: Bool = false, endedAt: Int64? = nil, pidStart: String? = nil) {
        self.at = at
        self.pid = pid
        self.pidStart = pidStart
        self.host = host
        self.ended = ended
        self.endedAt = endedAt
    }
}

extension Coord {
    static let beatCell = "beat.lww"
    /// A beat younger than this makes ``touch()`` a read and nothing more.
    public static let touchInterval: Int64 = 5_000

    /// The last heartbeat of a session, nil when it never beat.
    public func lastBeat(_ name: String) throws(CoordError) -> Beat? {
        let snap = try store.snapshot(DocumentID(.beat, name))
        guard let map = try snap.fields(Coord.beatCell), let at = map.value("at")?.intValue else { return nil }
        return Beat(
            at: at,
            pid: map.value("pid")?.intValue.map { Int32(truncatingIfNeeded: $0) },
            host: map.value("host")?.stringValue,
            ended: map.value("ended")?.boolValue ?? false,
            endedAt: map.value("endedAt")?.intValue,
            pidStart: map.value("pidStart")?.stringValue)
    }

    /// Records a heartbeat of `name`: now, from this host.
    ///
    /// - Parameters:
    ///   - pid: the process to record as the session's life (nil keeps the recorded one).
    ///   - ended: true records that the watched process ended (the session reads dead at once);
    ///     false clears an earlier end; nil leaves it as it is.
    @discardableResult
    public func beat(_ name: String, pid: Int32? = nil, clearPid: Bool = false, ended: Bool? = nil) throws(CoordError) -> CoordStore.WriteResult? {
        let host = ProcessRunner.hostName
        return try store.update(DocumentID(.beat, name), as: name) { (tx) throws(CoordError) in
            var fields: [String: JSONValue] = ["at": .int(tx.stamp.milliseconds), "host": .string(host)]
            if let pid {
                fields["pid"] = .int(Int64(pid))
                fields["pidStart"] = ProcessIdentity.start(of: pid).map(JSONValue.string) ?? .null
            } else if clearPid {
                fields["pid"] = .null
                fields["pidStart"] = .null
            }
            if let ended {
                fields["ended"] = .bool(ended)
                fields["endedAt"] = ended ? .int(tx.stamp.milliseconds) : .null
            }
            tx.set(Coord.beatCell, fields)
            tx.subject = ended == true ? "beat: \(name) ended" : "beat: \(name)"
            tx.operation = "beat"
        }
    }

    /// Counts this command as activity of the acting session: one beat, unless the last one is
    /// younger than ``touchInterval``.
    ///
    /// Cheap (a ref and two small objects read) and silent: it never fails a command. A session
    /// that never joined (no beat document) is not touched. Every `git coord` command that acts
    /// as a session calls it, so a session that only runs commands still reads alive.
    public func touch() {
        guard let name = session else { return }
        guard let snap = try? store.snapshot(DocumentID(.beat, name)), snap.exists else { return }
        let last = (try? snap.fields(Coord.beatCell))??.value("at")?.intValue ?? 0
        if store.now() - last < Coord.touchInterval { return }
        _ = try? beat(name)
    }
}

extension Coord {
    static func notJoined(_ name: String) -> CoordError {
        CoordError.usage("session '\(name)' has not joined: run `git coord join \(name)` first")
    }
}

/// The outcome of a heartbeat loop.
public enum HeartbeatEnd: Sendable, Equatable {
    /// The watched process ended; that was recorded.
    case watchedProcessEnded
    /// The session left.
    case sessionLeft
    /// One beat was asked for and written.
    case once
}

extension Coord {
    /// The time between beats when none is given: a third of ``heartbeatTTL``, at least a second.
    public var defaultHeartbeatInterval: Int64 { max(1_000, heartbeatTTL / 3) }

    /// Beats for the acting session every `everyMilliseconds` (nil: ``defaultHeartbeatInterval``)
    /// until the watched process ends (recorded as ended, so the session reads dead at once) or
    /// the session leaves. (The command line marks jobs whose supervisor vanished as lost first,
    /// ``reapLostJobs()``: that rule belongs to the jobs, above the sessions.)
    ///
    /// With no `watchPid`, the pid `join --pid` recorded is watched when it is on this host.
    /// The watch uses a pidfd where the kernel has one, so an end is noticed within milliseconds.
    public func runHeartbeat(everyMilliseconds: Int64? = nil, watchPid: Int32?, once: Bool = false) throws(CoordError) -> HeartbeatEnd {
        let name = try requireSession()
        guard let record = try sessionRecord(name) else { throw Coord.notJoined(name) }
        var watched = watchPid
        if watched == nil, let p = record.pid, record.host == ProcessRunner.hostName,
           ProcessIdentity.isRunning(p, start: record.pidStart) {
            watched = p
        }
        if let watchPid, !ProcessRunner.isAlive(watchPid) {
            throw CoordError.usage("no process \(watchPid) on this host to watch: pass the pid of a running process to --watch-pid")
        }
        try beat(name, pid: watched, ended: false)
        if once { return .once }
        let watch = watched.map { ProcessWatch($0) }
        let every = max(everyMilliseconds ?? defaultHeartbeatInterval, 10)
        while true {
            let ended: Bool
            if let watch { ended = watch.waitForExit(timeoutMilliseconds: every) } else {
                Clock.sleep(milliseconds: Double(every))
                ended = false
            }
            if ended {
                try beat(name, ended: true)
                return .watchedProcessEnded
            }
            if let r = try sessionRecord(name), r.left { return .sessionLeft }
            try beat(name)
        }
    }
}
