/// Checks of this session's mail.
extension Doctor {
    /// Sends of the acting session that did not reach every recipient (a send that failed half
    /// way). `--fix` delivers them from the sender's note, so no recipient gets a second copy.
    static func checkUnfinishedSends(_ coord: Coord, _ fix: Bool) -> [Finding] {
        guard let me = coord.session else { return [] }
        guard let pending = try? coord.unfinishedSends(of: me) else {
            return [Finding("sends", .problem, "cannot read \(me)'s sent messages", mend: "see the refs findings above")]
        }
        guard !pending.isEmpty else { return [Finding("sends", .ok, "every message \(me) sent reached its recipients")] }
        var out: [Finding] = []
        for (m, missing) in pending {
            var f = Finding("sends", .problem, "message \(m.id) did not reach \(missing.joined(separator: ", "))",
                            mend: "git coord doctor --fix delivers it")
            if fix {
                f.fixed = missing.allSatisfy { r in (try? coord.deliver(m, to: r)) != nil }
            }
            out.append(f)
        }
        return out
    }
}
