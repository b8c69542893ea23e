import GitCoordStore

/// What one `sync` did: documents that moved locally, refs pushed, and what was refused.
public struct SyncReport: Sendable, Equatable {
    /// The remote synced with.
    public var remote: String
    /// Fetch-merge-push rounds run (more than 1 when a push lost a race).
    public var rounds = 0
    /// Local documents the sync moved, in ref order.
    public var moved: [MovedDocument] = []
    /// Refs the remote accepted.
    public var pushed: [PushedRef] = []
    /// Cells from the remote left out of a merge, and why.
    public var rejectedCells: [RejectedCell] = []
    /// Remote documents not merged at all, and why.
    public var skipped: [SkippedDocument] = []
    /// Refs the remote refused, or that were still behind after the last round.
    public var pushFailures: [PushFailure] = []
    /// Messages sent to sessions that lost a claim in a merge.
    public var notices: [ClaimLossNotice] = []
    /// Problems that did not stop the sync.
    public var warnings: [String] = []
    /// Milliseconds spent fetching, merging and pushing, over all rounds.
    public var fetchMs: Int64 = 0
    public var mergeMs: Int64 = 0
    public var pushMs: Int64 = 0

    public init(remote: String) { self.remote = remote }

    /// Nothing moved, nothing pushed, nothing refused.
    public var isQuiet: Bool {
        moved.isEmpty && pushed.isEmpty && rejectedCells.isEmpty && skipped.isEmpty && pushFailures.isEmpty && notices.isEmpty && warnings.isEmpty
    }

    /// Whether everything local reached the remote.
    public var complete: Bool { pushFailures.isEmpty }

    /// The refusal a sync that left refs behind ends with (exit 1), nil when it is complete.
    public var incompleteError: CoordError? {
        complete ? nil : CoordError.refused("not everything reached \(remote): " + pushFailures.map(\.ref).joined(separator: ", "))
    }
}

/// One local document moved by a sync.
public struct MovedDocument: Sendable, Equatable {
    public enum How: String, Sendable {
        /// The document did not exist here: taken from the remote.
        case created
        /// The remote was ahead: the local ref moved to the remote's commit.
        case fastForward = "fast-forward"
        /// Both had changes: the deterministic merge commit.
        case merged
    }

    public let document: DocumentID
    public let from: ObjectID?
    public let to: ObjectID
    public let how: How
    /// Cells that are new here.
    public let added: Int
    /// Cells that existed and changed.
    public let changed: Int
    /// New messages (mailboxes only: new records under `msgs/`).
    public let messages: Int
    /// Ids of the new or changed cells (file names without extension), at most 20.
    public let ids: [String]
}

/// One ref the remote accepted.
public struct PushedRef: Sendable, Equatable {
    public let ref: String
    public let from: ObjectID?
    public let to: ObjectID
    /// Pushed with a lease (heartbeats, read marks: single-writer, history-less).
    public let forced: Bool
}

/// A remote document not merged.
public struct SkippedDocument: Sendable, Equatable {
    public let ref: String
    public let reason: String
}

/// A ref the remote did not take.
public struct PushFailure: Sendable, Equatable {
    public let ref: String
    public let reason: String
}

/// A message sent to a session whose claim was lost in a merge.
public struct ClaimLossNotice: Sendable, Equatable {
    public let session: String
    public let task: String
    public let winner: String?

    public init(session: String, task: String, winner: String?) {
        self.session = session
        self.task = task
        self.winner = winner
    }
}

// MARK: Printing

extension SyncReport {
    /// A short name for a document in output: `board`, `mail/worker-1`.
    static func shortName(_ doc: DocumentID) -> String {
        String(doc.refName.dropFirst("refs/coord/".count))
    }

