import CoordTestSupport
import GitCoord
import GitCoordStore

/// The agent hooks as Claude Code runs them (`sh -c COMMAND`, the command `hooks install` writes),
/// outside a coordinated repository and inside one, beside `git rev-parse HEAD` in the same run.
/// Outside, a hook must cost no more than about twice `git rev-parse HEAD`: it runs on every
/// prompt and tool call of every project once installed at user scope.
enum HooksBench {
    static func run(_ bench: Bench) throws {
        bench.section("hooks: each hook command through sh -c, beside git rev-parse HEAD")
        let coordinated = try TempRepo()
        try Shell.git(["-C", coordinated.path, "config", "coord.autoGC", "false"])
        let pm = try coordinated.coord("pm")
        try pm.join("pm", role: "coordinator")
        let plainRepo = try TempRepo()
        let plainFolder = Files.join(plainRepo.root, "not-a-repository")
        Files.makeFolders(plainFolder)
        let m = bench.quick ? 40 : 200
        let payload = "{\"session_id\":\"bench-agent\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"go on\"}"
        let places = [("a git repository without git coord", plainRepo.path), ("a folder outside any repository", plainFolder)]

        // Interleaved, one round at a time, so the machine's load changes touch every row alike.
        let kinds = ["session-start", "session-end", "prompt", "post-tool", "stop-wait"]
        var runs: [(label: String, argv: [String], dir: String)] = [("git rev-parse HEAD (baseline)", ["git", "rev-parse", "HEAD"], plainRepo.path)]
        for (label, dir) in places {
            for kind in kinds {
                runs.append(("\(kind) in \(label)", ["sh", "-c", ClaudeSettings.command(kind, binary: CLI.binary)], dir))
            }
        }
        var times = [[Double]](repeating: [], count: runs.count)
        for _ in 0..<m {
            for (k, run) in runs.enumerated() {
                times[k] += bench.samples(1) { _ in _ = Shell.run(run.argv, in: run.dir, input: payload) }
            }
        }
        let base = Bench.percentile(times[0], 50)
        for (k, run) in runs.enumerated() {
            bench.line("\(run.label): \(bench.summary(times[k]))\(k == 0 ? "" : "  x\(bench.fmt(Bench.percentile(times[k], 50) / base, 2)) of rev-parse")")
        }
        let inside = ClaudeSettings.command("prompt", binary: CLI.binary)
        let t = bench.samples(m) { _ in _ = Shell.run(["sh", "-c", inside], in: coordinated.path, input: payload) }
        bench.line("in a coordinated repository, prompt with nothing new: \(bench.summary(t))")
    }

}
