/// Where a task stands: open (nobody holds it), claimed (someone holds it) or done.
public enum TaskStatus: String, Sendable, Codable, CaseIterable {
    case open
    case claimed
    case done
}

/// A task on the board, as read from its `.lww` cell at `tasks/A/B/T-xxxxxx.lww`.
///
/// The cell holds register fields `title`, `desc`, `priority` (0 highest … 4), `status` (`open` or
/// `done`), `createdBy`, `createdAt` (ms), `assign` (a session or null), a claim field `claim`,
/// and one bool register per dependency (`after:T-…`) and per label (`label:NAME`), so adding and
/// removing them merges like any other register.
public struct BoardTask: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var desc: String
    public var priority: Int
    /// The `status` register: true once marked done (a claim is released at the same time).
    public var isDone: Bool
    public var createdBy: String
    public var createdAt: Int64
    public var assign: String?
    /// The session holding the claim, nil when unclaimed.
    public var claimedBy: String?
    /// When the current claim was made (ms), nil when unclaimed.
    public var claimedAt: Int64?
    /// The claim's epoch: each release starts the next one.
    public var claimEpoch: Int64
    /// Tasks this one waits for, sorted.
    public var after: [String]
    /// Labels, sorted.
    public var labels: [String]

    public var status: TaskStatus { isDone ? .done : (claimedBy != nil ? .claimed : .open) }
}

/// The cell format of a task: field names and how a `FieldMap` reads as a ``BoardTask``.
public enum TaskCell {
    public static let folder = "tasks"
    public static let claimField = "claim"
    public static let afterPrefix = "after:"
    public static let labelPrefix = "label:"
    public static let priorities = 0...4
    public static let defaultPriority = 2

    /// `tasks/A/B/T-xxxxxx.lww`.
    public static func path(_ id: String) -> String { Shard.path(folder, id, ext: "lww") }

    /// Whether `path` is a task cell (and not a comment or the marker).
    public static func isTaskPath(_ path: String) -> Bool {
        path.hasPrefix("tasks/") && path.hasSuffix(".lww")
    }

    /// Reads a task from its cell. Peer data is untrusted: missing or mistyped fields fall back to
    /// neutral values rather than failing the whole board.
    public static func task(id: String, fields map: FieldMap) -> BoardTask {
        var registers: [(name: String, value: JSONValue)] = []
        registers.reserveCapacity(map.fields.count)
        for (name, field) in map.fields {
            if case .register(_, let value) = field { registers.append((name, value)) }
        }
        let current = claim(map)
        return task(id: id, registers: registers, claimEpoch: current.epoch, holder: current.holder, claimStamp: current.stamp?.milliseconds)
    }

    /// Reads a task straight from its cell's bytes, for the board view: a single pass by
    /// ``TaskCellScanner``, with no general JSON tree, no canonical-form check and no full stamp
    /// parsing, which is most of the cost of reading 10,000 tasks. A cell the scanner does not
    /// take (an escaped string) is read as a ``FieldMap``. Nil when the bytes are not a field map.
    /// Cells reach the local board only through the store's writes or a merge that checked them,
    /// so both readers give the same task for every cell the board holds.
    public static func task(id: String, bytes: [UInt8]) -> BoardTask? {
        if let f = TaskCellScanner.scan(bytes) {
            return task(id: id, registers: f.registers, claimEpoch: f.claimEpoch ?? 0, holder: f.claimHolder, claimStamp: f.claimStamp)
        }
        return (try? FieldMap(bytes: bytes)).map { task(id: id, fields: $0) }
    }

