import Foundation
import GitCoord
import MCP
import Synchronization

/// The coordination store the server keeps open, and the queues tool calls run on.
///
/// Quick calls run one at a time on one serial queue against the one open store, so its caches
/// (board index, unread index, snapshots) serve call after call without re-reading what has not
/// changed. Calls that block (an inbox or job wait, a sync) run on their own thread with a store
/// of their own, so they never hold up the others.
final class CoordService: @unchecked Sendable {
    /// The session the server acts for (nil: none known; tools that need one say how to join).
    let session: String?
    private let path: String?
    private let store: CoordStore
    private let queue = DispatchQueue(label: "git-coord-mcp.calls")
    /// When the server last noted the session's activity (monotonic nanoseconds, 0: never).
    private let activityNoted = Mutex<UInt64>(0)

    init(path: String? = nil, session: String? = nil) throws(CoordError) {
        let coord = try Coord.open(at: path, session: session)
        self.path = path
        self.store = coord.store
        self.session = coord.session
    }

    /// Runs tool `name` through the SDK's `tools/call` handler.
    func call(_ name: String, _ arguments: [String: Value]?) async -> CallTool.Result {
        await withCheckedContinuation { (done: CheckedContinuation<ToolResult, Never>) in
            submit(name, arguments) { done.resume(returning: $0) }
        }.sdkResult
    }

    /// Runs tool `name` and hands its result to `done`; refusals and bad arguments come back as
    /// tool errors, never as a fault. Quick calls run in the order they were submitted.
    func submit(_ name: String, _ arguments: [String: Value]?, done: @escaping @Sendable (ToolResult) -> Void) {
        guard let allowed = ToolCatalog.arguments[name] else {
            return done(.failure(CoordError.usage("unknown tool '\(name)': use \(ToolCatalog.all.map(\.name).joined(separator: ", "))")))
        }
        let args: ToolArguments
        do throws(CoordError) { args = try ToolArguments(tool: name, values: arguments, allowed: allowed) } catch { return done(.failure(error)) }
        if name == "sync" {
            Task { done(await sync(args)) }
            return
        }
        let blocks = (name == "inbox" && arguments?["waitMs"] != nil) || (name == "job" && arguments?["action"] == .string("wait"))
        let work: @Sendable () -> Void = { [self] in done(run(name, args, fresh: blocks)) }
        if blocks { Thread.detachNewThread(work) } else { queue.async(execute: work) }
    }

    private func run(_ name: String, _ args: ToolArguments, fresh: Bool) -> ToolResult {
        do throws(CoordError) {
            let coord = try fresh ? Coord.open(at: path, session: session) : Coord(store: store)
            let answer = try ToolCalls(coord: coord).call(name, args)
            noteActivity(coord)
            return .success(answer)
        } catch {
            return .failure(error)
        }
    }

    /// Notes the session's activity after a call (``Coord/noteActivity()``), at most once a second:
    /// a heartbeat is due only every ``Coord/touchInterval`` anyway, so a busy server does not pay
    /// the reads for every one of many calls a second.
    private func noteActivity(_ coord: Coord) {
        let now = Clock.monotonicNanoseconds()
        let due = activityNoted.withLock { last in
            guard last == 0 || now - last >= CoordService.activityEveryNs else { return false }
            last = now
            return true
        }
        if due { coord.noteActivity() }
    }

    static let activityEveryNs: UInt64 = 1_000_000_000

    private func sync(_ args: ToolArguments) async -> ToolResult {
        let path = self.path, session = self.session
        do throws(CoordError) {
            let remote = try args.string("remote")
            let coord = try Coord.open(at: path, session: session)
            let report = try await coord.sync(remote: remote)
            if let incomplete = report.incompleteError { throw incomplete }
            return .success(ToolAnswer(structured: report.json, text: report.lines.joined(separator: "\n")))
        } catch {
            return .failure(error)
        }
    }

    /// Waits until the quick calls submitted so far have answered (at the end of input, so that
    /// `echo REQUEST | git coord mcp` gets its answer before the server exits).
    func drain() { queue.sync {} }

    // MARK: tools/call without the SDK's value round trip

    private static let callNeedle = [Array("\"tools/call\"".utf8)]

    /// Answers `line` when it is a `tools/call` request this server can read without the SDK;
    /// false otherwise (then the SDK serves it).
    ///
    /// The SDK turns every result into its `Value` type by encoding and decoding it, and its
    /// decoder tries each string against a data-URL regular expression: about 1 ms per KB of
    /// result (a 20 KB board list took 20 ms), and a message body that looks like a data URL
    /// would come back as binary data. Tool calls are the hot path, so they are read and
    /// answered here, with the store's canonical JSON writer (Docs/MCP.md, "Transport").
    func answerDirectly(_ line: Data, wire: Wire) -> Bool {
        guard Revision20260728.contains(line, CoordService.callNeedle),
              let message = try? JSONValue.parse([UInt8](line)), message["method"] == "tools/call",
              let id = message["id"], let params = message["params"], let name = params["name"]?.stringValue else { return false }
        var arguments: [String: Value]? = nil
        switch params["arguments"] {
        case nil, .null?: break
        case .object(let o)?: arguments = o.mapValues(\.mcpValue)
        default: return false
        }
        let modern = params["_meta"]?[Revision20260728.versionKey] == .string(Revision20260728.version)
        submit(name, arguments) { result in
            var body = result.json
            if modern, case .object(var o) = body { o["resultType"] = "complete"; body = .object(o) }
            wire.write(["jsonrpc": "2.0", "id": id, "result": body])
        }
        return true
    }

    // MARK: Push

    /// The unread messages of the session, for the `coord://inbox` resource; marks them announced.
    func inboxResource() async throws -> String {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<String, any Error>) in
            queue.async { [self] in
                do throws(CoordError) {
                    let coord = Coord(store: store)
                    let me = try coord.requireSession()
                    let items = try coord.inbox(InboxQuery(unreadOnly: true))
                    coord.markAnnounced(items.map(\.message.id), session: me)
                    done.resume(returning: JSONValue.object(["session": .string(me), "messages": .array(items.map(\.json))]).canonicalString)
                } catch {
                    done.resume(throwing: MCPError.invalidParams("git coord: \(error.message)"))
                }
            }
        }
    }
}

/// A tool's result: its answer, or the one-line refusal.
enum ToolResult: Sendable {
    case success(ToolAnswer)
    case failure(CoordError)

    /// As MCP's `CallToolResult`: a text block, the structured content, `isError`.
    var json: JSONValue {
        switch self {
        case .success(let a):
            return ["content": [["type": "text", "text": .string(a.text)]], "structuredContent": a.structured, "isError": false]
        case .failure(let e):
            return ["content": [["type": "text", "text": .string("git coord: \(e.message)")]], "isError": true]
        }
    }

    /// The same as the SDK's type.
    var sdkResult: CallTool.Result {
        switch self {
        case .success(let a):
            let structured: MCP.Value? = a.structured.mcpValue
            return CallTool.Result(content: [.text(text: a.text, annotations: nil, _meta: nil)], structuredContent: structured, isError: false)
        case .failure(let e):
            return CallTool.Result(content: [.text(text: "git coord: \(e.message)", annotations: nil, _meta: nil)], isError: true)
        }
    }
}
