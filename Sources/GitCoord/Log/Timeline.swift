import GitCoordStore

/// One operation in the coordination history: one commit on a `refs/coord/*` document.
public struct LogEntry: Sendable, Equatable {
    /// When it happened (ms): the `Coord-Stamp` time, else the commit time.
    public let time: Int64
    /// The writing session (`Coord-Session`); `git-coord` for merges made by sync.
    public let session: String
    /// The operation (`Coord-Op`), e.g. `board.claim`, `merge`.
    public let op: String
    /// The audit line: the commit subject.
    public let subject: String
    /// The document's ref, e.g. `refs/coord/board`.
    public let document: String
    public let commit: ObjectID
    public let stamp: String?
    /// Every trailer of the commit (first value of each key).
    public let trailers: [String: String]

    public var json: JSONValue {
        .object([
            "time": .int(time),
            "session": .string(session),
            "op": .string(op),
            "subject": .string(subject),
            "document": .string(document),
            "commit": .string(commit.hex),
            "stamp": stamp.map(JSONValue.string) ?? .null,
            "trailers": .object(trailers.mapValues(JSONValue.string)),
        ])
    }
}

/// Which history `log` shows.
public struct LogQuery: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        /// Every document with history: board, mail, sessions, state, jobs.
        case all
        case board
        /// One session's mailbox.
        case mail(String)
        /// Every operation written by one session, in any document.
        case session(String)
    }

    public var scope: Scope
    /// Only entries at or after this time (ms).
    public var since: Int64?
    /// At most this many entries (newest), 0 for all.
    public var limit: Int

    public init(scope: Scope = .all, since: Int64? = nil, limit: Int = 50) {
        self.scope = scope
        self.since = since
        self.limit = limit
    }
}

extension Coord {
    /// The kinds whose history `log` reads; heartbeats and read marks keep none.
    static let loggedKinds: [DocumentKind] = [.board, .mail, .sessions, .state, .jobs]

    /// One timeline of coordination history across documents, newest first.
    ///
    /// Each document's commit chain is walked newest first and only as far as needed (the
    /// limit, or `since`); the walks are then merged by time. Cost follows what is printed, not
    /// the length of the history.
    public func log(_ query: LogQuery) throws(CoordError) -> [LogEntry] {
        let docs = try logDocuments(query.scope)
        var sessionFilter: String? = nil
        if case .session(let s) = query.scope { sessionFilter = s }
        var all: [LogEntry] = []
        for doc in docs {
            guard let tip = try store.tip(doc) else { continue }
            var taken = 0
            do {
                try store.history(from: tip) { (info) throws(GitError) -> Bool in
                    let entry = Coord.logEntry(info, document: doc.refName)
                    if let since = query.since, entry.time < since { return false }
                    if let s = sessionFilter, entry.session != s { return true }
                    all.append(entry)
                    taken += 1
                    return query.limit <= 0 || taken < query.limit
                }
            } catch {
                throw CoordError.data("cannot read the history of \(doc.refName)", cause: error, mend: "run `git coord doctor`")
            }
        }
        all.sort { a, b in
            if a.time != b.time { return a.time > b.time }
            if a.stamp != b.stamp { return (a.stamp ?? "") > (b.stamp ?? "") }
            return a.commit > b.commit
        }
        return query.limit > 0 ? Array(all.prefix(query.limit)) : all
    }

    private func logDocuments(_ scope: LogQuery.Scope) throws(CoordError) -> [DocumentID] {
        switch scope {
        case .board: return [.board]
        case .mail(let s):
            try SessionName.validate(s)
            return [DocumentID(.mail, s)]
        case .session(let s):
            try SessionName.validate(s)
            fallthrough
        case .all:
            var docs: [DocumentID] = []
            for kind in Coord.loggedKinds { docs += try store.documents(kind) }
            return docs
        }
    }

    static func logEntry(_ c: CommitInfo, document: String) -> LogEntry {
        let trailers = Trailers.parse(c.message)
        let stamp = trailers["Coord-Stamp"]
        let op = trailers["Coord-Op"] ?? "?"
        let time: Int64
        if let s = stamp.flatMap(Stamp.init), op != "merge" { time = s.milliseconds } else { time = c.committer.time * 1000 }
        let subject = c.message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return LogEntry(time: time, session: trailers["Coord-Session"] ?? c.author.name, op: op, subject: subject,
                        document: document, commit: c.id, stamp: stamp, trailers: trailers)
    }
}
