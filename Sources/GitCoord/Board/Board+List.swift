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

    /// Whether a task can be started now: open, unclaimed, and every task it waits for done
    /// (a dependency this replica does not know counts as not done).
    public func isReady(_ t: BoardTask) -> Bool {
        guard t.status == .open else { return false }
        return t.after.allSatisfy { tasks[$0]?.isDone == true }
    }

    /// The tasks passing `filter`, by priority, then age, then id.
    public func select(_ filter: TaskFilter) -> [BoardTask] {
        tasks.values.filter { t in
            if filter.readyOnly { if !isReady(t) { return false } } else if !filter.statuses.contains(t.status) { return false }
            if let me = filter.mine, t.claimedBy != me && t.assign != me { return false }
            if let l = filter.label, !t.labels.contains(l) { return false }
            return true
        }.sorted(by: BoardIndex.order)
    }

    static func order(_ a: BoardTask, _ b: BoardTask) -> Bool {
        (a.priority, a.createdAt, a.id) < (b.priority, b.createdAt, b.id)
    }

    /// Applies changed cells of the board document.
    mutating func apply(_ changes: [TreeChange], repository: Repository) {
        for change in changes where TaskCell.isTaskPath(change.path) {
            let id = Shard.id(fromPath: change.path)
            guard let new = change.new,
                  let bytes = try? repository.readBlob(new),
                  let map = try? FieldMap(bytes: bytes) else {
                tasks[id] = nil
                continue
            }
            tasks[id] = TaskCell.task(id: id, fields: map)
        }
    }
}

extension Coord {
    /// The view that keeps every task materialized in `coord/cache/board-tasks.json`.
    static var boardView: View<BoardIndexCache> { View<BoardIndexCache>("board-tasks", document: .board, version: 1, initial: BoardIndexCache()) }

    /// Every task on the board, brought up to date from the cache by the tree diff since it was
    /// written (or rebuilt from the document when there is no cache).
    public func boardIndex() throws(CoordError) -> BoardIndex {
        let repo = repository
        let (state, _) = try Coord.boardView.read(store) { (state, changes, _) throws(CoordError) in
            var index = state.index
            index.apply(changes, repository: repo)
            state = BoardIndexCache(index)
        }
        return state.index
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
