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
        var after: [String] = []
        var labels: [String] = []
        for (name, field) in map.fields {
            guard case .register(_, .bool(true)) = field else { continue }
            if name.hasPrefix(afterPrefix) {
                after.append(String(name.dropFirst(afterPrefix.count)))
            } else if name.hasPrefix(labelPrefix) {
                labels.append(String(name.dropFirst(labelPrefix.count)))
            }
        }
        var claimedBy: String? = nil
        var claimedAt: Int64? = nil
        var epoch: Int64 = 0
        if case .claim(let e, let s, let h)? = map[claimField] {
            epoch = e
            claimedBy = h
            claimedAt = h == nil ? nil : s.milliseconds
        }
        let priority = map.value("priority")?.intValue.map { Int(clamping: $0) } ?? defaultPriority
        let isDone = map.value("status")?.stringValue == "done"
        return BoardTask(
            id: id,
            title: map.value("title")?.stringValue ?? "",
            desc: map.value("desc")?.stringValue ?? "",
            priority: min(max(priority, priorities.lowerBound), priorities.upperBound),
            isDone: isDone,
            createdBy: map.value("createdBy")?.stringValue ?? "",
            createdAt: map.value("createdAt")?.intValue ?? 0,
            assign: map.value("assign")?.stringValue,
            claimedBy: isDone ? nil : claimedBy,
            claimedAt: isDone ? nil : claimedAt,
            claimEpoch: epoch,
            after: after.sorted(),
            labels: labels.sorted())
    }

    /// Reads a task straight from its cell's bytes, for the board view: one JSON parse, no
    /// canonical-form check and no full stamp parsing, which is most of the cost of reading
    /// 10,000 tasks. Nil when the bytes are not a field map. Cells reach the local board only
    /// through the store's writes or a merge that checked them, so this reads what
    /// ``task(id:fields:)`` reads for every well-formed cell.
    public static func task(id: String, bytes: [UInt8]) -> BoardTask? {
        if let f = TaskCellScanner.scan(bytes) {
            return task(id: id, registers: f.registers, claimEpoch: f.claimEpoch ?? 0, holder: f.claimHolder, claimStamp: f.claimStamp)
        }
        guard case .object(let o)? = try? JSONValue.parse(bytes) else { return nil }
        var registers: [(name: String, value: JSONValue)] = []
        var epoch: Int64 = 0, holder: String? = nil, claimStamp: Int64? = nil
        for (name, f) in o {
            guard case .object(let fo) = f, let v = fo["v"] else { continue }
            if fo["k"] != nil {
                if name == claimField {
                    epoch = fo["e"]?.intValue ?? 0
                    holder = v.stringValue
                    claimStamp = fo["s"]?.stringValue.flatMap(stampMilliseconds)
                }
            } else {
                registers.append((name, v))
            }
        }
        return task(id: id, registers: registers, claimEpoch: epoch, holder: holder, claimStamp: claimStamp)
    }

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

    /// The milliseconds of a stamp's text form (the digits before the first dot).
    static func stampMilliseconds(_ text: String) -> Int64? {
        var ms: Int64 = 0
        var digits = 0
        for b in text.utf8 {
            if b == UInt8(ascii: ".") { break }
            guard b >= 48, b <= 57, digits < 16 else { return nil }
            ms = ms * 10 + Int64(b - 48)
            digits += 1
        }
        return digits > 0 ? ms : nil
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
