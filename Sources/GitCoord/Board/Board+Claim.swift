/// What a claim did.
public enum ClaimOutcome: Sendable, Equatable {
    /// The task is now held by the caller.
    case claimed(BoardTask)
    /// The caller already held it: nothing was written.
    case alreadyHeld(BoardTask)

    public var task: BoardTask {
        switch self {
        case .claimed(let t), .alreadyHeld(let t): return t
        }
    }
}

extension Coord {
    /// Claims a task for this session, atomically within the repository.
    ///
    /// The check and the write are one compare-and-swap on `refs/coord/board`: when several
    /// processes claim one task at once, exactly one wins and every other is refused (exit 1) with
    /// the holder's name. Claiming a task this session already holds succeeds and writes nothing.
    /// Only the task's own cell is read, never the whole board.
    @discardableResult
    public func claim(_ text: String) throws(CoordError) -> ClaimOutcome {
        let me = try requireSession()
        var outcome: ClaimOutcome? = nil
        try updateTask(text, as: me) { (tx, id, old, task) throws(CoordError) in
            if task.isDone {
                throw CoordError.refused("\(id) \(task.quotedTitle) is done; `git coord board reopen \(id)` first to work on it again")
            }
            let current = TaskCell.claim(old)
            if let holder = current.holder {
                if holder == me { outcome = .alreadyHeld(task); return }
                let since = current.stamp.map { " since " + TimeText.utc($0.milliseconds) } ?? ""
                throw CoordError.refused("\(id) is claimed by \(holder)\(since)", mend: "take another task (git coord board ready), or ask \(holder)")
            }
            let field = Field.claim(epoch: current.epoch, stamp: tx.stamp, holder: me)
            tx.setField(TaskCell.path(id), TaskCell.claimField, field)
            var joined = old
            joined[TaskCell.claimField] = field
            outcome = .claimed(TaskCell.task(id: id, fields: joined))
            tx.subject = "board: claim \(id) \(task.quotedTitle) by \(me)"
            tx.operation = "board.claim"
        }
        guard let outcome else { throw CoordError.invariant("claim of \(text) ended without an outcome") }
        return outcome
    }

    /// Releases a claim so the task is open again. Only the holder may release it, unless `force`
    /// (for a holder that is gone). Releasing an unclaimed task writes nothing.
    @discardableResult
    public func release(_ text: String, force: Bool = false) throws(CoordError) -> BoardTask {
        try releaseTask(text, force: force).task
    }

    /// Like ``release(_:force:)``, and says whether a claim was released (false: it was not
    /// claimed, nothing was written).
    public func releaseTask(_ text: String, force: Bool = false) throws(CoordError) -> (task: BoardTask, released: Bool) {
        let me = try requireSession()
        var result: BoardTask? = nil
        var released = false
        try updateTask(text, as: me) { (tx, id, old, task) throws(CoordError) in
            result = task
            released = false
            let current = TaskCell.claim(old)
            guard let holder = current.holder else { return }
            released = true
            if holder != me && !force {
                throw CoordError.refused("\(id) is claimed by \(holder), not \(me); pass --force to release it anyway")
            }
            let field = Field.claim(epoch: try TaskCell.nextEpoch(after: current.epoch, task: id), stamp: tx.stamp, holder: nil)
            tx.setField(TaskCell.path(id), TaskCell.claimField, field)
            var joined = old
            joined[TaskCell.claimField] = field
            result = TaskCell.task(id: id, fields: joined)
            let by = holder == me ? "" : " (held by \(holder))"
            tx.subject = "board: release \(id) \(task.quotedTitle) by \(me)\(by)"
            tx.operation = "board.release"
        }
        guard let result else { throw CoordError.invariant("release of \(text) ended without a result") }
        return (result, released)
    }
}
