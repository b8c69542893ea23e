import Foundation
import GitCoord
import MCP

/// `git coord mcp`: the coordination store as MCP tools over stdio, with new messages pushed.
///
/// Built on the official Swift SDK (`Server`), with a transport of its own (``LineTransport``).
/// Pushes, for each new message of the session:
/// - `notifications/resources/updated` for `coord://inbox` once the client subscribed to it
///   (MCP 2025-11-25, "Resources: Subscriptions");
/// - with `channel`, a Claude Code channel event (`notifications/claude/channel`), and the
///   message counts as announced, so the hooks do not announce it again.
public struct CoordMCPServer {
    public struct Options: Sendable {
        /// Push each new message as a Claude Code channel event.
        public var channel: Bool
        /// The session to act as (default: resolved as every command resolves it).
        public var session: String?
        /// The repository (default: the current directory's).
        public var path: String?

        public init(channel: Bool = false, session: String? = nil, path: String? = nil) {
            self.channel = channel
            self.session = session
            self.path = path
        }
    }

    public static let inboxURI = "coord://inbox"

    /// Serves until standard input ends.
    public static func run(_ options: Options, version: String) async throws(CoordError) {
        let service = try CoordService(path: options.path, session: options.session)
        let capabilities = Server.Capabilities(resources: .init(subscribe: true, listChanged: false), tools: .init(listChanged: false))
        let text = instructions(service.session, channel: options.channel)
        let server = Server(name: "git-coord", version: version, instructions: text, capabilities: capabilities)
        let experimental = options.channel ? ["claude/channel"] : []
        let wire = Wire()
        let modern = Revision20260728(wire: wire, capabilities: capabilitiesJSON(capabilities, experimental: experimental),
                                      instructions: text, resources: [inboxURI])
        await register(server, service, modern: modern)
        let transport = LineTransport(wire: wire, experimental: experimental, modern: modern, service: service)
        do {
            try await server.start(transport: transport)
        } catch {
            throw CoordError.data("cannot start the MCP server", cause: error)
        }
        if let session = service.session {
            InboxPush(session: session, path: options.path, channel: options.channel, wire: wire, modern: modern).start()
        }
        await server.waitUntilCompleted()
        service.drain()
    }

    static func instructions(_ session: String?, channel: Bool) -> String {
        var text = "git coord: messages, a task board, sessions, jobs and state shared by the agent sessions of this repository. "
        text += session.map { "You act as session \($0). " } ?? "No session is known here: run `git coord join NAME` in this worktree, then restart the server. "
        text += "New messages for you are announced as they arrive"
        text += channel ? " as <channel source=\"git-coord\"> events; read them with the inbox or message tool." : " (subscribe to coord://inbox); read them with the inbox tool."
        return text
    }

    /// The capabilities as JSON, with the experimental ones the SDK's type cannot hold.
    static func capabilitiesJSON(_ capabilities: Server.Capabilities, experimental: [String]) -> JSONValue {
        let data = (try? JSONEncoder().encode(capabilities)) ?? Data("{}".utf8)
        var object = (try? JSONValue.parse([UInt8](data)))?.objectValue ?? [:]
        if !experimental.isEmpty {
            object["experimental"] = .object(Dictionary(uniqueKeysWithValues: experimental.map { ($0, JSONValue.object([:])) }))
        }
        return .object(object)
    }

    private static func register(_ server: Server, _ service: CoordService, modern: Revision20260728) async {
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: ToolCatalog.all) }
        await server.withMethodHandler(CallTool.self) { params in
            await service.call(params.name, params.arguments)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: [Resource(name: "inbox", uri: inboxURI, description: "Unread messages of this session; subscribe to be told when one arrives.", mimeType: "application/json")])
        }
        await server.withMethodHandler(ReadResource.self) { params in
            guard params.uri == inboxURI else { throw MCPError.invalidParams("unknown resource '\(params.uri)': use \(inboxURI)") }
            return ReadResource.Result(contents: [.text(try await service.inboxResource(), uri: inboxURI, mimeType: "application/json")])
        }
        await server.withMethodHandler(ResourceSubscribe.self) { params in
            guard params.uri == inboxURI else { throw MCPError.invalidParams("unknown resource '\(params.uri)': use \(inboxURI)") }
            modern.setLegacySubscription(inboxURI, true)
            return Empty()
        }
        await server.withMethodHandler(ResourceUnsubscribe.self) { params in
            modern.setLegacySubscription(params.uri, false)
            return Empty()
        }
    }
}

/// Watches the session's mailbox on a thread of its own and pushes each new message once.
struct InboxPush: Sendable {
    let session: String
    let path: String?
    let channel: Bool
    let wire: Wire
    let modern: Revision20260728

    func start() {
        Thread.detachNewThread { [self] in loop() }
    }

    private func loop() {
        guard let coord = try? Coord.open(at: path, session: session) else { return }
        var known = Set<String>()
        // Messages unread before the server started are not news; with a channel, those never
        // announced by a hook are told once at start.
        if !channel, let unread = try? coord.waitForUnread(of: session, excluding: [], timeoutMs: 0) {
            known.formUnion(unread.map(\.id))
        }
        while true {
            guard let new = try? coord.waitForUnread(of: session, excluding: known, timeoutMs: nil) else { return }
            known.formUnion(new.map(\.id))
            modern.resourceUpdated(CoordMCPServer.inboxURI)
            guard channel, let told = try? coord.takeUnannounced(session), !told.isEmpty else { continue }
            // Claude Code's channel event (Claude Code docs, "Channels reference": notification format).
            let meta: JSONValue = ["session": .string(session), "message_ids": .string(told.map(\.id).joined(separator: " ")),
                                   "from": .string(Set(told.map(\.from)).sorted().joined(separator: " "))]
            wire.write(["jsonrpc": "2.0", "method": "notifications/claude/channel",
                        "params": ["content": .string(Coord.announcementText(told, to: session)), "meta": meta]])
        }
    }
}

/// The server's version, reported in `serverInfo`.
public enum GitCoordMCPVersion {
    public static let string = "0.1.0"
}
