import GitCoordStore

extension DocumentID {
    /// `refs/coord/leases`: every path lease of the repository.
    public static let leases = DocumentID(.leases)
}

/// What `lease add` asks for.
public struct LeaseRequest: Sendable {
    public var paths: [String]
    public var shared = false
    /// Time to live (ms); nil: until released, its task is done or its holder is dead.
    public var ttl: Int64?
    public var task: String?
    public var reason: String?

    public init(paths: [String], shared: Bool = false, ttl: Int64? = nil, task: String? = nil, reason: String? = nil) {
        self.paths = paths
        self.shared = shared
        self.ttl = ttl
        self.task = task
        self.reason = reason
    }
}

/// A lease with where it stands.
public struct LeaseEntry: Sendable, Equatable {
    public let lease: Lease
    public let status: LeaseStatus

    public init(lease: Lease, status: LeaseStatus) {
        self.lease = lease
        self.status = status
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(lease.id),
            "holder": .string(lease.holder),
            "paths": .array(lease.paths.map { .string($0.text) }),
            "mode": .string(lease.mode),
            "granted": .int(lease.granted.milliseconds),
            "expires": lease.expires.map(JSONValue.int) ?? .null,
            "task": lease.task.map(JSONValue.string) ?? .null,
            "reason": lease.reason.map(JSONValue.string) ?? .null,
            "status": .string(status.word),
        ]
        switch status {
        case .lost(let winner): o["lostTo"] = .string(winner)
        case .ended(let why): o["endReason"] = .string(why)
        default: break
        }
        return .object(o)
    }
}

/// A path that another live session leases exclusively.
public struct LeaseHit: Sendable, Equatable {
    public let path: String
    public let lease: Lease

    /// `src/net/tcp.c: leased exclusively by worker-2 (L-k3m9qz src/net/, since 09:12:04 UTC, "rework retries")`.
    public var line: String {
        var about = "\(lease.id) \(lease.paths.map(\.text).joined(separator: " ")), since \(TimeText.utc(lease.granted.milliseconds))"
        if let e = lease.expires { about += ", until \(TimeText.utc(e))" }
        if let t = lease.task { about += ", task \(t)" }
        if let r = lease.reason { about += ", \"\(r)\"" }
        return "\(path): leased exclusively by \(lease.holder) (\(about))"
    }

    public var json: JSONValue {
        .object(["path": .string(path), "lease": .string(lease.id), "holder": .string(lease.holder),
                 "paths": .array(lease.paths.map { .string($0.text) })])
    }
}

extension Coord {
    /// Every lease cell of a snapshot of the leases document; malformed cells are skipped.
    static func leaseTable(_ snap: Snapshot) throws(CoordError) -> LeaseTable {
        var out: [Lease] = []
        for blob in try snap.blobs(under: Lease.folder) where blob.path.hasSuffix(".lww") {
            guard let id = blob.new,
                  let bytes = try? snap.blob(id),
                  let map = try? FieldMap(bytes: bytes),
                  let lease = Lease(id: Shard.id(fromPath: blob.path), fields: map) else { continue }
            out.append(lease)
        }
        return LeaseTable(out)
    }

    /// Judges leases against the clock, the board and the liveness rule, asking each holder and
    /// task once.
    final class LeaseJudge {
        let coord: Coord
        let now: Int64
        var holders: [String: SessionState?] = [:]
        var tasks: [String: Bool] = [:]

        init(_ coord: Coord) {
            self.coord = coord
            now = coord.store.now()
        }

        func status(_ lease: Lease, in table: LeaseTable) throws(CoordError) -> LeaseStatus {
            try table.status(lease, now: now, holderState: { (name) throws(CoordError) -> SessionState? in
                if let known = holders[name] { return known }
                let state = try coord.sessionStatus(name)?.state
                holders[name] = state
                return state
            }, taskDone: { (task) throws(CoordError) -> Bool in
                if let known = tasks[task] { return known }
                let done: Bool
                do { done = try coord.task(task).isDone } catch { done = false }
                tasks[task] = done
                return done
            })
        }
    }

