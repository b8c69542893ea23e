import GitCoordStore

extension Coord {
    /// The sessions that live in this clone: those `join` recorded in any of its worktrees, and
    /// the session this `Coord` acts as.
    ///
    /// This decides who tells a session it lost a claim in a merge. The merge is deterministic and
    /// happens on every replica, so if every replica told the loser, it would hear it once per
    /// clone. Only the clone where the loser lives sends the message: there the claim was made, so
    /// its board held the claim before the sync moved it, and the sync that moves it (whether by
    /// its own merge or by fast-forwarding to a merge made elsewhere) sees the loss exactly once:
    /// the compare-and-swap lets only one sync process move the board from a given tip.
    public func localSessions() -> Set<String> {
        var names = Set<String>()
        let common = store.commonDir
        var files = [Files.join(common, "coord", "session")]
        for wt in Files.list(Files.join(common, "worktrees")) {
            files.append(Files.join(common, "worktrees", wt, "coord", "session"))
        }
        for file in files {
            if let line = Files.readString(file)?.split(separator: "\n").first.map({ String($0).trimmingSpaces() }),
               SessionName.isValid(line) {
                names.insert(line)
            }
        }
        if let session { names.insert(session) }
        return names
    }

    /// The sender of lost-claim messages: no session made the decision, the merge did.
    public static let syncSender = "git-coord"

    /// Tells each local session that held a claim on the board at `before` and lost it at `after`
    /// (one urgent message per lost claim). A failure to read or send is a warning in the report
    /// rather than a failed sync: the board itself is already right.
    func notifyLostClaims(before: ObjectID?, after: ObjectID, into report: inout SyncReport) {
        guard let before else { return }
        tellLosses(in: .board, before: before, after: after, what: "claims", into: &report) { (old, new, session) throws(CoordError) in
            try Coord.lostClaims(before: old, after: new, session: session).map { lost in
                LossMessage(body: lost.message + ". The merge with another clone gave the task to the earlier claim; pick other work or talk to the holder.",
                            subject: "lost claim on \(lost.task)", notice: ClaimLossNotice(session: session, task: lost.task, winner: lost.holder))
            }
        }
    }

    /// Tells each local session that lost a lease between `before` and `after` (one urgent
    /// message per lease), and lists it in the report; as ``notifyLostClaims(before:after:into:)``
    /// does for claims, and for the same reason only the loser's own clone tells it, once.
    func notifyLostLeases(before: ObjectID?, after: ObjectID, into report: inout SyncReport) {
        tellLosses(in: DocumentID(.leases), before: before, after: after, what: "leases", into: &report) { (old, new, session) throws(CoordError) in
            try Coord.lostLeases(before: old, after: new, session: session).map { lost in
                LossMessage(body: lost.message + ". The merge with another clone gave the paths to the earlier lease; stop changing them, or talk to \(lost.winner.holder) (git coord send --lease \(lost.winner.id) -m ...).",
                            subject: "lost lease \(lost.lease.id)", notice: ClaimLossNotice(session: session, task: lost.lease.id, winner: lost.winner.holder))
            }
        }
    }

    /// One urgent message to a session that lost something in a merge, and its line in the report.
    struct LossMessage {
        let body: String
        let subject: String
        let notice: ClaimLossNotice
    }

    /// Sends each local session the losses `losses` finds for it between the document's states at
    /// `before` and `after`, and lists them in the report. Only the loser's own clone tells it, so
    /// each loss is told once; a failure to read or send is a warning, not a failed sync.
    func tellLosses(in doc: DocumentID, before: ObjectID?, after: ObjectID, what: String, into report: inout SyncReport,
                    _ losses: (Snapshot, Snapshot, String) throws(CoordError) -> [LossMessage]) {
        var notices: [ClaimLossNotice] = []
        do {
            let old = try store.snapshot(doc, at: before), new = try store.snapshot(doc, at: after)
            let sender = Coord(store: store.acting(as: Coord.syncSender))
            for session in localSessions().sorted() {
                for loss in try losses(old, new, session) {
                    _ = try sender.send(Outgoing(to: [session], body: loss.body, subject: loss.subject, urgent: true, allowUnknown: true))
                    notices.append(loss.notice)
                }
            }
        } catch {
            report.warnings.append("could not tell sessions about lost \(what): \(error.message)")
        }
        report.notices.append(contentsOf: notices)
    }
}
