/// Whether a session is there.
public enum SessionState: String, Sendable, Codable, CaseIterable {
    /// Active within the TTL, or its recorded process runs on this host.
    case alive
    /// Silent for more than the TTL but less than three TTLs.
    case stale
    /// Its process ended, or silent for three TTLs or more.
    case dead
    /// It ran `git coord leave`.
    case left
}

/// A session's registration, last beat and the state they give.
public struct SessionStatus: Sendable, Equatable {
    public var record: SessionRecord
    public var beat: Beat?
    public var state: SessionState
    /// When the session was last seen: its last beat, its join, or its leave (ms).
    public var lastSeen: Int64?
    /// Why it has this state, in words ("watched process 4242 ended").
    public var reason: String

    /// The JSON form printed by `--json`.
    public var json: JSONValue {
        var o = record.json.objectValue ?? [:]
        o["state"] = .string(state.rawValue)
        o["lastSeen"] = lastSeen.map(JSONValue.int) ?? .null
        o["reason"] = .string(reason)
        o["beatPid"] = beat?.pid.map { .int(Int64($0)) } ?? .null
        o["beatPidStart"] = beat?.pidStart.map(JSONValue.string) ?? .null
        o["beatHost"] = beat?.host.map(JSONValue.string) ?? .null
        return .object(o)
    }
}

/// The liveness rule, a pure function of what is recorded and what this host sees.
public enum Liveness {
    /// The default heartbeat TTL: 60 s.
    public static let defaultTTL: Int64 = 60_000

    /// Judges a session.
    ///
    /// In order: a session that left is `left`; a beat that recorded its watched process's end is
    /// `dead`; on the host that recorded it, the process (the beat's pid, else `join --pid`,
    /// each with its recorded start) is checked: gone or replaced by a later process with the same
    /// pid is `dead`, running is `alive`; otherwise the age of the last sign of life decides:
    /// within `ttl` `alive`, within `3 × ttl` `stale`, beyond that `dead`.
    public static func judge(record: SessionRecord, beat: Beat?, now: Int64, ttl: Int64,
                             localHost: String, fate: (Int32, String?) -> ProcessFate) -> SessionStatus {
        var s = SessionStatus(record: record, beat: beat, state: .dead, lastSeen: nil, reason: "")
        s.lastSeen = [beat?.at, record.joinedAt].compactMap { $0 }.max()
        if record.left {
            s.state = .left
            s.lastSeen = record.leftAt ?? s.lastSeen
            s.reason = "left"
            return s
        }
        if let beat, beat.ended {
            s.state = .dead
            s.reason = "its watched process\(beat.pid.map { " \($0)" } ?? "") ended"
            return s
        }
        let host = beat?.host ?? record.host
        let watched: (pid: Int32, start: String?)? = beat?.pid.map { ($0, beat?.pidStart) } ?? record.pid.map { ($0, record.pidStart) }
        if host == localHost, let watched {
            let pid = watched.pid
            switch fate(pid, watched.start) {
            case .running:
                s.state = .alive
                s.reason = "process \(pid) is running"
            case .gone:
                s.state = .dead
                s.reason = "process \(pid) is gone"
            case .replaced:
                s.state = .dead
                s.reason = "process \(pid) is gone (its pid now names another process)"
            }
            return s
        }
        guard let seen = s.lastSeen else {
            s.reason = "never seen"
            return s
        }
        let age = now - seen
        if age <= ttl {
            s.state = .alive
            s.reason = "active within the TTL"
        } else if age <= 3 * ttl {
            s.state = .stale
            s.reason = "silent for more than the TTL"
        } else {
            s.state = .dead
            s.reason = "silent for three TTLs or more"
        }
        return s
    }

    /// Parses a duration: `500ms`, `30s`, `5m`, `2h`, `1d` or a bare number of seconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let n = Double(text.dropLast(suffix.count)), n >= 0, n.isFinite else { return nil }
            return Int64(n * factor)
        }
        guard let n = Double(text), n >= 0, n.isFinite else { return nil }
        return Int64(n * 1000)
    }
}

extension Coord {
    /// `coord.heartbeatTTL` (a duration such as `60s`), else 60 s.
    public var heartbeatTTL: Int64 {
        guard let text = store.config("coord.heartbeatTTL"), let ms = Liveness.parseDuration(text), ms > 0 else {
            return Liveness.defaultTTL
        }
        return ms
    }

    /// The status of one session, nil when it never joined.
    public func sessionStatus(_ name: String) throws(CoordError) -> SessionStatus? {
        guard let record = try sessionRecord(name) else { return nil }
        return Liveness.judge(record: record, beat: try lastBeat(name), now: store.now(), ttl: heartbeatTTL,
                              localHost: ProcessRunner.hostName, fate: ProcessIdentity.fate)
    }

    /// The status of every session, sorted by name; without `includeLeft`, sessions that left are skipped.
    public func sessionStatuses(includeLeft: Bool = false) throws(CoordError) -> [SessionStatus] {
        let ttl = heartbeatTTL, host = ProcessRunner.hostName, now = store.now()
        var out: [SessionStatus] = []
        for record in try sessionRecords() where includeLeft || !record.left {
            out.append(Liveness.judge(record: record, beat: try lastBeat(record.name), now: now, ttl: ttl,
                                      localHost: host, fate: ProcessIdentity.fate))
        }
        return out.sorted { $0.record.name < $1.record.name }
    }
}
