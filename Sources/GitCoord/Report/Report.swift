/// What `report` covers.
public struct ReportQuery: Sendable, Equatable {
    /// The start of the period (ms); nil: 24 hours before `until`, or from the minute of the
    /// first operation in those 24 hours when it came later.
    public var from: Int64?
    /// The end of the period (ms); nil: now.
    public var until: Int64?
    /// The time liveness is judged at (ms); nil: the store's clock.
    public var now: Int64?

    public init(from: Int64? = nil, until: Int64? = nil, now: Int64? = nil) {
        self.from = from
        self.until = until
        self.now = now
    }

    /// The period a report covers when none is given: the last 24 hours.
    public static let defaultSpan: Int64 = 86_400_000
}

/// What happened over a period, read from the history of `refs/coord/*` and the documents' tips:
/// the data behind the text, JSON and HTML forms of `git coord report`.
public struct Report: Sendable, Equatable {
    /// The JSON form's version; bumped when a field changes meaning.
    public static let schema: Int64 = 1

    public var from: Int64
    public var until: Int64
    /// When liveness was judged.
    public var now: Int64
    /// Commits read in the period (every operation on a document with history).
    public var eventCount: Int
    /// One lane per session, by name.
    public var sessions: [Lane]
    public var tasks: TaskFigures
    /// Claims made in the period, oldest first, with how each ended.
    public var claims: [Claim]
    /// Jobs started or ended in the period, or still running; oldest first.
    public var jobs: [JobRecord]
    /// Sessions that died, went stale or left, by time.
    public var ends: [SessionEnd]
    /// Every delivery of a message in the period, oldest first.
    public var messages: [Delivery]
    /// Deliveries counted per sender and recipient, by count then names.
    public var pairs: [Pair]
    /// What coordinator sessions decided: their board and state operations, oldest first.
    public var decisions: [LogEntry]
    /// Tasks not done at the end, by priority; blocked ones say what they wait for.
    public var open: [OpenTask]
    /// The titles of the tasks claimed or done in the period, by id.
    public var titles: [String: String]

    /// One session's row of the timeline.
    public struct Lane: Sendable, Equatable {
        public var name: String
        public var role: String?
        /// `alive`, `stale`, `dead` or `left`, judged at ``Report/now``.
        public var state: SessionState
        /// Operations the session wrote in the period.
        public var events: Int
        /// The times of those operations, oldest first (the lane's activity).
        public var times: [Int64]
        public var joins: [Int64]
        public var leaves: [Int64]
        public var lastSeen: Int64?
    }

    /// Counts of board operations in the period, and where the board stands at its end.
    public struct TaskFigures: Sendable, Equatable {
        public var added = 0
        public var claimed = 0
        public var done = 0
        public var reopened = 0
        public var released = 0
        /// Tasks marked done in the period, by id.
        public var doneIDs: [String] = []
        /// Tasks not done now, of which blocked (waiting for a task not done) and held by a claim.
        public var openNow = 0
        public var blockedNow = 0
        public var heldNow = 0
    }

    /// A claim, from the claim to the task's done or release (or still held).
    public struct Claim: Sendable, Equatable {
        public enum End: String, Sendable { case done, released, held }
        public var task: String
        public var title: String
        public var session: String
        public var from: Int64
        /// When it ended; nil while held.
        public var to: Int64?
        public var end: End
    }

    /// A session that is not alive: when it ended and why.
    public struct SessionEnd: Sendable, Equatable {
        public var session: String
        public var state: SessionState
        /// When it died (its watched process's end), left, or was last seen.
        public var at: Int64?
        public var lastSeen: Int64?
        public var reason: String
        /// Tasks it still holds, and its jobs that were lost or are still marked running.
        public var heldTasks: [String]
        public var lostJobs: [String]
    }

    /// One message as delivered to one recipient.
    public struct Delivery: Sendable, Equatable {
        public var id: String
        public var at: Int64
        public var from: String
        public var to: String
        /// The audit line of the delivery (`mail: ID from A to B "subject"`).
        public var line: String
    }

    public struct Pair: Sendable, Equatable {
        public var from: String
        public var to: String
        public var count: Int
    }

    /// A task not done, and the tasks it waits for that are not done either.
    public struct OpenTask: Sendable, Equatable {
        public var task: BoardTask
        public var waitsFor: [Waiting]
        public var isBlocked: Bool { !waitsFor.isEmpty }
    }

    /// A dependency not done, and who holds it.
    public struct Waiting: Sendable, Equatable {
        public var task: String
        public var holder: String?
        public var holderState: SessionState?
    }

    /// Distinct messages delivered in the period.
    public var messageCount: Int { Set(messages.map(\.id)).count }

    /// Job figures: how many ended each way.
    public func jobCount(_ state: JobState) -> Int { jobs.filter { $0.state == state }.count }

    /// Jobs that did not succeed: a non-zero exit, a signal, a failed start or lost.
    public var failedJobs: [JobRecord] { jobs.filter(\.isFailure) }
}

extension JobRecord {
    /// Whether the job ended badly: a non-zero exit, a signal, a failed start or lost.
    public var isFailure: Bool {
        switch state {
        case .running: return false
        case .exited: return (exitCode ?? 0) != 0
        case .failed, .signaled, .lost: return true
        }
    }

    /// The last non-empty line of its stderr tail (or its error), for one-line reports.
    public var lastErrorLine: String? {
        if let tail, let line = tail.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last(where: { !$0.allSatisfy(\.isWhitespace) }) {
            return String(line)
        }
        return error
    }
}
