import GitCoordStore

/// Which tasks `list` shows.
public struct TaskFilter: Sendable, Equatable {
    /// Statuses to show; the default is open and claimed (done tasks leave the list, not history).
    public var statuses: Set<TaskStatus> = [.open, .claimed]
    /// Only tasks claimed by or assigned to this session.
    public var mine: String?
    /// Only ready tasks (open, unclaimed, every dependency done).
    public var readyOnly = false
    public var label: String?

    public init(statuses: Set<TaskStatus> = [.open, .claimed], mine: String? = nil, readyOnly: Bool = false, label: String? = nil) {
        self.statuses = statuses
        self.mine = mine
        self.readyOnly = readyOnly
        self.label = label
    }
}

/// Every task of the board, as the board view materializes it.
public struct BoardIndex: Sendable, Equatable {
    public var tasks: [String: BoardTask] = [:]

    public init(tasks: [String: BoardTask] = [:]) { self.tasks = tasks }

    /// The tasks passing `filter`, by priority, then age, then id. A ready task is open,
    /// unclaimed, and every task it waits for is done (a dependency this replica does not know
    /// counts as not done).
    public func select(_ filter: TaskFilter) -> [BoardTask] {
        // Fields are read in place through indices: copying 10,000 whole tasks to look at two
        // fields of each was a tenth of a warm `list`.
        let values = tasks.values
        var done = Set<String>()
        if filter.readyOnly {
            for i in values.indices where values[i].isDone { done.insert(values[i].id) }
        }
        var keys: [(priority: Int, createdAt: Int64, id: String)] = []
        for i in values.indices {
            let status = values[i].status
            if filter.readyOnly {
                guard status == .open, values[i].after.allSatisfy({ done.contains($0) }) else { continue }
            } else if !filter.statuses.contains(status) { continue }
            if let me = filter.mine, values[i].claimedBy != me && values[i].assign != me { continue }
            if let l = filter.label, !values[i].labels.contains(l) { continue }
            keys.append((values[i].priority, values[i].createdAt, values[i].id))
        }
        // Sort small keys, not whole tasks.
        keys.sort { ($0.priority, $0.createdAt, $0.id) < ($1.priority, $1.createdAt, $1.id) }
        return keys.map { tasks[$0.id]! }
    }

    /// Applies changed cells of the board document.
    mutating func apply(_ changes: [TreeChange], from snap: Snapshot) {
        for change in changes where TaskCell.isTaskPath(change.path) {
            let id = Shard.id(fromPath: change.path)
            guard let new = change.new,
                  let bytes = try? snap.blob(new),
                  let task = TaskCell.task(id: id, bytes: bytes) else {
                tasks[id] = nil
                continue
            }
            tasks[id] = task
        }
    }
}

extension Coord {
    /// The view that keeps every task materialized in `coord/cache/board-tasks.json`.
    static var boardView: View<BoardIndexCache> { View<BoardIndexCache>("board-tasks", document: .board, version: 2, initial: BoardIndexCache()) }

    /// Every task on the board, brought up to date from the cache by the tree diff since it was
    /// written (or rebuilt from the document when there is no cache).
    public func boardIndex() throws(CoordError) -> BoardIndex {
        var fresh: BoardIndex? = nil
        let (state, _) = try Coord.boardView.read(store) { (state, changes, snap) throws(CoordError) in
            var index = state.index
            index.tasks.reserveCapacity(index.tasks.count + changes.count)
            index.apply(changes, from: snap)
            state = BoardIndexCache(index)
            fresh = index
        }
        return fresh ?? state.index
    }

    /// The tasks passing `filter`.
    public func listTasks(_ filter: TaskFilter = TaskFilter()) throws(CoordError) -> [BoardTask] {
        if let l = filter.label { try BoardRules.validateLabel(l) }
        return try boardIndex().select(filter)
    }

    /// Tasks ready to start: open, unclaimed, every dependency done; by priority, then age.
    public func readyTasks() throws(CoordError) -> [BoardTask] {
        try boardIndex().select(TaskFilter(readyOnly: true))
    }

    /// One task with its comments.
    public func showTask(_ text: String) throws(CoordError) -> (task: BoardTask, comments: [TaskComment]) {
        let snap = try store.snapshot(.board)
        let id = try resolveTask(text, in: snap)
        guard let map = try snap.fields(TaskCell.path(id)) else { throw TaskID.unknown(text) }
        return (TaskCell.task(id: id, fields: map), try comments(task: id, in: snap))
    }
}
