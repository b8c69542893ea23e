#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// `git coord mcp` driven by a client nobody here wrote: the official MCP Python SDK (`mcp` on
/// PyPI), over stdio (Tests/MCP/mcp_driver.py). The test makes the Python environment itself
/// (scripts/mcp-venv.sh: a venv under .build with `pip install mcp`), so a clean clone passes.
@Suite(.serialized) struct MCPClientTests {
    static let root = Files.parent(of: Files.parent(of: Files.parent(of: #filePath)))

    static func python() throws -> String {
        let r = Shell.run([root + "/scripts/mcp-venv.sh"])
        guard r.status == 0 else { throw CoordError.data("cannot make the MCP Python environment: \(r.stderr)") }
        return r.stdout.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// `auto` is the client's default: it asks `server/discover` and speaks 2026-07-28, pushed
    /// through `subscriptions/listen`; `legacy` takes the initialize handshake (2025-11-25) and
    /// `resources/subscribe`.
    @Test(arguments: [("auto", "2026-07-28", "subscriptions/listen"), ("legacy", "2025-11-25", "resources/subscribe")])
    func theOfficialPythonClientListsCallsEveryToolAndIsPushedEachNewMessage(mode: String, revision: String, push: String) throws {
        let pair = try MCPPair(remote: true)
        let python = try Self.python()
        let r = Shell.run([python, Self.root + "/Tests/MCP/mcp_driver.py", "--server", MCPPipe.binary, "--cli", CLI.binary,
                           "--repo", pair.repo.path, "--peer", pair.peer, "--pushes", "5", "--mode", mode], in: pair.repo.path)
        #expect(r.status == 0, "driver failed: \(r.stderr)")
        let report = try JSONValue.parse(Array(r.stdout.utf8))
        // Failures the driver saw: tools that errored, results that broke their output schema,
        // refusals without the CLI's message, pushes that never came.
        #expect(report["failures"]?.arrayValue == [], "\(report["failures"]?.canonicalString ?? r.stdout)")
        #expect(report["protocol"]?.stringValue == revision)
        #expect(report["push_by"]?.stringValue == push)
        #expect(report["tools"]?.arrayValue?.compactMap(\.stringValue) == ["board", "brief", "inbox", "job", "message", "send", "sent", "sessions", "state", "sync"])
        let calls = report["calls"]?.objectValue ?? [:]
        #expect(calls.count == 30 && calls.values.allSatisfy { $0 == .bool(true) })
        #expect(report["errors"]?.objectValue?.count == 8)
        #expect(report["resources"]?.arrayValue == ["coord://inbox"])
        // Each push arrived within 100 ms of the send command completing in the other worktree.
        let pushes = report["push_after_send_exit_us"]?.arrayValue?.compactMap(\.intValue) ?? []
        #expect(pushes.count == 5, "\(report.canonicalString)")
        for us in pushes { #expect(us < 100_000, "push \(us) µs after the send ended") }
    }
}
