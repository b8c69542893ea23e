/// A new task, before it has an id.
public struct TaskDraft: Sendable, Equatable {
    public var title: String
    public var desc: String
    public var priority: Int
    /// Tasks the new one waits for: ids or unique prefixes.
    public var after: [String]
    public var labels: [String]
    public var assign: String?

    public init(title: String, desc: String = "", priority: Int = TaskCell.defaultPriority, after: [String] = [], labels: [String] = [], assign: String? = nil) {
        self.title = title
        self.desc = desc
        self.priority = priority
        self.after = after
        self.labels = labels
        self.assign = assign
    }

    /// Checks what can be checked without the board: title, priority, labels, assignee.
    func validate() throws(CoordError) {
        guard !title.trimmingSpaces().isEmpty else {
            throw CoordError.usage("a task needs a title: git coord board add \"what to do\"")
        }
        try BoardRules.validatePriority(priority)
        for label in labels { try BoardRules.validateLabel(label) }
        if let assign { try SessionName.validate(assign, what: "assignee") }
    }
}

/// Input rules shared by add and edit.
enum BoardRules {
    static func validatePriority(_ p: Int) throws(CoordError) {
        guard TaskCell.priorities.contains(p) else { throw invalidPriority(String(p)) }
    }

    static func invalidPriority(_ shown: String) -> CoordError {
        CoordError.usage("invalid priority \(shown): use 0 (highest) to 4 (lowest)")
    }

    static func validateLabel(_ label: String) throws(CoordError) {
        try SessionName.validate(label, what: "label")
    }
}

extension TaskCell {
    /// Reads a priority as typed on the command line: `0` … `4`, or `P0` … `P4`.
    public static func priority(parsing text: String) throws(CoordError) -> Int {
        let digits = text.hasPrefix("P") || text.hasPrefix("p") ? text.dropFirst() : Substring(text)
        guard let p = Int(digits), priorities.contains(p) else { throw BoardRules.invalidPriority("'\(text)'") }
        return p
    }
}

extension Coord {
    /// Adds a task and returns it. Its id is new: regenerated if it happens to exist already.
    @discardableResult
    public func addTask(_ draft: TaskDraft) throws(CoordError) -> BoardTask {
        let added = try addTasks([draft])
        return added[0]
    }

    /// Adds several tasks in one commit (an import, a plan). Each draft's `after` may name tasks
    /// already on the board; nothing is written when any draft is invalid.
    @discardableResult
    public func addTasks(_ drafts: [TaskDraft]) throws(CoordError) -> [BoardTask] {
        let me = try requireSession()
        for d in drafts { try d.validate() }
        for a in Set(drafts.compactMap(\.assign)) { try requireJoined(a, what: "assignee") }
        var made: [BoardTask] = []
        try store.update(.board, as: me) { (tx) throws(CoordError) in
            made = []
            var taken = Set<String>()
            for d in drafts {
                var deps: [String] = []
                for text in d.after { deps.append(try resolveTask(text, in: tx.snapshot)) }
                var id = TaskID.make()
                while true {
                    let exists = try tx.snapshot.bytes(TaskCell.path(id)) != nil
                    if !exists && !taken.contains(id) { break }
                    id = TaskID.make()
                }
                taken.insert(id)
                var fields: [String: JSONValue] = [
                    "title": .string(d.title.replacingNewlines()),
                    "desc": .string(d.desc),
                    "priority": .int(Int64(d.priority)),
                    "status": "open",
                    "createdBy": .string(me),
                    "createdAt": .int(tx.stamp.milliseconds),
                    "assign": d.assign.map(JSONValue.string) ?? .null,
                ]
                for dep in deps { fields[TaskCell.afterPrefix + dep] = true }
                for label in d.labels { fields[TaskCell.labelPrefix + label] = true }
                tx.set(TaskCell.path(id), fields)
                var map = FieldMap()
                for (k, v) in fields { map[k] = .register(stamp: tx.stamp, value: v) }
                made.append(TaskCell.task(id: id, fields: map))
            }
            if made.count == 1, let t = made.first {
                var extra: [String] = ["P\(t.priority)"]
                if !t.after.isEmpty { extra.append("after " + t.after.joined(separator: ", ")) }
                if let a = t.assign { extra.append("for \(a)") }
                tx.subject = "board: add \(t.id) \(t.quotedTitle) by \(me) (\(extra.joined(separator: ", ")))"
                tx.trailers.append(("Coord-Task", t.id))
            } else {
                tx.subject = "board: add \(made.count) tasks by \(me)"
            }
            tx.operation = "board.add"
        }
        return made
    }
}
