import CoordTestSupport
import GitCoord
import GitCoordStore

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
            // For profiling by hand: keep a copy of the filled repository and stop.
            _ = Shell.run(["cp", "-a", repo.path, keep])
            bench.line("copied the board repository to \(keep)")
            return
        }

        try measure(bench, repo: repo, coord: coord, label: "loose objects (as libgit2 writes them)")
        try Shell.git(["-C", repo.path, "gc", "-q"])
        try measure(bench, repo: repo, coord: coord, label: "after git gc (packed)")
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
            let c = Coord(store: CoordStore(repository: coord.repository, session: "worker-\(w)"))
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
        let floor = bench.samples(runs) { _ in
            _ = Shell.run(["git", "-C", repo.path, "rev-parse", "refs/coord/board"])
        }
        bench.line("baseline `git rev-parse refs/coord/board` (process floor): \(bench.summary(floor))")
        let ownFloor = bench.samples(runs) { _ in _ = Shell.run([CLI.binary, "--version"]) }
        bench.line("baseline `git coord --version` (our binary's start-up): \(bench.summary(ownFloor))")

        // The library alone, in this process: what a claim costs beyond starting a process.
        let worker = Coord(store: CoordStore(repository: coord.repository, session: "bench-inproc"))
        let inProcessReady = try coord.readyTasks().map(\.id)
        let inProcess = try bench.samples(runs) { i in _ = try worker.claim(inProcessReady[inProcessReady.count - 1 - i]) }
        bench.line("claim in-process (library, no process start): \(bench.summary(inProcess))")
        let inCold = try bench.samples(5) { _ in
            Files.removeTree(cache)
            _ = try coord.readyTasks()
        }
        let inWarm = try bench.samples(10) { _ in _ = try coord.readyTasks() }
        bench.line("readyTasks() in-process: cold \(bench.summary(inCold))")
        bench.line("readyTasks() in-process: warm \(bench.summary(inWarm))")

        let ready = try coord.readyTasks().map(\.id)
        var failures = 0
        let claims = bench.samples(runs) { i in
            let r = Shell.run([CLI.binary, "-C", repo.path, "board", "claim", ready[i % ready.count]], environment: env)
            if r.status != 0 { failures += 1 }
        }
        bench.line("`git coord board claim ID` (CLI, \(ready.count) ready): \(bench.summary(claims))\(failures > 0 ? "  FAILURES \(failures)" : "")")
        let prefixClaims = bench.samples(runs) { i in
            let id = ready[(runs + i) % ready.count]
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "claim", String(id.dropFirst(2).prefix(3))], environment: env)
        }
        bench.line("`git coord board claim PREFIX` (3 chars):  \(bench.summary(prefixClaims))")

        let listRuns = bench.quick ? 8 : 15
        let cold = bench.samples(listRuns) { _ in
            Files.removeTree(cache)
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        }
        bench.line("`git coord board list --ready` cold (cache deleted): \(bench.summary(cold))")
        _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        let warm = bench.samples(listRuns) { _ in
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        }
        bench.line("`git coord board list --ready` warm:                \(bench.summary(warm))")
        let afterWrite = bench.samples(listRuns) { i in
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "claim", ready[(2 * runs + i) % ready.count]], environment: env)
            _ = Shell.run([CLI.binary, "-C", repo.path, "board", "list", "--ready"])
        }
        bench.line("claim + `list --ready` (view updated by tree diff): \(bench.summary(afterWrite))")

        // Through a shell pipe: git ls-tree feeds git cat-file --batch, whose output we drain.
        let pipeline = "git -C '\(repo.path)' ls-tree -r --object-only refs/coord/board tasks | git -C '\(repo.path)' cat-file --batch"
        let plumbing = bench.samples(listRuns) { _ in
            _ = Shell.run(["sh", "-c", pipeline])
        }
        bench.line("baseline `git ls-tree -r` + `git cat-file --batch` (all task cells, no parsing): \(bench.summary(plumbing))")
    }
}
