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
        let server = Server(
            name: "git-coord", version: version,
            instructions: instructions(service.session, channel: options.channel),
            capabilities: Server.Capabilities(resources: .init(subscribe: true, listChanged: false), tools: .init(listChanged: false)))
        let subscribed = Locked(false)
        await register(server, service, subscribed: subscribed)
        let transport = LineTransport(experimental: options.channel ? ["claude/channel"] : [])
        do {
            try await server.start(transport: transport)
        } catch {
            throw CoordError.data("cannot start the MCP server: \(error)")
        }
        if let session = service.session {
            InboxPush(session: session, path: options.path, channel: options.channel, server: server, subscribed: subscribed).start()
        }
        await server.waitUntilCompleted()
    }

    static func instructions(_ session: String?, channel: Bool) -> String {
        var text = "git coord: messages, a task board, sessions, jobs and state shared by the agent sessions of this repository. "
        text += session.map { "You act as session \($0). " } ?? "No session is known here: run `git coord join NAME` in this worktree, then restart the server. "
        text += "New messages for you are announced as they arrive"
        text += channel ? " as <channel source=\"git-coord\"> events; read them with the inbox or message tool." : " (subscribe to coord://inbox); read them with the inbox tool."
        return text
    }

    private static func register(_ server: Server, _ service: CoordService, subscribed: Locked<Bool>) async {
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
            subscribed.value = true
            return Empty()
        }
        await server.withMethodHandler(ResourceUnsubscribe.self) { params in
            if params.uri == inboxURI { subscribed.value = false }
            return Empty()
        }
    }
}

/// Claude Code's channel event (Claude Code docs, "Channels reference: Notification format").
struct ClaudeChannelNotification: MCP.Notification {
    static let name = "notifications/claude/channel"

    struct Parameters: Hashable, Codable, Sendable {
        let content: String
        let meta: [String: String]
    }
}

/// Watches the session's mailbox on a thread of its own and pushes each new message once.
struct InboxPush: Sendable {
    let session: String
    let path: String?
    let channel: Bool
    let server: Server
    let subscribed: Locked<Bool>

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
            let told = channel ? ((try? coord.takeUnannounced(session)) ?? []) : []
            let wantsUpdate = subscribed.value
            let server = server, session = session
            Task {
                if wantsUpdate {
                    try? await server.notify(ResourceUpdatedNotification.message(.init(uri: CoordMCPServer.inboxURI)))
                }
                if !told.isEmpty {
                    let meta = ["session": session, "message_ids": told.map(\.id).joined(separator: " "), "from": Set(told.map(\.from)).sorted().joined(separator: " ")]
                    try? await server.notify(ClaudeChannelNotification.message(.init(content: Coord.announcementText(told, to: session), meta: meta)))
                }
            }
        }
    }
}

/// The server's version, reported in `serverInfo`.
public enum GitCoordMCPVersion {
    public static let string = "0.1.0"
}
