#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// `git-coord-mcp` on the wire: JSON-RPC lines written and read by the test itself.
/// A repository with alice in the main worktree and bob in a linked one (and, with `remote`, a
/// bare origin that `init --remote` set up), for the MCP tests.
struct MCPPair {
    let repo: TempRepo
    let peer: String

    init(remote: Bool = false) throws {
        repo = try TempRepo()
        if remote { _ = try repo.addBareRemote("origin") }
        peer = try repo.addWorktree("peer")
        if remote { #expect(CLI.run(["init", "--remote", "origin"], in: repo.path).status == 0) }
        #expect(CLI.run(["join", "alice"], in: repo.path).status == 0)
        #expect(CLI.run(["join", "bob"], in: peer).status == 0)
    }

    /// A server acting as alice, initialized.
    func server(_ arguments: [String] = []) -> MCPPipe {
        let s = MCPPipe(in: repo.path, arguments: arguments)
        #expect(s.initialize() != nil)
        return s
    }
}

@Suite struct MCPServerTests {
    typealias Pair = MCPPair

    static func text(_ result: JSONValue?) -> String {
        result?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
    }

    /// The whole `tools/list` answer, as it crosses the wire, is at most 10,000 characters
    /// (about 2,500 tokens) while covering every command (README: "MCP").
    @Test func toolsListAnswerIsAtMostTenThousandCharacters() throws {
        let pair = try Pair()
        let s = pair.server()
        let answer = try #require(s.request("tools/list"))
        let size = String(decoding: s.lastLine, as: UTF8.self).count
        let tools = answer["result"]?["tools"]?.arrayValue ?? []
        #expect(tools.count == 10)
        #expect(size <= 10_000, "tools/list is \(size) characters")
        for tool in tools {
            #expect(tool["description"]?.stringValue?.isEmpty == false)
            #expect(tool["inputSchema"]?["type"] == "object")
            #expect(tool["outputSchema"]?["type"] == "object", "\(tool["name"]?.stringValue ?? "?") has no output schema")
        }
    }

    /// A refusal comes back as a tool error with the very line the CLI prints.
    @Test func refusalsAreToolErrorsWithTheCLIsMessage() throws {
        let pair = try Pair()
        let s = pair.server()
        let cli = CLI.run(["board", "claim", "T-zzzz"], in: pair.repo.path)
        #expect(cli.status == 2)
        let result = s.call("board", ["action": "claim", "task": "T-zzzz"])
        #expect(result?["isError"] == true)
        #expect(Self.text(result) + "\n" == cli.stderr)
        let send = s.call("send", ["to": ["carol"], "body": "hi"])
        #expect(Self.text(send) + "\n" == CLI.run(["send", "carol", "-m", "hi"], in: pair.repo.path).stderr)
    }

    /// Lines that are not JSON, requests without the fields they need, arguments of the wrong
    /// type and unknown tools are answered as errors; the server keeps serving.
    @Test func badInputNeverTakesTheServerDown() throws {
        let pair = try Pair()
        let s = pair.server()
        s.writeLine("this is not json")
        s.writeLine("{}")
        s.writeLine(#"{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{}}"#)
        s.writeLine(#"{"jsonrpc":"2.0","id":"y","method":"tools/call","params":{"name":7}}"#)
        for (tool, args) in [("send", ["to": 5, "body": "x"]), ("board", ["action": "fly"]), ("inbox", ["limit": "ten"]),
                             ("state", ["action": "set", "key": "k", "value": ["a": [1, 2, ["deep": true]]], "extra": 1]),
                             ("nosuch", [:]), ("job", ["action": "run", "command": []])] as [(String, JSONValue)] {
            let r = s.call(tool, args)
            #expect(r?["isError"] == true, "\(tool) \(args.canonicalString) was not refused")
            #expect(Self.text(r).hasPrefix("git coord: "))
            #expect(!Self.text(r).contains("\n"))
        }
        #expect(s.isRunning)
        let ok = s.call("send", ["to": ["bob"], "body": "still here"])
        #expect(ok?["isError"] == false)
        #expect(ok?["structuredContent"]?["id"]?.stringValue?.hasPrefix("m-") == true)
    }

    /// The server acts for the session the library resolves, and its writes are the CLI's.
    @Test func toolsActAsTheResolvedSessionAndTheCLISeesTheirWrites() throws {
        let pair = try Pair()
        let s = MCPPipe(in: pair.repo.path, session: "bob")
        _ = s.initialize()
        let sent = s.call("send", ["to": ["alice"], "body": "from the server"])
        let id = try #require(sent?["structuredContent"]?["id"]?.stringValue)
        let inbox = CLI.run(["inbox", "--json"], in: pair.repo.path)
        #expect(inbox.stdout.contains(id) && inbox.stdout.contains(#""from":"bob""#))
        let task = s.call("board", ["action": "add", "title": "from the server"])?["structuredContent"]?["task"]?["id"]?.stringValue ?? "?"
        #expect(s.call("board", ["action": "claim", "task": .string(task)])?["isError"] == false)
        #expect(CLI.run(["board", "show", task], in: pair.repo.path).stdout.contains("bob"))
    }

    /// With --channel, a new message is pushed as a Claude Code channel event, and counts as
    /// announced: the prompt hook does not announce it a second time.
    @Test func channelEventsAnnounceEachMessageOnceAcrossServerAndHooks() throws {
        let pair = try Pair()
        let s = pair.server(["--channel"])
        let initAnswer = s.request("ping")
        #expect(initAnswer?["result"] != nil)
        let id = CLI.run(["send", "alice", "-m", "review T-1 please", "--urgent"], in: pair.peer).stdout.trimmingSuffixNewline()
        let event = try #require(s.waitForNotification("notifications/claude/channel", timeoutMs: 5_000))
        let content = event["params"]?["content"]?.stringValue ?? ""
        #expect(content.contains(id) && content.contains("from bob"))
        #expect(event["params"]?["meta"]?["message_ids"]?.stringValue == id)
        let hook = CLI.run(["hooks", "run", "prompt"], in: pair.repo.path)
        #expect(hook.status == 0 && hook.stdout.isEmpty, "the hook announced it again: \(hook.stdout)")
    }

    /// Without --channel, a pushed resource update does not count as telling the agent: the
    /// hooks still announce the message.
    @Test func withoutChannelTheHooksStillAnnounceTheMessage() throws {
        let pair = try Pair()
        let s = pair.server()
        #expect(s.request("resources/subscribe", ["uri": "coord://inbox"])?["result"] != nil)
        let id = CLI.run(["send", "alice", "-m", "ping"], in: pair.peer).stdout.trimmingSuffixNewline()
        let update = try #require(s.waitForNotification("notifications/resources/updated", timeoutMs: 5_000))
        #expect(update["params"]?["uri"] == "coord://inbox")
        let hook = CLI.run(["hooks", "run", "prompt"], in: pair.repo.path)
        #expect(hook.stdout.contains(id))
    }

    /// The initialize answer declares Claude Code's channel capability only with --channel.
    @Test func channelCapabilityIsDeclaredOnlyWhenAskedFor() throws {
        let pair = try Pair()
        let plain = MCPPipe(in: pair.repo.path)
        #expect(plain.initialize()?["capabilities"]?["experimental"]?["claude/channel"] == nil)
        let channel = MCPPipe(in: pair.repo.path, arguments: ["--channel"])
        let caps = channel.initialize()?["capabilities"]
        #expect(caps?["experimental"]?["claude/channel"] == .object([:]))
        #expect(caps?["resources"]?["subscribe"] == true)
    }
}