    /// Takes a lease for this session, atomically within the repository.
    ///
    /// The check and the write are one compare-and-swap on `refs/coord/leases`: of several sessions
    /// leasing overlapping paths at once, exactly one wins and the others are refused (exit 1)
    /// with the holder. Conflicting leases whose holder is dead or whose task is done are ended
    /// in the same write, so the new grant never loses to them after a sync.
    @discardableResult
    public func addLease(_ request: LeaseRequest) throws(CoordError) -> Lease {
        let me = try requireSession()
        guard !request.paths.isEmpty else { throw CoordError.usage("name at least one pathspec to lease (a file, dir/ or a glob such as src/*.c)") }
        guard request.paths.count <= 1000 else { throw CoordError.usage("at most 1000 pathspecs in one lease") }
        var specs: [Pathspec] = []
        for p in request.paths {
            let spec = try Pathspec(p)
            if !specs.contains(spec) { specs.append(spec) }
        }
        if let ttl = request.ttl, ttl <= 0 { throw CoordError.usage("invalid --ttl: a lease must last longer than 0 s") }
        if let reason = request.reason, reason.utf8.count > 1000 { throw CoordError.usage("--reason is longer than 1000 bytes; say it shorter") }
        let task = try request.task.map { (t) throws(CoordError) -> String in
            let found = try self.task(t)
            if found.isDone { throw CoordError.usage("\(found.id) is done; a lease tied to it would end at once", mend: "reopen it first (git coord board reopen \(found.id)), or lease without --task") }
            return found.id
        }
        let id = Lease.makeID()
        var made: Lease? = nil
        try store.update(.leases, as: me) { (tx) throws(CoordError) in
            let table = try Coord.leaseTable(tx.snapshot)
            let expires = request.ttl.map { tx.stamp.milliseconds + $0 }
            let values = Lease.fields(holder: me, paths: specs, shared: request.shared, expires: expires, ttl: request.ttl, task: task, reason: request.reason)
            var map = FieldMap()
            for (k, v) in values { map[k] = .register(stamp: tx.stamp, value: v) }
            guard let lease = Lease(id: id, fields: map) else { throw CoordError.invariant("lease \(id) cannot be read from the fields just made for it") }
            let judge = LeaseJudge(self)
            var ending: [(Lease, String)] = []
            for other in table.leases where other.conflicts(with: lease) {
                switch try judge.status(other, in: table) {
                case .active:
                    let hit = other.paths.first { s in specs.contains { $0.overlaps(s) } }?.text ?? ""
                    throw CoordError.refused("\(hit) is leased \(other.mode == "shared" ? "(shared) " : "exclusively ")by \(other.holder): \(other.id), since \(TimeText.utc(other.granted.milliseconds))\(other.reason.map { " \"\($0)\"" } ?? ""); ask them (git coord send --lease \(other.id) -m ...) or lease other paths")
                case .holderGone(let s): ending.append((other, "holder \(other.holder) \(s == .left ? "left" : "is dead")"))
                case .taskDone: ending.append((other, "task \(other.task ?? "") is done"))
                default: break
                }
            }
            tx.set(Lease.path(id), values)
            for (other, why) in ending { Lease.end(other.id, by: me, reason: why, in: &tx) }
            tx.subject = "leases: \(lease.summary)" + (ending.isEmpty ? "" : " (ended \(ending.map(\.0.id).joined(separator: ", ")))")
            tx.operation = "lease.add"
            tx.trailers.append(("Coord-Lease", id))
            made = lease
        }
        guard let made else { throw CoordError.invariant("lease \(id) ended without a result") }
        return made
    }

    /// The leases `lease list` shows, in grant order: those in force (every one with
    /// `includeEnded`), only `holder`'s when given.
    public func leaseEntries(includeEnded: Bool, holder: String? = nil) throws(CoordError) -> [LeaseEntry] {
        try leaseEntries().filter { (includeEnded || $0.status.isActive) && (holder == nil || $0.lease.holder == holder) }
    }

    /// Every lease with its status, in grant order.
    public func leaseEntries() throws(CoordError) -> [LeaseEntry] {
        let table = try Coord.leaseTable(try store.snapshot(.leases))
        let judge = LeaseJudge(self)
        var out: [LeaseEntry] = []
        for l in table.leases { out.append(LeaseEntry(lease: l, status: try judge.status(l, in: table))) }
        return out
    }

    /// The ids `texts` name (whole ids or unique prefixes, with or without `L-`) among `leases`.
    static func resolveLeases(_ texts: [String], in leases: [Lease]) throws(CoordError) -> [Lease] {
        var out: [Lease] = []
        for text in texts {
            var t = text.lowercased()
            if !t.hasPrefix("l-") { t = "l-" + t }
            t = "L-" + t.dropFirst(2)
            guard IDGenerator.looksLike(t, prefix: Lease.idPrefix) || t == Lease.idPrefix else {
                throw CoordError.usage("'\(text)' is not a lease id (L- and up to 6 of 0-9 a-z without i l o u); see git coord lease list")
            }
            let found = leases.filter { $0.id.hasPrefix(t) }
            guard let first = found.first else { throw CoordError.usage("no lease matches '\(text)'; see git coord lease list --all") }
            guard found.count == 1 else { throw CoordError.usage("lease prefix '\(text)' is ambiguous: it matches \(found.prefix(10).map(\.id).joined(separator: ", ")); type more characters") }
            if !out.contains(first) { out.append(first) }
        }
        return out
    }

    /// Ends leases: the ones named, or with `all` every active lease of this session. Only the
    /// holder may end a lease, unless `force`. Returns the leases ended (already ended: skipped).
    @discardableResult
    public func releaseLeases(_ ids: [String], all: Bool = false, force: Bool = false) throws(CoordError) -> [Lease] {
        let me = try requireSession()
        guard all != !ids.isEmpty else { throw CoordError.usage("name the leases to release, or pass --all for every lease of \(me)") }
        var released: [Lease] = []
        try store.update(.leases, as: me) { (tx) throws(CoordError) in
            released = []
            let table = try Coord.leaseTable(tx.snapshot)
            let chosen = all ? table.leases.filter { $0.holder == me } : try Coord.resolveLeases(ids, in: table.leases)
            for l in chosen where l.endedAt == nil {
                if l.holder != me && !force {
                    throw CoordError.refused("\(l.id) is held by \(l.holder), not \(me); pass --force to release it anyway")
                }
                Lease.end(l.id, by: me, reason: l.holder == me ? "released" : "released by \(me)", in: &tx)
                released.append(l)
            }
            tx.subject = "leases: release \(released.map(\.id).joined(separator: " ")) by \(me)"
            tx.operation = "lease.release"
        }
        return released
    }

    /// Pushes the end of leases with a TTL one TTL past now: the ones named, else every active
    /// lease of this session. A lease that is no longer active is refused (exit 1): take a new one.
    @discardableResult
    public func renewLeases(_ ids: [String]) throws(CoordError) -> [Lease] {
        let me = try requireSession()
        var renewed: [Lease] = []
        try store.update(.leases, as: me) { (tx) throws(CoordError) in
            renewed = []
            let table = try Coord.leaseTable(tx.snapshot)
            let judge = LeaseJudge(self)
            let chosen = ids.isEmpty ? table.leases.filter { $0.holder == me && $0.endedAt == nil } : try Coord.resolveLeases(ids, in: table.leases)
            for l in chosen {
                if l.holder != me { throw CoordError.refused("\(l.id) is held by \(l.holder), not \(me); only the holder renews a lease") }
                let status = try judge.status(l, in: table)
                guard status == .active else {
                    if ids.isEmpty { continue }
                    throw CoordError.refused("\(l.id) is \(status.word), not active; take a new lease with git coord lease add")
                }
                guard let ttl = l.ttl else { continue }
                tx.set(Lease.path(l.id), ["expires": .int(tx.stamp.milliseconds + ttl)])
                renewed.append(l)
            }
            tx.subject = "leases: renew \(renewed.map(\.id).joined(separator: " ")) by \(me)"
            tx.operation = "lease.renew"
        }
        return renewed
    }

    /// The paths among `paths` (relative to the repository root) that another live session
    /// leases exclusively, with the lease; one hit per path and lease. Leases of this session
    /// never count.
    public func leaseHits(_ paths: [String]) throws(CoordError) -> [LeaseHit] {
        guard !paths.isEmpty, let guardian = try leaseGuard() else { return [] }
        return try guardian.hits(paths)
    }

    /// The exclusive leases of other sessions that could stop a change, indexed by directory;
    /// nil when there are none, so a caller can skip listing paths at all (the commit guard's
    /// common case costs one ref read).
    public func leaseGuard() throws(CoordError) -> LeaseGuard? {
        let snap = try store.snapshot(.leases)
        guard snap.exists else { return nil }
        let table = try Coord.leaseTable(snap)
        let now = store.now()
        var index = PathspecIndex<Int>()
        for (i, l) in table.leases.enumerated() where l.exclusive && l.holder != session && l.endedAt == nil {
            if let e = l.expires, e <= now { continue }
            for spec in l.paths { index.add(spec, i) }
        }
        return index.isEmpty ? nil : LeaseGuard(table: table, index: index, judge: LeaseJudge(self))
    }
}

