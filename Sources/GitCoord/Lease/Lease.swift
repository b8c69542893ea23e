import GitCoordStore

/// A path lease: a session says which paths it is changing, exclusively or shared.
///
/// Stored as one `.lww` cell per lease in `refs/coord/leases` (`leases/A/B/L-xxxxxx.lww`):
/// registers `holder`, `paths`, `shared`, `expires`, `ttl`, `task`, `reason` and `endReason`,
/// and `ended`, a claim-kind field whose join keeps the earliest end, so a lease's end can only
/// move earlier, never later, whatever order replicas learn of it. The grant time is the stamp of
/// the `holder` register, written once when the lease is made.
public struct Lease: Sendable, Equatable {
    public let id: String
    public let holder: String
    public let paths: [Pathspec]
    public let shared: Bool
    /// When it was granted: the stamp of the operation that made it.
    public let granted: Stamp
    /// When it runs out (ms), nil for a lease without TTL.
    public let expires: Int64?
    /// The TTL `renew` extends by (ms).
    public let ttl: Int64?
    public let task: String?
    public let reason: String?
    /// When it ended (released, or ended for a dead holder or a task done), and why.
    public let endedAt: Stamp?
    public let endReason: String?

    public var exclusive: Bool { !shared }
    public var mode: String { shared ? "shared" : "exclusive" }

    /// Whether the two leases cannot both stand: different holders, overlapping paths, and at
    /// least one exclusive.
    public func conflicts(with other: Lease) -> Bool {
        guard holder != other.holder, exclusive || other.exclusive else { return false }
        return paths.contains { a in other.paths.contains { a.overlaps($0) } }
    }

    /// Whether it was still standing (not ended, not run out) at `stamp`.
    public func inForce(at stamp: Stamp) -> Bool {
        if let endedAt, !(stamp < endedAt) { return false }
        if let expires, expires <= stamp.milliseconds { return false }
        return true
    }

    /// `L-k3m9qz`: lease ids are typed by hand, like task ids.
    public static let idPrefix = "L-"

    public static func makeID() -> String { IDGenerator.make(idPrefix, length: 6) }

    public static func path(_ id: String) -> String { Shard.path("leases", id, ext: CellKind.fields.rawValue) }

    public static let folder = "leases"

    /// The lease a cell holds, nil when the cell is malformed (from a peer: skipped, never trusted).
    public init?(id: String, fields f: FieldMap) {
        guard IDGenerator.looksLike(id, prefix: Lease.idPrefix),
              case .register(let granted, .string(let holder))? = f["holder"], SessionName.isValid(holder),
              let list = f.value("paths")?.arrayValue, !list.isEmpty, list.count <= 1000 else { return nil }
        var specs: [Pathspec] = []
        for v in list {
            guard let s = v.stringValue, let spec = try? Pathspec(s) else { return nil }
            specs.append(spec)
        }
        self.id = id
        self.holder = holder
        self.paths = specs
        self.granted = granted
        shared = f.value("shared")?.boolValue ?? false
        expires = f.value("expires")?.intValue
        ttl = f.value("ttl")?.intValue
        task = f.value("task")?.stringValue
        reason = f.value("reason")?.stringValue
        if case .claim(_, let s, .some)? = f["ended"] { endedAt = s } else { endedAt = nil }
        endReason = f.value("endReason")?.stringValue
    }

    /// The fields that make a new lease.
    static func fields(holder: String, paths: [Pathspec], shared: Bool, expires: Int64?, ttl: Int64?, task: String?, reason: String?) -> [String: JSONValue] {
        var v: [String: JSONValue] = [
            "holder": .string(holder),
            "paths": .array(paths.map { .string($0.text) }),
            "shared": .bool(shared),
        ]
        if let expires { v["expires"] = .int(expires) }
        if let ttl { v["ttl"] = .int(ttl) }
        if let task { v["task"] = .string(task) }
        if let reason { v["reason"] = .string(reason) }
        return v
    }

