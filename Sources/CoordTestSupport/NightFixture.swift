import GitCoord
import GitCoordStore

/// What a generated night holds: one coordinator and some workers, a board worked through, jobs
/// (some failing), messages, and one worker killed in the middle of a claim and a job.
public struct NightSpec: Sendable {
    /// When the night starts (ms since 1970).
    public var start: Int64
    public var hours: Double
    public var workers: Int
    public var tasks: Int
    public var jobs: Int
    public var messages: Int
    public var seed: UInt64

    public init(start: Int64, hours: Double = 8, workers: Int = 3, tasks: Int = 200, jobs: Int = 50, messages: Int = 2_000, seed: UInt64 = 17) {
        self.start = start
        self.hours = hours
        self.workers = workers
        self.tasks = tasks
        self.jobs = jobs
        self.messages = messages
        self.seed = seed
    }

    public var end: Int64 { start + Int64(hours * 3_600_000) }
}

/// The figures a generated night must report, counted while it was generated.
public struct NightTruth: Sendable {
    public struct Job: Sendable, Equatable {
        public var id: String
        public var session: String
        /// `exited`, `signaled`, `failed` or `lost`.
        public var state: String
        public var exitCode: Int?
        /// The last stderr line (or error) a failure reports; nil for a success.
        public var lastLine: String?
        public var failure: Bool { lastLine != nil }
    }

    public var coordinator = "coordinator"
    public var workers: [String] = []
    public var killed = ""
    public var killedAt: Int64 = 0
    public var end: Int64 = 0
    public var taskIDs: [String] = []
    public var added = 0, claims = 0, done = 0, reopened = 0, released = 0
    public var doneIDs: [String] = []
    public var reopenedIDs: [String] = []
    /// The task the killed worker held when it died, and the tasks waiting for it.
    public var stranded = ""
    public var blockedIDs: [String] = []
    public var jobs: [Job] = []
    public var messages = 0
    /// Deliveries per `FROM>TO`.
    public var pairs: [String: Int] = [:]
    /// Commits written to documents with history.
    public var operations = 0
    /// A task title and a message subject full of markup and control characters.
    public var hostileTitle = ""
    public var hostileSubject = ""

    public var sessions: [String] { [coordinator] + workers }
    public var notDone: Int { added - done + reopened }
}

/// Generates a night of coordination into a repository through the library, in-process, on a
/// manual clock, so that a test knows every figure the report must show.
public enum NightFixture {
    /// Writes the night described by `spec` into the repository at `path` and returns its truth.
    public static func generate(at path: String, _ spec: NightSpec) throws -> NightTruth {
        try Shell.git(["-C", path, "config", "coord.autoGC", "false"])
        var gen = try Generator(path: path, spec: spec)
        try gen.run()
        return gen.truth
    }
}

/// A small deterministic random number generator (SplitMix64).
public struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class ManualClock {
    var ms: Int64
    init(_ ms: Int64) { self.ms = ms }
}

struct Generator {
    let spec: NightSpec
    let clock: ManualClock
    var coords: [String: Coord] = [:]
    var rng: SeededRandom
    var truth = NightTruth()
    /// (time, sequence, action), run in time order.
    var plan: [(Int64, Int, Action)] = []

    enum Action {
        case join(String, String)
        case add(Int, after: Int?)
        case claim(String, Int)
        case done(String, Int)
        case release(String, Int)
        case reopen(Int)
        case jobStart(String, Int)
        case jobEnd(String, Int)
        case send(String, String, Int)
        case state(String, String)
        case beat(String, ended: Bool)
    }

    struct PlannedJob {
        var session: String
        var id: String
        var name: String
        var command: [String]
        var start: Int64
        var end: Int64
        var outcome: Outcome
        enum Outcome { case ok, exit(Int, String), signal(Int), cannotStart, lost }
    }

    var jobs: [PlannedJob] = []
    var taskIDs: [String] = []
    /// The task the killed worker holds when it dies.
    var strandedIndex: Int? = nil

    init(path: String, spec: NightSpec) throws {
        self.spec = spec
        clock = ManualClock(spec.start)
        rng = SeededRandom(seed: spec.seed)
        truth.workers = (1...spec.workers).map { "worker-\($0)" }
        truth.end = spec.end
        for name in [truth.coordinator] + truth.workers {
            let c = Coord(store: CoordStore(repository: try Repository.open(at: path), session: name))
            let clock = self.clock
            c.store.now = { clock.ms }
            coords[name] = c
        }
    }

    mutating func at(_ t: Int64, _ a: Action) { plan.append((t, plan.count, a)) }

    mutating func run() throws {
        planNight()
        plan.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        for (t, _, action) in plan {
            clock.ms = t
            try perform(action)
        }
        truth.taskIDs = taskIDs
    }
}
