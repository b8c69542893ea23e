/// Leases in the brief and in `sessions`.
extension Coord {
    /// The active leases, by holder.
    public func activeLeasesBySession() throws(CoordError) -> [String: [Lease]] {
        var out: [String: [Lease]] = [:]
        for e in try leaseEntries(includeEnded: false) { out[e.lease.holder, default: []].append(e.lease) }
        return out
    }

    /// The session's own leases, then the exclusive leases of others (paths to keep off).
    static func leasesSection(_ c: BriefContext) throws(CoordError) -> BriefSection? {
        let active = try c.coord.leaseEntries(includeEnded: false).map(\.lease)
        guard !active.isEmpty else { return nil }
        let mine = active.filter { $0.holder == c.session }
        let others = active.filter { $0.holder != c.session && $0.exclusive }
        guard !mine.isEmpty || !others.isEmpty else { return nil }
        func describe(_ l: Lease) -> String {
            var line = "\(l.id) \(l.mode) \(abbreviate(l.paths.map(\.text).joined(separator: " "), to: 160))"
            if let e = l.expires { line += " until \(TimeText.utc(e))" }
            if let t = l.task { line += " for \(t)" }
            return line
        }
        var lines = mine.prefix(10).map { "yours: " + describe($0) }
        lines += others.prefix(10).map { "\($0.holder)'s: " + describe($0) + " (keep off)" }
        let hidden = max(0, mine.count - 10) + max(0, others.count - 10)
        if hidden > 0 { lines.append("and \(hidden) more (`git coord lease list`)") }
        return BriefSection(name: "leases", title: "Leases: \(mine.count) yours, \(others.count) exclusive of others", lines: lines)
    }
}

extension Lease {
    /// `L-k3m9qz src/net/, L-… docs/*.md` for a table column; `-` when there is none.
    public static func shortList(_ leases: [Lease]) -> String {
        guard !leases.isEmpty else { return "-" }
        let shown = leases.prefix(3).map { "\($0.id) \($0.paths.first?.text ?? "")\($0.paths.count > 1 ? " +\($0.paths.count - 1)" : "")" }
        return shown.joined(separator: ", ") + (leases.count > 3 ? ", +\(leases.count - 3)" : "")
    }
}

extension JSONValue {
    /// This object with one more key.
    public func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var o) = self else { return self }
        o[key] = value
        return .object(o)
    }
}

extension Coord {
    /// `send --lease L-…`: the message goes to the lease's holder too, and its subject names the
    /// lease (`about lease L-k3m9qz src/net/`), so the holder knows which paths are meant.
    public func addressing(lease text: String, to: [String], subject: String?) throws(CoordError) -> (to: [String], subject: String) {
        let table = try Coord.leaseTable(try store.snapshot(.leases))
        guard let lease = try Coord.resolveLeases([text], in: table.leases).first else {
            throw CoordError.usage("no lease matches '\(text)'; see git coord lease list --all")
        }
        let about = "lease \(lease.id) \(lease.paths.prefix(3).map(\.text).joined(separator: " "))"
        let recipients = to.contains(lease.holder) ? to : to + [lease.holder]
        return (recipients, subject.map { "\($0) (\(about))" } ?? "about \(about)")
    }
}
