import GitCoordStore

/// A lease a session held before a sync and lost in it to an earlier conflicting grant.
public struct LostLease: Sendable, Equatable {
    public let lease: Lease
    public let winner: Lease

    /// `lost lease L-… on src/net/: worker-2 leased src/net/tcp.c first (L-…, at …)`.
    public var message: String {
        "lost lease \(lease.id) on \(lease.paths.map(\.text).joined(separator: " ")): \(winner.holder) leased \(winner.paths.map(\.text).joined(separator: " ")) first (\(winner.id), at \(TimeText.utc(winner.granted.milliseconds)))"
    }
}

extension Coord {
    /// The leases of `session` that stood in `before` and are lost in `after`: what merging with
    /// another clone took away. The rule that decides is a function of the document alone, so
    /// every replica agrees on who lost.
    public static func lostLeases(before: Snapshot, after: Snapshot, session: String) throws(CoordError) -> [LostLease] {
        let old = try leaseTable(before), new = try leaseTable(after)
        var out: [LostLease] = []
        for l in new.leases where l.holder == session && l.endedAt == nil {
            guard let winnerID = new.lostTo(l.id), let winner = new[winnerID] else { continue }
            if old[l.id] != nil && old.lostTo(l.id) != nil { continue } // lost before: told then
            out.append(LostLease(lease: l, winner: winner))
        }
        return out.sorted { $0.lease.id < $1.lease.id }
    }
}