    /// The report as lines of text for people.
    public var lines: [String] {
        var out: [String] = []
        for m in moved {
            out.append("\(remote) → \(SyncReport.shortName(m.document)): \(SyncReport.describe(m))")
        }
        if !pushed.isEmpty {
            out.append("pushed to \(remote): " + pushed.map { String($0.ref.dropFirst("refs/coord/".count)) }.joined(separator: ", "))
        }
        for n in notices {
            out.append("told \(n.session) it lost \(n.task) to \(n.winner ?? "a release")")
        }
        for r in rejectedCells { out.append("refused from \(remote): \(r.document) \(r.path): \(r.reason)") }
        for s in skipped { out.append("skipped \(s.ref) from \(remote): \(s.reason)") }
        for f in pushFailures { out.append("not pushed: \(f.ref): \(f.reason)") }
        for w in warnings { out.append("warning: \(w)") }
        if out.isEmpty { out.append("\(remote): up to date") }
        return out
    }

    static func describe(_ m: MovedDocument) -> String {
        let kind = m.document.kind
        var parts: [String] = []
        if m.how == .created { parts.append("new") }
        if m.messages > 0 { parts.append("\(m.messages) new message\(m.messages == 1 ? "" : "s")") }
        let otherNew = m.added - m.messages
        if otherNew > 0 { parts.append("\(otherNew) new cell\(otherNew == 1 ? "" : "s")") }
        if m.changed > 0 { parts.append("\(m.changed) changed") }
        if kind == .board, !m.ids.isEmpty {
            // Task cells by id; comment records (named by time) only counted.
            let tasks = m.ids.filter { $0.hasPrefix("T-") }
            let comments = m.ids.count - tasks.count
            let list = "(" + (tasks + (comments > 0 ? ["\(comments) comment\(comments == 1 ? "" : "s")"] : [])).joined(separator: ", ") + ")"
            if parts.isEmpty { parts.append(list) } else { parts[parts.count - 1] += " " + list }
        }
        if parts.isEmpty { parts.append(m.how == .merged ? "merged history" : "history only") }
        return parts.joined(separator: ", ") + " [\(m.how.rawValue)]"
    }

    /// The report as JSON (schema version 1).
    public var json: JSONValue {
        var o: [String: JSONValue] = [:]
        o["version"] = 1
        o["remote"] = .string(remote)
        o["rounds"] = .int(Int64(rounds))
        o["complete"] = .bool(complete)
        o["ms"] = .object(["fetch": .int(fetchMs), "merge": .int(mergeMs), "push": .int(pushMs)])
        o["moved"] = .array(moved.map(\.json))
        var received: [String: JSONValue] = [:]
        for m in moved where m.document.kind == .mail {
            let name = SyncReport.shortName(m.document)
            received[name] = .int((received[name]?.intValue ?? 0) + Int64(m.messages))
        }
        o["received"] = .object(received)
        o["pushed"] = .array(pushed.map(\.json))
        o["rejectedCells"] = .array(rejectedCells.map { c -> JSONValue in
            .object(["ref": .string(c.document), "path": .string(c.path), "reason": .string(c.reason)])
        })
        o["skipped"] = .array(skipped.map { s -> JSONValue in .object(["ref": .string(s.ref), "reason": .string(s.reason)]) })
        o["pushFailures"] = .array(pushFailures.map { f -> JSONValue in .object(["ref": .string(f.ref), "reason": .string(f.reason)]) })
        o["warnings"] = .array(warnings.map(JSONValue.string))
        o["notified"] = .array(notices.map { n -> JSONValue in
            .object(["session": .string(n.session), "task": .string(n.task), "winner": n.winner.map(JSONValue.string) ?? .null])
        })
        return .object(o)
    }
}

extension MovedDocument {
    var json: JSONValue {
        var o: [String: JSONValue] = [:]
        o["ref"] = .string(document.refName)
        o["from"] = from.map { .string($0.hex) } ?? .null
        o["to"] = .string(to.hex)
        o["how"] = .string(how.rawValue)
        o["added"] = .int(Int64(added))
        o["changed"] = .int(Int64(changed))
        o["messages"] = .int(Int64(messages))
        o["ids"] = .array(ids.map(JSONValue.string))
        return .object(o)
    }
}

extension PushedRef {
    var json: JSONValue {
        var o: [String: JSONValue] = [:]
        o["ref"] = .string(ref)
        o["from"] = from.map { .string($0.hex) } ?? .null
        o["to"] = .string(to.hex)
        o["forced"] = .bool(forced)
        return .object(o)
    }
}
