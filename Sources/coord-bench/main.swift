import GitCoord

/// `coord-bench [SECTION...]`: measures git-coord against git's own plumbing in the same run.
/// Sections: store, mail, board, sessions, sync, hooks, mcp, lease, soak, report, peers (default: all). `--quick` uses smaller sizes.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "write-records" {
    // A writer process for tests and benchmarks: write-records REPO SESSION COUNT LABEL
    try RecordWriter.run(Array(arguments.dropFirst()))
    OS.exit(0)
}
// A hook command may exit before reading the payload written to it, as Claude Code allows.
OS.ignore(.brokenPipe)
if arguments.first == "report-fixture" {
    try ReportBench.fixture(Array(arguments.dropFirst()))
    OS.exit(0)
}
let quick = arguments.contains("--quick")
let chosen = Set(arguments.filter { !$0.hasPrefix("--") })
let sections: [(String, (Bench) throws -> Void)] = [
    ("store", StoreBench.run),
    ("mail", MailBench.run),
    ("board", BoardBench.run),
    ("sessions", SessionBench.run),
    ("sync", SyncBench.run),
    ("hooks", HooksBench.run),
    ("mcp", MCPBench.run),
    ("lease", LeaseBench.run),
    ("soak", SoakBench.run),
    ("report", ReportBench.run),
    ("peers", PeersBench.run),
]
let bench = Bench(quick: quick)
bench.header()
for (name, run) in sections where chosen.isEmpty || chosen.contains(name) {
    do { try run(bench) } catch { bench.line("\(name): FAILED: \(error)") }
}
