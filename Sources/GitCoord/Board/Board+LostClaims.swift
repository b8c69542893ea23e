import GitCoordStore

/// A claim a session held before a merge and no longer holds after it.
public struct LostClaim: Sendable, Equatable {
    public let task: String
    public let title: String
    /// Who holds the task now (the claim that won in the same epoch), nil when it was released or
    /// marked done elsewhere.
    public let holder: String?
    /// When the winning claim was made (ms), when there is one.
    public let since: Int64?
    public let isDone: Bool

    /// The line to tell the loser: `lost claim on T-… "title": worker-2's claim reached the shared
    /// remote first (claimed at …)`.
    public var message: String {
        let quoted = "\"\(title)\""
        if let holder {
            return "lost claim on \(task) \(quoted): \(holder)'s claim reached the shared remote first\(since.map { " (claimed at \(TimeText.utc($0)))" } ?? "")"
        }
        if isDone { return "lost claim on \(task) \(quoted): it was marked done elsewhere" }
        return "lost claim on \(task) \(quoted): it was released elsewhere"
    }
}

extension Coord {
    /// The claims `session` held in `before` that it no longer holds in `after`: what a merge
    /// (sync with another clone) took away.
    ///
    /// Concurrent claims of one task in one epoch resolve, on every replica alike, to the one that
    /// reached the shared remote first (Docs/Sync.md); the others' holders learn it from this function, which sync calls with the board as it
    /// was before and after merging. Only the task cells that differ between the two trees are read.
    public static func lostClaims(before: Snapshot, after: Snapshot, session: String) throws(CoordError) -> [LostClaim] {
        let changes: [TreeChange]
        do { changes = try after.changes(since: before.tree) } catch {
            throw CoordError.data("cannot compare board states", cause: error, mend: "run `git coord doctor`")
        }
        var lost: [LostClaim] = []
        for change in changes where TaskCell.isTaskPath(change.path) {
            guard let old = change.old, let new = change.new,
                  let oldMap = try? FieldMap(bytes: try after.blob(old)),
                  TaskCell.claim(oldMap).holder == session,
                  let newMap = try? FieldMap(bytes: try after.blob(new)) else { continue }
            let now = TaskCell.claim(newMap)
            guard now.holder != session else { continue }
            let task = TaskCell.task(id: Shard.id(fromPath: change.path), fields: newMap)
            if TaskCell.task(id: task.id, fields: oldMap).isDone { continue }
            lost.append(LostClaim(task: task.id, title: task.title, holder: now.holder,
                                  since: now.holder == nil ? nil : now.stamp?.milliseconds, isDone: task.isDone))
        }
        return lost.sorted { $0.task < $1.task }
    }
}
