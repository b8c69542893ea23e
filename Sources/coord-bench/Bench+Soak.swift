import CoordTestSupport
import GitCoord
import GitCoordStore

/// `coord-bench soak [--writers=N] [--seconds=M]`: N processes run `git coord send` to one
/// mailbox in a loop for M seconds beside a 1-second `git coord heartbeat`, with git-coord's
/// automatic cleanup on. Prints messages/s, bytes on disk per message, loose objects, and
/// whether `git gc --auto` still runs afterwards. Target (8 writers, 20 s): at most 40 KB on
/// disk per message, automatic cleanup not blocked.
enum SoakBench {
    static func option(_ name: String, default value: Int) -> Int {
        CommandLine.arguments.first { $0.hasPrefix("--\(name)=") }.flatMap { Int($0.dropFirst(name.count + 3)) } ?? value
    }

    static func run(_ bench: Bench) throws {
        let writers = option("writers", default: bench.quick ? 4 : 8)
        let seconds = option("seconds", default: bench.quick ? 5 : 20)
        bench.section("soak: \(writers) writers + a 1 s heartbeat for \(seconds) s")
        let repo = try TempRepo()
        let names = ["inbox", "hb"] + (0..<writers).map { "w\($0)" }
        for n in names { try repo.coord(n).join(n, role: nil) }
        let common = try repo.coord().store.commonDir
        let before = diskBytes(common)

        let beat = CLI.start(["heartbeat", "--every", "1s"], in: repo.path, session: "hb")
        let loop = """
            end=$(( $(date +%s) + \(seconds) )); i=0
            while [ "$(date +%s)" -lt "$end" ]; do
              "$0" send inbox -m "soak message $i from $GIT_COORD_SESSION: a line of ordinary length for a status report" >/dev/null || echo "send failed" >&2
              i=$((i+1))
            done
            """
        let t0 = Clock.monotonicNanoseconds()
        let running = (0..<writers).map { Shell.start(["/bin/sh", "-c", loop, CLI.binary], in: repo.path, environment: ["GIT_COORD_SESSION": "w\($0)"]) }
        let results = running.map { $0.wait() }
        let elapsed = Double(Clock.monotonicNanoseconds() - t0) / 1e9
        try? OS.send(.terminate, to: beat.pid)
        _ = beat.wait()
        let failures = results.map { $0.stderr.split(separator: "\n").filter { $0.contains("failed") }.count }.reduce(0, +)

        let messages = try repo.store().snapshot(Mail.mailbox("inbox")).blobs(under: "msgs").count
        bench.line("messages: \(messages) in \(bench.fmt(elapsed, 1)) s = \(bench.fmt(Double(messages) / elapsed, 1)) messages/s (\(failures) sends failed)")
        report(bench, "at the end", common: common, before: before, messages: messages)
        repo.waitForDetachedGC()
        report(bench, "after the cleanup running then finished", common: common, before: before, messages: messages)
        let gcLog = Files.join(common, "gc.log")
        let auto = Shell.run(["git", "--git-dir=\(common)", "-c", "gc.autoDetach=false", "gc", "--auto"])
        let blocked = Files.exists(gcLog) || auto.stderr.contains("gc.log") || auto.stderr.contains("unreachable")
        bench.line("git gc --auto afterwards: exit \(auto.status), \(blocked ? "BLOCKED: " + auto.stderr.split(separator: "\n").prefix(2).joined(separator: " ") : "runs (no gc.log, no unreachable-objects warning)")")
        report(bench, "after that git gc --auto", common: common, before: before, messages: messages)
        let fsck = Shell.run(["git", "--git-dir=\(common)", "fsck", "--no-dangling"])
        bench.line("git fsck: \(fsck.status == 0 ? "clean" : "FAILED: \(fsck.stderr.prefix(200))")")
    }

    static func report(_ bench: Bench, _ when: String, common: String, before: Int64, messages: Int) {
        let grown = diskBytes(common) - before
        let objects = ObjectCount.measure(commonDir: common)
        let per = messages > 0 ? Double(grown) / Double(messages) / 1000 : .nan
        bench.line("\(when): .git grew \(bench.fmt(Double(grown) / 1e6, 1)) MB = \(bench.fmt(per, 1)) KB/message (target <= 40); \(objects.looseObjects) loose objects, \(objects.packs) packs")
    }

    /// Bytes on disk under `dir` (allocated blocks).
    static func diskBytes(_ dir: String) -> Int64 {
        var total: Int64 = 0
        for name in Files.list(dir) {
            let path = Files.join(dir, name)
            total += Files.isDirectory(path) ? diskBytes(path) : Files.diskBytes(path)
        }
        return total
    }
}
