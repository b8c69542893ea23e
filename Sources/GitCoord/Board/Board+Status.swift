extension Coord {
    /// Marks a task done (and releases its claim, whoever held it). With `note`, the note is kept
    /// as a comment of kind `done`. Marking a done task done again writes nothing.
    @discardableResult
    public func markDone(_ text: String, note: String? = nil) throws(CoordError) -> BoardTask {
        try setStatus(text, done: true, note: note)
    }

    /// Opens a done task again. Reopening an open task writes nothing.
    @discardableResult
    public func reopen(_ text: String) throws(CoordError) -> BoardTask {
        try setStatus(text, done: false, note: nil)
    }

    /// Like ``reopen(_:)``, and says whether the task was done (false: it was open already and
    /// nothing was written).
    public func reopenTask(_ text: String) throws(CoordError) -> (task: BoardTask, reopened: Bool) {
        var changed = false
        let task = try setStatus(text, done: false, note: nil, changed: &changed)
        return (task, changed)
    }

    private func setStatus(_ text: String, done: Bool, note: String?) throws(CoordError) -> BoardTask {
        var changed = false
        return try setStatus(text, done: done, note: note, changed: &changed)
    }

    private func setStatus(_ text: String, done: Bool, note: String?, changed: inout Bool) throws(CoordError) -> BoardTask {
        let me = try requireSession()
        if let note, note.trimmingSpaces().isEmpty {
            throw CoordError.usage("the note given with -m is empty: leave -m out, or say what was done")
        }
        var result: BoardTask? = nil
        try updateTask(text, as: me) { (tx, id, old, task) throws(CoordError) in
            result = task
            changed = task.isDone != done
            if !changed { return }
            var edit = FieldMap()
            edit["status"] = .register(stamp: tx.stamp, value: .string(done ? "done" : "open"))
            let current = TaskCell.claim(old)
            if done, current.holder != nil {
                edit[TaskCell.claimField] = .claim(epoch: try TaskCell.nextEpoch(after: current.epoch, task: id), stamp: tx.stamp, holder: nil)
            }
            tx.put(TaskCell.path(id), edit.bytes)
            if let note {
                let c = TaskComment(id: Coord.commentID(tx.stamp), author: me, at: tx.stamp.milliseconds, text: note, kind: "done")
                tx.putRecord(TaskComment.folder(task: id) + "/\(c.id).rec", c.record)
            }
            result = TaskCell.task(id: id, fields: FieldMap.join(old, edit))
            let verb = done ? "done" : "reopen"
            tx.subject = "board: \(verb) \(id) \(task.quotedTitle) by \(me)"
            tx.operation = "board.\(verb)"
        }
        guard let result else { throw CoordError.invariant("status change of \(text) ended without a result") }
        return result
    }

    /// Adds a comment to a task and returns it.
    @discardableResult
    public func comment(_ text: String, _ body: String) throws(CoordError) -> TaskComment {
        let me = try requireSession()
        guard !body.trimmingSpaces().isEmpty else {
            throw CoordError.usage("the comment is empty: pass the text with -m \"...\"")
        }
        var made: TaskComment? = nil
        try updateTask(text, as: me) { (tx, id, _, task) throws(CoordError) in
            let c = TaskComment(id: Coord.commentID(tx.stamp), author: me, at: tx.stamp.milliseconds, text: body, kind: "comment")
            tx.putRecord(TaskComment.folder(task: id) + "/\(c.id).rec", c.record)
            made = c
            tx.subject = "board: comment \(id) \(task.quotedTitle) by \(me)"
            tx.operation = "board.comment"
        }
        guard let made else { throw CoordError.invariant("comment on \(text) ended without a record") }
        return made
    }

    /// Comment ids sort by time: the stamp's milliseconds and counter, then 4 random characters.
    static func commentID(_ stamp: Stamp) -> String {
        let ms = String(stamp.milliseconds)
        let c = String(stamp.counter)
        return String(repeating: "0", count: max(0, 13 - ms.count)) + ms
            + "." + String(repeating: "0", count: max(0, 4 - c.count)) + c
            + "-" + String(IDGenerator.make("", length: 4))
    }

    /// The comments of a task, oldest first.
    public func comments(task id: String, in snap: Snapshot) throws(CoordError) -> [TaskComment] {
        var out: [TaskComment] = []
        for blob in try snap.blobs(under: TaskComment.folder(task: id)) where blob.path.hasSuffix(".rec") {
            guard let new = blob.new, let bytes = try? snap.blob(new),
                  let v = try? JSONValue.parse(bytes),
                  let c = TaskComment(id: Shard.id(fromPath: blob.path), record: v) else { continue }
            out.append(c)
        }
        return out.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
    }
}
