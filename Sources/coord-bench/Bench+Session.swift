import CoordTestSupport
import GitCoord
import GitCoordStore

/// Heartbeats and liveness: the cost of a beat in-process and from the command line, `alive`'s
/// latency, and a beat made of git plumbing processes as the baseline.
enum SessionBench {
    static func run(_ bench: Bench) throws {
        bench.section("sessions: heartbeats and liveness")
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "config", "coord.autoGC", "false"])
        let coord = try repo.coord("w1")
        try coord.join("w1", role: "worker")
        for k in 0..<9 { try coord.join("s\(k)", role: "worker") }
        let n = bench.quick ? 2_000 : 10_000

        // In-process beats (what `heartbeat` does each interval).
        let beats = try bench.samples(n) { _ in try coord.beat("w1") }
        let total = beats.reduce(0, +) / 1000
        bench.line("beat, in-process:        \(bench.fmt(Double(n) / total, 0)) ops/s  \(bench.summary(beats))")

        // touch() when the last beat is fresh: what every command pays.
        let touches = bench.samples(n) { _ in coord.touch() }
        bench.line("touch (fresh, no write): \(bench.fmt(Double(n) / (touches.reduce(0, +) / 1000), 0)) ops/s  \(bench.summary(touches))")

        // Liveness of ten sessions in-process (what `sessions` computes).
        let statuses = try bench.samples(bench.quick ? 200 : 1_000) { _ in _ = try coord.sessionStatuses() }
        bench.line("sessionStatuses (10):    \(bench.summary(statuses))")

        // The command line.
        let m = bench.quick ? 30 : 200
        let cliBeat = bench.samples(m) { _ in _ = CLI.run(["heartbeat", "--once"], in: repo.path, session: "w1") }
        bench.line("CLI heartbeat --once:    \(bench.fmt(Double(m) / (cliBeat.reduce(0, +) / 1000), 0)) ops/s  \(bench.summary(cliBeat))")
        let cliAlive = bench.samples(m) { _ in _ = CLI.run(["alive", "w1"], in: repo.path, session: "w1") }
        bench.line("CLI alive:               \(bench.summary(cliAlive))")
        let cliSessions = bench.samples(m) { _ in _ = CLI.run(["sessions"], in: repo.path, session: "w1") }
        bench.line("CLI sessions (10):       \(bench.summary(cliSessions))")

        // Baseline: one beat as git plumbing (hash-object, mktree, commit-tree, update-ref).
        let plumbing = try bench.samples(m) { i in
            let blob = try Shell.git(["-C", repo.path, "hash-object", "-w", "--stdin"], input: "{\"at\":\(i)}").dropLast()
            let tree = try Shell.git(["-C", repo.path, "mktree"], input: "100644 blob \(blob)\tbeat.lww\n").dropLast()
            let commit = try Shell.git(["-C", repo.path, "commit-tree", String(tree), "-m", "beat"]).dropLast()
            try Shell.git(["-C", repo.path, "update-ref", "refs/coord-bench/beat", String(commit)])
        }
        bench.line("baseline git plumbing:   \(bench.fmt(Double(m) / (plumbing.reduce(0, +) / 1000), 0)) ops/s  \(bench.summary(plumbing))")
    }
}