    /// Ends a lease in a transaction: the earliest end wins on merge.
    static func end(_ id: String, by session: String, reason: String, in tx: inout Transaction) {
        tx.setField(path(id), "ended", .claim(epoch: 0, stamp: tx.stamp, holder: session))
        tx.setField(path(id), "endReason", .register(stamp: tx.stamp, value: .string(reason)))
    }

    /// `L-k3m9qz exclusive src/net/ tests/net/ by worker-2`.
    public var summary: String {
        "\(id) \(mode) \(paths.map(\.text).joined(separator: " ")) by \(holder)"
    }
}

/// Where a lease stands now.
public enum LeaseStatus: Sendable, Equatable {
    case active
    /// Released by its holder or ended by another session (reason given).
    case ended(String)
    /// Its TTL ran out.
    case expired
    /// Its task is done.
    case taskDone
    /// Its holder is dead or left, by the liveness rule.
    case holderGone(SessionState)
    /// An earlier conflicting grant, made in another clone, won on sync.
    case lost(to: String)

    public var word: String {
        switch self {
        case .active: return "active"
        case .ended: return "ended"
        case .expired: return "expired"
        case .taskDone: return "task-done"
        case .holderGone(let s): return "holder-\(s.rawValue)"
        case .lost: return "lost"
        }
    }

    public var isActive: Bool { self == .active }
}

/// All leases of the document, with the deterministic rule that settles conflicting grants.
///
/// A lease is *lost* when an earlier-granted lease conflicts with it, was not lost itself and was
/// still in force when it was granted. Within a repository that never happens (the grant's
/// compare-and-swap refuses a conflict); across clones, two grants made apart resolve to the
/// earliest on every replica alike, from the document alone (no clock, no liveness).
public final class LeaseTable {
    public let leases: [Lease]
    private let byID: [String: Int]
    /// Memo of ``lostTo(_:)``: index → the winner's index, or -1 when not lost.
    private var lostMemo: [Int: Int] = [:]

    public init(_ leases: [Lease]) {
        let sorted = leases.sorted { $0.granted != $1.granted ? $0.granted < $1.granted : $0.id < $1.id }
        self.leases = sorted
        var byID: [String: Int] = [:]
        for (i, l) in sorted.enumerated() { byID[l.id] = i }
        self.byID = byID
    }

    public subscript(id: String) -> Lease? { byID[id].map { leases[$0] } }

    /// The lease that won against `id`, nil when it was not lost. Worked out on demand (most
    /// leases are never asked about), against the earlier leases only.
    public func lostTo(_ id: String) -> String? {
        guard let i = byID[id] else { return nil }
        let w = lostIndex(i)
        return w < 0 ? nil : leases[w].id
    }

    private func lostIndex(_ i: Int) -> Int {
        if let known = lostMemo[i] { return known }
        let l = leases[i]
        var winner = -1
        for m in 0..<i where leases[m].inForce(at: l.granted) && leases[m].conflicts(with: l) && lostIndex(m) < 0 {
            winner = m
            break
        }
        lostMemo[i] = winner
        return winner
    }

    /// The lease's status, asking `holderState` and `taskDone` only when the document alone does
    /// not settle it.
    public func status(_ lease: Lease, now: Int64, holderState: (String) throws(CoordError) -> SessionState?, taskDone: (String) throws(CoordError) -> Bool) throws(CoordError) -> LeaseStatus {
        if lease.endedAt != nil { return .ended(lease.endReason ?? "released") }
        if let winner = lostTo(lease.id) { return .lost(to: winner) }
        if let e = lease.expires, e <= now { return .expired }
        if let task = lease.task, try taskDone(task) { return .taskDone }
        switch try holderState(lease.holder) {
        case .dead?: return .holderGone(.dead)
        case .left?: return .holderGone(.left)
        default: return .active  // alive, stale, or never joined (nothing to judge it by)
        }
    }
}
