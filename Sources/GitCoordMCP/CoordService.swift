import Foundation
import GitCoord
import MCP

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

    init(path: String? = nil, session: String? = nil) throws(CoordError) {
        let coord = try Coord.open(at: path, session: session)
        self.path = path
        self.store = coord.store
        self.session = coord.session
    }

    /// Runs tool `name`; refusals and bad arguments come back as tool errors, never as a fault.
    func call(_ name: String, _ arguments: [String: Value]?) async -> CallTool.Result {
        guard let allowed = ToolCatalog.arguments[name] else {
            return CoordService.failure(CoordError.usage("unknown tool '\(name)': use \(ToolCatalog.all.map(\.name).joined(separator: ", "))"))
        }
        let args: ToolArguments
        do throws(CoordError) { args = try ToolArguments(tool: name, values: arguments, allowed: allowed) } catch { return CoordService.failure(error) }
        if name == "sync" { return await sync(args) }
        let blocks = (name == "inbox" && arguments?["waitMs"] != nil) || (name == "job" && arguments?["action"] == .string("wait"))
        return await withCheckedContinuation { (done: CheckedContinuation<CallTool.Result, Never>) in
            let work: @Sendable () -> Void = { [self] in done.resume(returning: run(name, args, fresh: blocks)) }
            if blocks { Thread.detachNewThread(work) } else { queue.async(execute: work) }
        }
    }

    private func run(_ name: String, _ args: ToolArguments, fresh: Bool) -> CallTool.Result {
        do throws(CoordError) {
            let coord = try fresh ? Coord.open(at: path, session: session) : Coord(store: store)
            let answer = try ToolCalls(coord: coord).call(name, args)
            coord.noteActivity()
            return CoordService.success(answer)
        } catch {
            return CoordService.failure(error)
        }
    }

    private func sync(_ args: ToolArguments) async -> CallTool.Result {
        let path = self.path, session = self.session
        do throws(CoordError) {
            let remote = try args.string("remote")
            let coord = try Coord.open(at: path, session: session)
            let report = try await coord.sync(remote: remote)
            if !report.pushFailures.isEmpty {
                throw CoordError.refused("not everything reached \(report.remote): " + report.pushFailures.map(\.ref).joined(separator: ", "))
            }
            return CoordService.success(ToolAnswer(structured: report.json, text: report.lines.joined(separator: "\n")))
        } catch {
            return CoordService.failure(error)
        }
    }

    static func success(_ answer: ToolAnswer) -> CallTool.Result {
        let structured: MCP.Value? = answer.structured.mcpValue
        return CallTool.Result(content: [.text(text: answer.text, annotations: nil, _meta: nil)], structuredContent: structured, isError: false)
    }

    /// A tool error carrying the CLI's one-line message.
    static func failure(_ error: CoordError) -> CallTool.Result {
        CallTool.Result(content: [.text(text: "git coord: \(error.message)", annotations: nil, _meta: nil)], isError: true)
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
