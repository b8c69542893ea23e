import CoordTestSupport
import GitCoord

/// `git coord report` over a generated night of about 10,000 operations (2,400 with --quick):
/// the report built in-process, its text and HTML forms, the whole command, and as the baseline
/// `git log` printing the same history's messages.
enum ReportBench {
    static func run(_ bench: Bench) throws {
        bench.section("report: a night of coordination as text and HTML")
        let repo = try TempRepo()
        let now = Clock.nowMilliseconds()
        let spec = bench.quick
            ? NightSpec(start: now - 8 * 3_600_000, tasks: 100, jobs: 20, messages: 1_000)
            : NightSpec(start: now - 8 * 3_600_000, tasks: 300, jobs: 100, messages: 4_500)
        var generated: NightTruth? = nil
        let made = try bench.time { generated = try NightFixture.generate(at: repo.path, spec) }
        guard let truth = generated else { return }
        bench.line("night generated: \(truth.operations) operations (\(truth.messages) messages, \(truth.jobs.count) jobs, \(truth.added) tasks) in \(bench.fmt(made, 1)) s")

        try measure(bench, repo, spec, label: "loose objects, as libgit2 wrote them")
        try Shell.git(["-C", repo.path, "gc", "-q"])
        try measure(bench, repo, spec, label: "packed (after git gc)")
    }

    /// Times the report in-process and as a process, and the baseline, on the repository as it is.
    /// CPU times (this process's, or the children's) are given beside wall-clock times, because
    /// on a shared machine the wall clock mostly measures the other processes.
    static func measure(_ bench: Bench, _ repo: TempRepo, _ spec: NightSpec, label: String) throws {
        bench.line("-- \(label)")
        let coord = try repo.coord()
        let query = ReportQuery(from: spec.start - 60_000, until: spec.end + 60_000, now: spec.end + 30_000)
        let runs = bench.quick ? 3 : 5
        var report: Report? = nil
        let cpu0 = OS.cpuMilliseconds(.thisProcess)
        let build = try bench.samples(runs) { _ in report = try coord.report(query) }
        let buildCPU = (OS.cpuMilliseconds(.thisProcess) - cpu0) / Double(runs)
        guard let report else { return }
        var text = "", html = ""
        let textTimes = bench.samples(runs) { _ in text = report.text }
        let htmlTimes = bench.samples(runs) { _ in html = report.html }
        bench.line("report read (history + tips), in-process: \(bench.summary(build)); CPU \(bench.fmt(buildCPU, 0)) ms per run; \(report.eventCount) operations")
        bench.line("text form:  \(bench.summary(textTimes)); \(text.utf8.count / 1024) KiB")
        bench.line("HTML form:  \(bench.summary(htmlTimes)); \(bench.fmt(Double(html.utf8.count) / 1_048_576, 2)) MiB")

        let out = repo.root + "/night.html"
        func process(_ argv: [String]) -> (samples: [Double], cpu: Double) {
            let c0 = OS.cpuMilliseconds(.waitedChildren)
            let xs = bench.samples(runs) { _ in _ = Shell.run(argv) }
            return (xs, (OS.cpuMilliseconds(.waitedChildren) - c0) / Double(runs))
        }
        let cli = [CLI.binary, "-C", repo.path, "report", "--since", "24h"]
        let cliText = process(cli), cliHTML = process(cli + ["--html", out])
        bench.line("git coord report (text), whole process:  \(bench.summary(cliText.samples)); CPU \(bench.fmt(cliText.cpu, 0)) ms")
        bench.line("git coord report --html, whole process:  \(bench.summary(cliHTML.samples)); CPU \(bench.fmt(cliHTML.cpu, 0)) ms; file \(bench.fmt(Double(Files.read(out)?.count ?? 0) / 1_048_576, 2)) MiB")
        let log = ["git", "-C", repo.path, "log", "--glob=refs/coord/*", "--format=%H %ct%n%B"]
        let baseline = process(log)
        let logBytes = Shell.run(log).stdout.utf8.count
        bench.line("baseline git log --glob=refs/coord/* --format='%H %ct%n%B': \(bench.summary(baseline.samples)); CPU \(bench.fmt(baseline.cpu, 0)) ms; \(logBytes / 1024) KiB")
    }

    /// `coord-bench report-fixture DIR [HOURS]`: a new repository in DIR holding a generated
    /// night that ends now (4 sessions, 200 tasks, 50 jobs, 2,000 messages, one worker killed),
    /// for scripts that show or check the report.
    static func fixture(_ args: [String]) throws {
        guard let dir = args.first else {
            throw CoordError.usage("usage: coord-bench report-fixture DIR [HOURS]")
        }
        let hours = args.count > 1 ? Double(args[1]) ?? 8 : 8
        try Shell.git(["init", "-q", "-b", "main", dir])
        try Shell.git(["-C", dir, "-c", "user.name=night", "-c", "user.email=night@example.invalid", "commit", "-q", "--allow-empty", "-m", "init"])
        let spec = NightSpec(start: Clock.nowMilliseconds() - Int64(hours * 3_600_000), hours: hours)
        let truth = try NightFixture.generate(at: dir, spec)
        print("night in \(dir): \(truth.operations) operations, \(truth.added) tasks, \(truth.jobs.count) jobs, \(truth.messages) messages; \(truth.killed) killed at \(TimeText.utc(truth.killedAt))")
    }
}