    /// The one decoder of a task: its register fields by name, and its claim field (epoch, holder,
    /// when claimed). Both readers above give it what they read.
    static func task(id: String, registers: [(name: String, value: JSONValue)], claimEpoch: Int64, holder: String?, claimStamp: Int64?) -> BoardTask {
        var t = BoardTask(id: id, title: "", desc: "", priority: defaultPriority, isDone: false, createdBy: "", createdAt: 0,
                          assign: nil, claimedBy: nil, claimedAt: nil, claimEpoch: claimEpoch, after: [], labels: [])
        for (name, v) in registers {
            switch name {
            case "title": t.title = v.stringValue ?? ""
            case "desc": t.desc = v.stringValue ?? ""
            case "priority": t.priority = min(max(v.intValue.map { Int(clamping: $0) } ?? defaultPriority, priorities.lowerBound), priorities.upperBound)
            case "status": t.isDone = v.stringValue == "done"
            case "createdBy": t.createdBy = v.stringValue ?? ""
            case "createdAt": t.createdAt = v.intValue ?? 0
            case "assign": t.assign = v.stringValue
            default:
                guard v == .bool(true) else { continue }
                if name.hasPrefix(afterPrefix) {
                    t.after.append(String(name.dropFirst(afterPrefix.count)))
                } else if name.hasPrefix(labelPrefix) {
                    t.labels.append(String(name.dropFirst(labelPrefix.count)))
                }
            }
        }
        if !t.isDone, let holder {
            t.claimedBy = holder
            t.claimedAt = claimStamp
        }
        t.after.sort()
        t.labels.sort()
        return t
    }

    /// The epoch a release of task `id` starts; refuses (exit 3) at the largest epoch allowed,
    /// which only impossible peer data reaches, instead of overflowing.
    static func nextEpoch(after epoch: Int64, task id: String) throws(CoordError) -> Int64 {
        guard let next = Field.nextEpoch(after: epoch) else {
            throw CoordError.data("\(id) has claim epoch \(epoch), past the largest a task can reach (\(Field.maxEpoch)): the cell holds an impossible value; add the work again as a new task with `git coord board add`")
        }
        return next
    }

    /// The current claim field of a cell: epoch, holder and when it was claimed.
    static func claim(_ map: FieldMap?) -> (epoch: Int64, holder: String?, stamp: Stamp?) {
        if case .claim(let e, let s, let h)? = map?[claimField] { return (e, h, s) }
        return (0, nil, nil)
    }
}

/// A comment on a task: an immutable record at `comments/A/B/T-xxxxxx/ID.rec`.
public struct TaskComment: Sendable, Equatable, Codable {
    public var id: String
    public var author: String
    public var at: Int64
    public var text: String
    /// `comment`, or `done` for the note given with `board done -m`.
    public var kind: String
}

extension TaskComment {
    public static let folder = "comments"

    /// The folder holding the comments of one task.
    public static func folder(task id: String) -> String {
        let (a, b) = Shard.buckets(id)
        return "\(folder)/\(a)/\(b)/\(id)"
    }

    /// Reads a comment record; nil when it is not one.
    public init?(id: String, record: JSONValue) {
        guard let author = record["author"]?.stringValue, let text = record["text"]?.stringValue else { return nil }
        self.init(id: id, author: author, at: record["at"]?.intValue ?? 0, text: text, kind: record["kind"]?.stringValue ?? "comment")
    }

    var record: JSONValue {
        .object(["author": .string(author), "at": .int(at), "text": .string(text), "kind": .string(kind)])
    }

    public var json: JSONValue {
        .object(["id": .string(id), "author": .string(author), "at": .int(at), "text": .string(text), "kind": .string(kind)])
    }
}

extension BoardTask {
    /// The JSON form printed by `--json`.
    public func json(comments: [TaskComment]? = nil, ready: Bool? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id),
            "title": .string(title),
            "desc": .string(desc),
            "status": .string(status.rawValue),
            "priority": .int(Int64(priority)),
            "createdBy": .string(createdBy),
            "createdAt": .int(createdAt),
            "assign": assign.map(JSONValue.string) ?? .null,
            "claimedBy": claimedBy.map(JSONValue.string) ?? .null,
            "claimedAt": claimedAt.map(JSONValue.int) ?? .null,
            "after": .array(after.map(JSONValue.string)),
            "labels": .array(labels.map(JSONValue.string)),
        ]
        if let comments { o["comments"] = .array(comments.map(\.json)) }
        if let ready { o["ready"] = .bool(ready) }
        return .object(o)
    }

    /// The title as quoted in audit lines: at most 60 characters.
    var quotedTitle: String {
        let t = title.count > 60 ? String(title.prefix(57)) + "..." : title
        return "\"" + t + "\""
    }
}
