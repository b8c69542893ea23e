import GitCoordStore

/// What `sync --watch` reports as it runs.
public enum SyncWatchEvent: Sendable {
    /// A sync that moved, pushed or refused something (quiet syncs are not reported).
    case synced(SyncReport)
    /// The remote could not be reached (or a sync failed); said once until a sync succeeds again.
    case unreachable(remote: String, detail: String, retryInMs: Int64)
    /// The remote answers again.
    case reachable(remote: String)
}

/// Settings of `sync --watch`.
public struct SyncWatchOptions: Sendable {
    /// How often the remote is checked (a cheap `ls-remote`; a fetch only when it changed).
    public var intervalMs: Int64 = 5_000
    /// The longest wait between attempts while the remote is unreachable.
    public var maxBackoffMs: Int64 = 60_000
    /// Stop after this many milliseconds (nil: run until killed). Tests and benchmarks use it.
    public var stopAfterMs: Int64? = nil
    /// Asked between attempts; returning true ends the loop (for programs embedding the watcher).
    public var shouldStop: (@Sendable () -> Bool)? = nil

    public init(intervalMs: Int64 = 5_000, maxBackoffMs: Int64 = 60_000, stopAfterMs: Int64? = nil) {
        self.intervalMs = intervalMs
        self.maxBackoffMs = maxBackoffMs
        self.stopAfterMs = stopAfterMs
    }
}

extension Coord {
    /// Keeps this clone in sync with `remote` until stopped: pushes right after every local change
    /// (woken by a ``RefWatcher`` on `refs/coord/*`), and every interval asks the remote for its
    /// refs (`git ls-remote`), fetching and merging only when they differ from what was last
    /// fetched. When the remote cannot be reached, says so once, backs off (doubling up to
    /// `maxBackoffMs`) and resumes when it answers again.
    public func watchSync(remote name: String? = nil, options: SyncWatchOptions = SyncWatchOptions(),
                          emit: (SyncWatchEvent) -> Void) async throws(CoordError) {
        let remote = try syncRemote(name)
        let transport = transport(remote)
        let started = Clock.monotonicNanoseconds()
        func elapsedMs() -> Int64 { Int64((Clock.monotonicNanoseconds() - started) / 1_000_000) }
        let wake = LocalChangeWake(coord: self)
        var down = false
        var backoff = options.intervalMs
        var nextCheck: Int64 = 0
        var pushedState = try localRefs()
        var mustSync = true
        while options.stopAfterMs.map({ elapsedMs() < $0 }) ?? true, !(options.shouldStop?() ?? false) {
            do {
                var attempted = false
                if !mustSync, elapsedMs() >= nextCheck {
                    attempted = true
                    mustSync = try await remoteMoved(transport)
                    nextCheck = elapsedMs() + options.intervalMs
                }
                if mustSync {
                    attempted = true
                    // The state the sync starts from, plus what the sync itself moved: a local
                    // write made while the sync ran differs from it and wakes the next round.
                    var state = try localRefs()
                    let report = try await sync(remote: remote, maxRounds: 10, policy: nil, beforePush: nil)
                    for m in report.moved { state[m.document.refName] = m.to }
                    pushedState = state
                    if !report.isQuiet { emit(.synced(report)) }
                    nextCheck = elapsedMs() + options.intervalMs
                }
                if attempted {
                    if down {
                        down = false
                        emit(.reachable(remote: remote))
                    }
                    backoff = options.intervalMs
                }
                mustSync = false
            } catch {
                // Unreachable remote (exit 1) or a fault (a ref locked for long, an unreadable
                // object): either way, say it once, wait, and try again.
                if !down {
                    down = true
                    emit(.unreachable(remote: remote, detail: error.message, retryInMs: backoff))
                }
                nextCheck = elapsedMs() + backoff
                backoff = min(backoff * 2, options.maxBackoffMs)
                mustSync = false
            }
            var budget = max(0, nextCheck - elapsedMs())
            if let stop = options.stopAfterMs { budget = min(budget, max(0, stop - elapsedMs())) }
            if options.shouldStop != nil { budget = min(budget, 200) }
            let changed = try wake.wait(timeoutMs: budget, since: pushedState)
            // While the remote is down, local changes wait for the next attempt.
            if changed && !down { mustSync = true }
            if down && elapsedMs() >= nextCheck { mustSync = true }
        }
    }

    /// Every local document ref → its tip.
    func localRefs() throws(CoordError) -> [String: ObjectID] {
        do {
            var out: [String: ObjectID] = [:]
            for (name, target) in try store.references(matching: "refs/coord/*") { out[name] = target }
            return out
        } catch {
            throw CoordError.data("cannot list refs/coord/*", cause: error, mend: "run `git coord doctor`")
        }
    }

    /// Whether the remote's refs (by `ls-remote`) differ from those last fetched.
    func remoteMoved(_ transport: GitTransport) async throws(CoordError) -> Bool {
        do { return try await transport.listRemote() != trackedRefs(transport) } catch {
            throw CoordError(.refused, error.description, cause: error)
        }
    }

    /// The remote's refs as last fetched, under their names on the remote.
    func trackedRefs(_ transport: GitTransport) -> [String: ObjectID] {
        var out: [String: ObjectID] = [:]
        guard let refs = try? store.references(matching: transport.refs.glob) else { return out }
        for (name, target) in refs { out[transport.refs.local(name)] = target }
        return out
    }
}

/// The one wake-up source of `sync --watch`: returns when a local document ref differs from a
/// given state, or on time-out. Event-driven through ``RefWatcher`` (inotify), with its safety
/// re-check.
struct LocalChangeWake {
    let coord: Coord
    let watcher: RefWatcher

    init(coord: Coord) {
        self.coord = coord
        self.watcher = RefWatcher(store: coord.store, refs: [], safetyIntervalMs: 2_000)
    }

    /// True when local refs differ from `state` (a change to push), false on time-out.
    func wait(timeoutMs: Int64, since state: [String: ObjectID]) throws(CoordError) -> Bool {
        try watcher.wait(timeoutMs: timeoutMs) { () throws(CoordError) -> Bool in
            try coord.localRefs() != state
        }
    }
}
