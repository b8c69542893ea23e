/// Names that must belong to a session that joined: the writer of a write, an assignee, a job's
/// `--notify`. A typo there would otherwise be stored, or create a mailbox nobody reads.
extension Coord {
    /// What to do when no session is known here (the message of `requireSession()`'s error).
    public static var noSessionHint: String { Identity.noSessionError.message }

    /// The acting session, refused unless it has joined (a left session may still write: its
    /// records stay its own). The error names the way forward.
    public func requireJoinedSession() throws(CoordError) -> String {
        let me = try requireSession()
        guard try sessionRecord(me) != nil else { throw Coord.notJoined(me) }
        return me
    }

    /// Checks that `name` follows the name rule and belongs to a session that joined.
    @discardableResult
    public func requireJoined(_ name: String, what: String) throws(CoordError) -> String {
        try SessionName.validate(name, what: what)
        guard try sessionRecord(name) != nil else {
            throw CoordError.usage("unknown \(what) '\(name)': no session of that name ever joined; check the name (see `git coord sessions --all`)")
        }
        return name
    }
}
