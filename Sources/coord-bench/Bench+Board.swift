import CoordTestSupport
import GitCoord
import GitCoordStore

/// Wall-clock and CPU samples of command-line calls. CPU time (user + system of the waited
/// child, from `getrusage(RUSAGE_CHILDREN)`) does not stretch when the machine is shared, so it
/// shows what a call costs apart from waiting for a core.
struct CallSamples {
    var wall: [Double] = []
    var cpu: [Double] = []

    /// CPU milliseconds (user + system) of waited children, or of this process with `self`.
    static func cpuMilliseconds(self ownProcess: Bool = false) -> Double {
        OS.cpuMilliseconds(ownProcess ? .thisProcess : .waitedChildren)
    }

    /// Runs `body` `n` times; CPU is the children's (`inProcess` false) or this process's.
    static func measure(_ n: Int, inProcess: Bool = false, _ body: (Int) throws -> Void) rethrows -> CallSamples {
        var out = CallSamples()
        for i in 0..<n {
            let c0 = cpuMilliseconds(self: inProcess)
            let t0 = Clock.monotonicNanoseconds()
            try body(i)
            out.wall.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
            out.cpu.append(cpuMilliseconds(self: inProcess) - c0)
        }
        return out
    }

    func summary(_ bench: Bench) -> String {
        "\(bench.summary(wall));  cpu p50 \(bench.fmt(Bench.percentile(cpu, 50))) ms p99 \(bench.fmt(Bench.percentile(cpu, 99))) ms"
    }
}

