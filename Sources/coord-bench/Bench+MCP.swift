import CoordTestSupport
import GitCoord

/// `git coord mcp`: one tool call's round trip through the server over pipes (write the request
/// line, read the answer line), beside the same command as a CLI process, in one run.
enum MCPBench {
    static func run(_ bench: Bench) throws {
        let size = bench.quick ? 2_000 : 10_000
        let runs = bench.quick ? 100 : 400
        let cliRuns = bench.quick ? 30 : 60
        bench.section("mcp: tool calls through `git coord mcp` (stdio pipes) beside the CLI")
        let repo = try TempRepo("mcp")
        let peer = try repo.addWorktree("peer")
        for (name, dir) in [("alice", repo.path), ("bob", peer)] {
            guard CLI.run(["join", name], in: dir).status == 0 else { throw CoordError.data("cannot join \(name)") }
        }
        let server = MCPPipe(in: repo.path, session: "alice")
        guard server.initialize() != nil else { throw CoordError.data("the MCP server did not answer initialize") }
        var failures = 0
        func call(_ tool: String, _ args: JSONValue) {
            if server.call(tool, args)?["isError"] != .bool(false) { failures += 1 }
        }

        let listSize = server.request("tools/list").map { _ in server.lastLine.count } ?? 0
        bench.line("tools/list answer: \(listSize) characters (10 tools)")

        let send = bench.samples(runs) { i in call("send", ["to": ["bob"], "body": .string("bench message \(i)")]) }
        bench.line("send (MCP tool call):            \(bench.summary(send))")
        let sendCLI = CallSamples.measure(cliRuns) { i in _ = CLI.run(["send", "bob", "-m", "bench message \(i)"], in: repo.path, session: "alice") }
        bench.line("`git coord send` (CLI):          \(sendCLI.summary(bench))")

        // alice's inbox holds `runs` messages from bob; list the 20 newest.
        let bob = try repo.coord("bob", at: peer)
        for i in 0..<runs { _ = try bob.send(Outgoing(to: ["alice"], body: "for alice \(i)")) }
        let inbox = bench.samples(runs) { _ in call("inbox", ["limit": 20]) }
        bench.line("inbox limit 20 (MCP tool call):  \(bench.summary(inbox))")
        let inboxCLI = CallSamples.measure(cliRuns) { _ in _ = CLI.run(["inbox", "--limit", "20"], in: repo.path, session: "alice") }
        bench.line("`git coord inbox --limit 20` (CLI): \(inboxCLI.summary(bench))")

        let planner = try repo.coord("planner")
        let fill = try bench.time { try BoardBench.fillBoard(planner, size: size) }
        let ready = try planner.readyTasks().map(\.id)
        bench.line("board: \(size) tasks filled in \(bench.fmt(fill, 1)) s; \(ready.count) ready")
        let claimRuns = min(runs, ready.count - cliRuns)
        let claim = bench.samples(claimRuns) { i in call("board", ["action": "claim", "task": .string(ready[i])]) }
        bench.line("board claim (MCP tool call, \(size) tasks): \(bench.summary(claim))")
        let claimCLI = CallSamples.measure(cliRuns) { i in
            _ = CLI.run(["board", "claim", ready[claimRuns + i]], in: repo.path, session: "alice")
        }
        bench.line("`git coord board claim ID` (CLI):    \(claimCLI.summary(bench))")
        if failures > 0 { bench.line("FAILURES: \(failures) tool calls answered with an error") }
        server.close()
    }
}
