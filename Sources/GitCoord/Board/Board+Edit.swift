/// Changes to a task's fields; nil or empty means "leave as it is".
public struct TaskEdit: Sendable, Equatable {
    public var title: String?
    public var desc: String?
    public var priority: Int?
    /// Tasks to wait for (ids or prefixes).
    public var addAfter: [String] = []
    /// Tasks to stop waiting for.
    public var removeAfter: [String] = []
    public var addLabels: [String] = []
    public var removeLabels: [String] = []
    /// `.some(nil)` clears the assignee.
    public var assign: String??

    public init(title: String? = nil, desc: String? = nil, priority: Int? = nil, addAfter: [String] = [], removeAfter: [String] = [], addLabels: [String] = [], removeLabels: [String] = [], assign: String?? = nil) {
        self.title = title
        self.desc = desc
        self.priority = priority
        self.addAfter = addAfter
        self.removeAfter = removeAfter
        self.addLabels = addLabels
        self.removeLabels = removeLabels
        self.assign = assign
    }

    public var isEmpty: Bool {
        title == nil && desc == nil && priority == nil && addAfter.isEmpty && removeAfter.isEmpty
            && addLabels.isEmpty && removeLabels.isEmpty && assign == nil
    }
}

extension Coord {
    /// Edits a task. A dependency that would close a cycle is refused (exit 2) with the cycle named:
    /// `T-a → T-b → T-a`. Only the tasks reachable from the new dependencies are read.
    @discardableResult
    public func editTask(_ text: String, _ edit: TaskEdit) throws(CoordError) -> BoardTask {
        let me = try requireSession()
        guard !edit.isEmpty else {
            throw CoordError.usage("nothing to change: pass --title, --desc, --priority, --after, --not-after, --label, --not-label or --assign")
        }
        if let t = edit.title, t.trimmingSpaces().isEmpty { throw CoordError.usage("a task's title cannot be empty") }
        if let p = edit.priority { try BoardRules.validatePriority(p) }
        for l in edit.addLabels + edit.removeLabels { try BoardRules.validateLabel(l) }
        if case .some(.some(let a)) = edit.assign { try requireJoined(a, what: "assignee") }
        let id = try resolveTask(text, in: try store.snapshot(.board))
        var result: BoardTask? = nil
        try store.update(.board, as: me) { (tx) throws(CoordError) in
            let snap = tx.snapshot
            let path = TaskCell.path(id)
            guard let old = try snap.fields(path) else { throw TaskID.unknown(text) }
            let task = TaskCell.task(id: id, fields: old)
            var adds: [String] = []
            for t in edit.addAfter { adds.append(try resolveTask(t, in: snap)) }
            var removes: [String] = []
            for t in edit.removeAfter { removes.append(try resolveTask(t, in: snap)) }
            var fields: [String: JSONValue] = [:]
            var said: [String] = []
            if let t = edit.title { fields["title"] = .string(t.replacingNewlines()); said.append("title") }
            if let d = edit.desc { fields["desc"] = .string(d); said.append("description") }
            if let p = edit.priority { fields["priority"] = .int(Int64(p)); said.append("priority \(p)") }
            if let a = edit.assign { fields["assign"] = a.map(JSONValue.string) ?? .null; said.append(a.map { "assign \($0)" } ?? "unassign") }
            for r in removes { fields[TaskCell.afterPrefix + r] = false; said.append("not after \(r)") }
            var deps = Set(task.after).subtracting(removes)
            for a in adds {
                if let cycle = try DependencyGraph.cycle(adding: id, after: a, ownAfter: deps.union([a]), in: snap) {
                    throw CoordError.usage("refused: \(id) after \(a) would make a dependency cycle: \(cycle.joined(separator: " → "))")
                }
                deps.insert(a)
                fields[TaskCell.afterPrefix + a] = true
                said.append("after \(a)")
            }
            for l in edit.removeLabels { fields[TaskCell.labelPrefix + l] = false; said.append("-label \(l)") }
            for l in edit.addLabels { fields[TaskCell.labelPrefix + l] = true; said.append("+label \(l)") }
            var map = FieldMap()
            for (k, v) in fields { map[k] = .register(stamp: tx.stamp, value: v) }
            tx.put(path, map.bytes)
            result = TaskCell.task(id: id, fields: FieldMap.join(old, map))
            tx.subject = "board: edit \(id) \(task.quotedTitle) by \(me): \(said.joined(separator: ", "))"
            tx.operation = "board.edit"
            tx.trailers.append(("Coord-Task", id))
        }
        guard let result else { throw CoordError.invariant("edit of \(id) ended without a result") }
        return result
    }
}

/// The `after` relation between tasks, read lazily from a snapshot.
enum DependencyGraph {
    /// The cycle that `task` waiting for `dep` would close, as ids from `task` back to `task`, or
    /// nil when there is none. `ownAfter` is `task`'s dependency set after the edit. Only tasks
    /// reachable from `dep` are read.
    static func cycle(adding task: String, after dep: String, ownAfter: Set<String>, in snap: Snapshot) throws(CoordError) -> [String]? {
        if dep == task { return [task, task] }
        var cache: [String: [String]] = [task: ownAfter.sorted()]
        func deps(_ id: String) throws(CoordError) -> [String] {
            if let d = cache[id] { return d }
            let d = try snap.fields(TaskCell.path(id)).map { TaskCell.task(id: id, fields: $0).after } ?? []
            cache[id] = d
            return d
        }
        // Depth-first search from dep for task, keeping the path.
        var visited: Set<String> = [dep]
        var path: [String] = [dep]
        var iterators: [[String]] = [try deps(dep)]
        while !iterators.isEmpty {
            if iterators[iterators.count - 1].isEmpty {
                iterators.removeLast()
                path.removeLast()
                continue
            }
            let next = iterators[iterators.count - 1].removeFirst()
            if next == task { return [task] + path + [task] }
            guard visited.insert(next).inserted else { continue }
            path.append(next)
            iterators.append(try deps(next))
        }
        return nil
    }
}