/// The leases that could stop a change, ready to test paths against. Only the leases that match
/// a path are judged (clock, board, liveness), each once.
public final class LeaseGuard {
    let table: LeaseTable
    let index: PathspecIndex<Int>
    let judge: Coord.LeaseJudge
    private var verdict: [Int: Bool] = [:]

    init(table: LeaseTable, index: PathspecIndex<Int>, judge: Coord.LeaseJudge) {
        self.table = table
        self.index = index
        self.judge = judge
    }

    public func hits(_ paths: [String]) throws(CoordError) -> [LeaseHit] {
        var hits: [LeaseHit] = []
        for path in paths {
            var seen = Set<Int>()
            for i in index.matches(path) where seen.insert(i).inserted {
                let active: Bool
                if let v = verdict[i] { active = v } else {
                    active = try judge.status(table.leases[i], in: table) == .active
                    verdict[i] = active
                }
                if active { hits.append(LeaseHit(path: path, lease: table.leases[i])) }
            }
        }
        return hits
    }
}

extension Coord {
    /// The active leases of `session`, for the brief and `sessions`.
    public func activeLeases(of session: String) throws(CoordError) -> [Lease] {
        try leaseEntries().filter { $0.lease.holder == session && $0.status == .active }.map(\.lease)
    }
}

extension Coord {
    /// `board claim --lease`: claims the task and leases paths tied to it, in one step.
    ///
    /// The board and the leases are two documents, so this is two atomic writes: the claim
    /// first, then the lease with the task (it ends when the task is done). When the lease is
    /// refused, a claim made by this call is released again, so the caller is left with both or
    /// with neither of what it asked for; the refusal names the lease holder.
    public func claim(_ text: String, lease paths: [String], shared: Bool = false, ttl: Int64? = nil) throws(CoordError) -> (ClaimOutcome, Lease) {
        for p in paths { _ = try Pathspec(p) }
        let outcome = try claim(text)
        do {
            let lease = try addLease(LeaseRequest(paths: paths, shared: shared, ttl: ttl, task: outcome.task.id))
            return (outcome, lease)
        } catch {
            if case .claimed = outcome { _ = try? release(outcome.task.id) }
            throw CoordError(error.kind, error.message + "; the claim of \(outcome.task.id) was not kept", cause: error.cause)
        }
    }
}
