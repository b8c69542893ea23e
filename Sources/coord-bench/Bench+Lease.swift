import CoordTestSupport
import GitCoord
import GitCoordStore

/// Path leases: `lease check --staged` with 1,000 leases and 10,000 staged paths, and the time the
/// pre-commit guard adds to an ordinary commit, beside `git commit` alone.
enum LeaseBench {
    static func run(_ bench: Bench) throws {
        bench.section("leases: check and the pre-commit guard")
        try checkAtScale(bench)
        try commitGuard(bench)
    }

    /// Writes leases straight into the document, one transaction, as the sessions named.
    static func seed(_ store: CoordStore, _ specs: [(holder: String, paths: [String])]) throws {
        try store.update(.leases, as: "bench") { (tx) throws(CoordError) in
            for s in specs {
                var map = FieldMap()
                map["holder"] = .register(stamp: tx.stamp, value: .string(s.holder))
                map["paths"] = .register(stamp: tx.stamp, value: .array(s.paths.map(JSONValue.string)))
                map["shared"] = .register(stamp: tx.stamp, value: .bool(false))
                tx.put(Lease.path(Lease.makeID()), map.bytes)
            }
        }
    }

    static func checkAtScale(_ bench: Bench) throws {
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "config", "coord.autoGC", "false"])
        let me = try repo.coord("me")
        try me.join("me", role: "worker")
        for k in 0..<10 { try me.join("s\(k)", role: "worker") }
        // 1,000 leases of ten other sessions: 800 folders, 200 globs.
        let leases = 1_000
        try seed(me.store, (0..<leases).map { i in
            (holder: "s\(i % 10)", paths: [i < 800 ? "mod\(i)/" : "gen\(i)/*.pb.c"])
        })
        // 10,000 staged paths (2,000 with --quick), ten of them in leased folders.
        let staged = bench.quick ? 2_000 : 10_000
        var paths = (0..<(staged - 10)).map { "src\($0 % 100)/f\($0).c" }
        paths += (0..<10).map { "mod\($0 * 70)/x.c" }
        for p in paths {
            Files.makeFolders(Files.parent(of: repo.path + "/" + p))
            Files.writeAtomically(repo.path + "/" + p, "x\n")
        }
        try Shell.git(["-C", repo.path, "add", "-A"])

        let n = bench.quick ? 10 : 30
        var hits = 0
        let inProcess = try bench.samples(n) { _ in hits = try me.leaseHits(paths).count }
        bench.line("leaseHits in-process (\(leases) leases, \(paths.count) paths, \(hits) hits): \(bench.summary(inProcess))")
        let diff = try bench.samples(n) { _ in _ = try Shell.git(["-C", repo.path, "diff", "--cached", "--name-only", "--no-renames", "-z"]) }
        bench.line("baseline git diff --cached --name-only: \(bench.summary(diff))")
        var status: Int32 = 0
        let cli = bench.samples(n) { _ in status = CLI.run(["lease", "check", "--staged"], in: repo.path, session: "me").status }
        bench.line("CLI lease check --staged (exit \(status)): \(bench.summary(cli))")
    }

    /// An ordinary commit of one changed file, with ten leases of another live session on other
    /// paths: `git commit` with the guard installed and without, interleaved.
    static func commitGuard(_ bench: Bench) throws {
        let repo = try TempRepo()
        try Shell.git(["-C", repo.path, "config", "coord.autoGC", "false"])
        let other = try repo.coord("other")
        try other.join("other", role: "worker")
        try seed(other.store, (0..<10).map { (holder: "other", paths: ["leased\($0)/"]) })
        let noHooks = repo.root + "/no-hooks"
        Files.makeFolders(noHooks)
        _ = CLI.run(["hooks", "install", "git"], in: repo.path)
        let path = Files.parent(of: CLI.binary) + ":" + (ProcessEnvironment.get("PATH") ?? "/usr/bin:/bin")
        let env = ["PATH": path, "GIT_COORD_SESSION": "me"]
        let n = bench.quick ? 20 : 100
        var with: [Double] = [], without: [Double] = []
        var cpuWith: [Double] = [], cpuWithout: [Double] = []
        var failures = 0
        for i in 0..<(2 * n) {
            Files.writeAtomically(repo.path + "/file.txt", "\(i)\n")
            try Shell.git(["-C", repo.path, "add", "file.txt"])
            let guarded = i % 2 == 0
            let argv = ["git", "-C", repo.path] + (guarded ? [] : ["-c", "core.hooksPath=\(noHooks)"]) + ["commit", "-qm", "c\(i)"]
            let cpu0 = childrenCPUms()
            let t0 = Clock.monotonicNanoseconds()
            let r = Shell.run(argv, environment: env)
            let ms = Double(Clock.monotonicNanoseconds() - t0) / 1e6
            let cpu = childrenCPUms() - cpu0
            if r.status != 0 { failures += 1 }
            if guarded { with.append(ms); cpuWith.append(cpu) } else { without.append(ms); cpuWithout.append(cpu) }
        }
        let startup = bench.samples(n) { _ in _ = Shell.run([CLI.binary, "--version"]) }
        bench.line("git-coord --version (start-up alone): \(bench.summary(startup))")
        bench.line("git commit alone:            \(bench.summary(without))")
        bench.line("git commit with lease guard: \(bench.summary(with))")
        // CPU time of the commit and every process it ran: what the guard costs on an idle
        // machine, where the processes run one after another; unlike wall time, it does not grow
        // when other work shares the cores.
        bench.line("CPU, git commit alone:            \(bench.summary(cpuWithout))")
        bench.line("CPU, git commit with lease guard: \(bench.summary(cpuWith))")
        let cpuAdded = Bench.percentile(cpuWith, 50) - Bench.percentile(cpuWithout, 50)
        bench.line("guard adds, CPU (p50 difference): \(bench.fmt(cpuAdded)) ms (target < 20 ms)")
        let added = Bench.percentile(with, 50) - Bench.percentile(without, 50)
        bench.line("guard adds (p50 difference): \(bench.fmt(added)) ms (target < 20 ms), of which git-coord's start-up \(bench.fmt(Bench.percentile(startup, 50))) ms\(failures > 0 ? "; \(failures) commits FAILED" : "")")
    }

    /// User and system time of every finished child process so far (ms).
    static func childrenCPUms() -> Double {
        OS.cpuMilliseconds(.waitedChildren)
    }
}