/// The task board at size: `claim` and `list --ready` as command-line calls on a board of 10,000
/// tasks, against reading the same board through git's own plumbing.
enum BoardBench {
    static func run(_ bench: Bench) throws {
        let size = bench.quick ? 2_000 : 10_000
        bench.section("board: \(size) tasks")
        let repo = try TempRepo("board")
        let coord = try repo.coord("planner")
        let fill = try bench.time { try fillBoard(coord, size: size) }
        bench.line("fill: \(size) tasks (20% done, 10% claimed, 30% with a dependency) in \(bench.fmt(fill, 1)) s, in-process")
        if let keep = ProcessEnvironment.get("COORD_BENCH_KEEP_BOARD"), !keep.isEmpty {
            // For profiling by hand: keep a copy of the filled repository and stop. A detached
            // `git gc --auto` may be packing it; copying under it would copy neither the loose
            // objects it removes nor the pack it has not finished, so wait for it first.
            let gcPid = Files.join(repo.path, ".git", "gc.pid")
            for _ in 0..<600 where Files.exists(gcPid) { Clock.sleep(milliseconds: 100) }
            _ = Shell.run(["cp", "-a", repo.path, keep])
            bench.line("copied the board repository to \(keep)")
            return
        }

        try measure(bench, repo: repo, coord: coord, label: "loose objects (as libgit2 writes them)")

        // The same board as another clone holds it: fetched, so every object is in one pack.
        let clone = try TempRepo("board-clone")
        try Shell.git(["-C", clone.path, "fetch", "-q", "file://" + repo.path, "+refs/coord/*:refs/coord/*"])
        try measure(bench, repo: clone, coord: try clone.coord("planner"), label: "packed (a clone that fetched the board)")

        // Right after `git gc` packs the loose objects and deletes them. On an ext4 file system
        // without a journal (this machine's), creating a file then scans past every inode deleted
        // in the last minutes, so each of the 7 files a write creates costs more until they age.
        let loose = Int(try Shell.git(["-C", repo.path, "count-objects"]).split(separator: " ").first ?? "0") ?? 0
        try Shell.git(["-C", repo.path, "gc", "-q"])
        bench.line("")
        bench.line("### right after `git gc` deleted \(loose) loose objects")
        let env = ["GIT_COORD_SESSION": "bench-worker"]
        let ready = try coord.readyTasks().map(\.id)
        let runs = bench.quick ? 30 : 60
        let afterGC = CallSamples.measure(runs) { i in
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "claim", ready[i % ready.count]], environment: env)
        }
        bench.line("`git coord board claim ID` (CLI): \(afterGC.summary(bench))")
    }

    /// Adds `size` tasks in batches of 1,000 (one commit each), then marks some done and claims some.
    static func fillBoard(_ coord: Coord, size: Int) throws {
        var ids: [String] = []
        var rng = SystemRandomNumberGenerator()
        while ids.count < size {
            let n = min(1_000, size - ids.count)
            let drafts = (0..<n).map { i -> TaskDraft in
                let k = ids.count + i
                let dep = (!ids.isEmpty && k % 10 < 3) ? [ids[Int(rng.next() % UInt64(ids.count))]] : []
                return TaskDraft(title: "task \(k): make the thing work", desc: "details of task \(k)", priority: k % 5, after: dep, labels: k % 7 == 0 ? ["ci"] : [])
            }
            ids += try coord.addTasks(drafts).map(\.id)
        }
        for (k, id) in ids.enumerated() where k % 10 < 2 { try coord.markDone(id) }
        let workers = try (0..<4).map { (w: Int) throws -> Coord in
            let c = Coord(store: coord.store.acting(as: "worker-\(w)"))
            return c
        }
        for (k, id) in ids.enumerated() where k % 10 == 2 { _ = try workers[k % 4].claim(id) }
    }

    static func measure(_ bench: Bench, repo: TempRepo, coord: Coord, label: String) throws {
        bench.line("")
        bench.line("### \(label)")
        let runs = bench.quick ? 30 : 60
        let env = ["GIT_COORD_SESSION": "bench-worker"]
        let cache = Files.join(coord.store.localFolder, "cache")

        // Process start-up floor: git itself reading one ref.
        let floor = CallSamples.measure(runs) { _ in
            _ = Shell.run(["git", "-C", repo.path, "rev-parse", "refs/coord/board"])
        }
        bench.line("baseline `git rev-parse refs/coord/board` (process floor): \(floor.summary(bench))")
        let ownFloor = CallSamples.measure(runs) { _ in _ = Shell.run([CLI.binary, "--version"]) }
        bench.line("baseline `git coord --version` (our binary's start-up): \(ownFloor.summary(bench))")

        // The library alone, in this process: what a claim costs beyond starting a process.
        let worker = Coord(store: coord.store.acting(as: "bench-inproc"))
        // Writers must have joined: the claims below would otherwise all be refused.
        _ = try worker.join("bench-inproc", role: nil)
        let joined = Shell.run([CLI.binary, "-C", repo.path, "join", "bench-worker"], environment: env)
        guard joined.status == 0 else { throw CoordError.data("cannot join bench-worker: \(joined.stderr)") }
        let inProcessReady = try coord.readyTasks().map(\.id)
        let inProcess = try CallSamples.measure(runs, inProcess: true) { i in _ = try worker.claim(inProcessReady[inProcessReady.count - 1 - i]) }
        bench.line("claim in-process (library, no process start): \(inProcess.summary(bench))")
        let inCold = try CallSamples.measure(5, inProcess: true) { _ in
            Files.removeTree(cache)
            _ = try coord.readyTasks()
        }
        let inWarm = try CallSamples.measure(10, inProcess: true) { _ in _ = try coord.readyTasks() }
        bench.line("readyTasks() in-process: cold \(inCold.summary(bench))")
        bench.line("readyTasks() in-process: warm \(inWarm.summary(bench))")

        let ready = try coord.readyTasks().map(\.id)
        var failures = 0
        let claims = CallSamples.measure(runs) { i in
            let r = Shell.run([CLI.binary, "-C", repo.path, "board", "claim", ready[i % ready.count]], environment: env)
            if r.status != 0 { failures += 1 }
        }
        bench.line("`git coord board claim ID` (CLI, \(ready.count) ready): \(claims.summary(bench))\(failures > 0 ? "  FAILURES \(failures)" : "")")
        let prefixClaims = CallSamples.measure(runs) { i in
            let id = ready[(runs + i) % ready.count]
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "claim", String(id.dropFirst(2).prefix(3))], environment: env)
        }
        bench.line("`git coord board claim PREFIX` (3 chars):  \(prefixClaims.summary(bench))")

        let listRuns = bench.quick ? 8 : 15
        let cold = CallSamples.measure(listRuns) { _ in
            Files.removeTree(cache)
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        }
        bench.line("`git coord board list --ready` cold (cache deleted): \(cold.summary(bench))")
        _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        let warm = CallSamples.measure(listRuns) { _ in
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        }
        bench.line("`git coord board list --ready` warm:                \(warm.summary(bench))")
        let afterWrite = CallSamples.measure(listRuns) { i in
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "claim", ready[(2 * runs + i) % ready.count]], environment: env)
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        }
        bench.line("claim + `list --ready` (view updated by tree diff): \(afterWrite.summary(bench))")

        // Through a shell pipe: git ls-tree feeds git cat-file --batch, whose output we drain.
        let pipeline = "git -C '\(repo.path)' ls-tree -r --object-only refs/coord/board tasks | git -C '\(repo.path)' cat-file --batch"
        let plumbing = CallSamples.measure(listRuns) { _ in
            _ = Shell.run(["sh", "-c", pipeline])
        }
        bench.line("baseline `git ls-tree -r` + `git cat-file --batch` (all task cells, no parsing): \(plumbing.summary(bench))")
    }
}
