import Foundation
import GitCoord

/// The server's standard output: whole lines, one writer at a time (answers from the SDK, pushes
/// from the mailbox watcher and answers of ``Revision20260728`` come from different threads).
final class Wire: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()

    init(fd: Int32 = 1) { self.fd = fd }

    /// Writes one message and its newline.
    func write(_ message: [UInt8]) {
        var bytes = message
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ = Files.writeAll(fd, bytes) }
    }

    func write(_ message: JSONValue) { write(message.canonicalBytes) }
}

/// What MCP 2026-07-28 adds that the Swift SDK (0.12.1, up to 2025-11-25) does not know, built
/// on top of it (Docs/MCP.md, "Protocol revisions"):
///
/// - `server/discover`, answered with the versions served (2026-07-28 and those of the
///   initialize handshake), the capabilities and the instructions. Every other request of that
///   revision carries its version in `_meta` and is served by the SDK as before.
/// - `subscriptions/listen`: a stream that stays open; acknowledged at once with the honoured
///   filter (`resourceSubscriptions` among `coord://inbox`), then each change of the inbox is a
///   `notifications/resources/updated` stamped with the stream's id.
///
/// The 2025-11-25 `resources/subscribe` flag lives here too, so one call announces a change to
/// every subscriber of either revision.
final class Revision20260728: @unchecked Sendable {
    static let version = "2026-07-28"
    static let handshakeVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    static let subscriptionIDKey = "io.modelcontextprotocol/subscriptionId"
    static let versionKey = "io.modelcontextprotocol/protocolVersion"

    private let wire: Wire
    private let discover: JSONValue
    private let resources: Set<String>
    private let lock = NSLock()
    private var streams: [(id: JSONValue, uris: Set<String>)] = []
    private var legacySubscribed: Set<String> = []

    /// - Parameters:
    ///   - capabilities: the server's capabilities as `initialize` answers them.
    ///   - resources: the URIs a client may subscribe to.
    init(wire: Wire, capabilities: JSONValue, instructions: String, resources: Set<String>) {
        self.wire = wire
        self.resources = resources
        discover = ["supportedVersions": .array(([Self.version] + Self.handshakeVersions).map(JSONValue.string)),
                    "capabilities": capabilities, "instructions": .string(instructions), "resultType": "complete",
                    "ttlMs": 0, "cacheScope": "private"]
    }

    /// Answers `line` when it is a request of this revision the SDK does not know; false otherwise.
    func handle(_ line: Data) -> Bool {
        guard line.count < 1 << 20, containsMethod(line) else { return false }
        guard let message = try? JSONValue.parse([UInt8](line)), let id = message["id"],
              let method = message["method"]?.stringValue else { return false }
        switch method {
        case "server/discover":
            wire.write(["jsonrpc": "2.0", "id": id, "result": discover])
        case "subscriptions/listen":
            let filter = message["params"]?["notifications"]
            let asked = Set(filter?["resourceSubscriptions"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let honoured = asked.intersection(resources)
            lock.withLock { streams.append((id, honoured)) }
            let ack: JSONValue = ["resourceSubscriptions": .array(honoured.sorted().map(JSONValue.string))]
            wire.write(["jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
                        "params": ["notifications": ack, "_meta": [Self.subscriptionIDKey: id]]])
        default:
            return false
        }
        return true
    }

    /// Whether the line may name one of the methods handled here (a cheap test before parsing).
    private func containsMethod(_ line: Data) -> Bool { Revision20260728.contains(line, Revision20260728.needles) }

    private static let needles = [Array("server/discover".utf8), Array("subscriptions/listen".utf8)]
    private static let versionNeedle = [Array("\"2026-07-28\"".utf8)]

    /// Requests made at this revision that the SDK answers, by id: their answers need the
    /// fields this revision requires (`resultType`; `ttlMs` and `cacheScope` on listings and reads).
    private var pending: [String: String] = [:]
    private static let cacheable: Set<String> = ["tools/list", "resources/list", "resources/templates/list", "resources/read", "prompts/list"]

    /// Notes a request the SDK will answer, when it was made at this revision.
    func noteRequest(_ line: Data) {
        guard Revision20260728.contains(line, Revision20260728.versionNeedle),
              let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
              let method = object["method"] as? String, let id = object["id"] else { return }
        let key = "\(id)"
        lock.withLock { pending[key] = method }
    }

    /// The SDK's answer with the fields this revision requires, when it answers such a request.
    func complete(_ answer: [UInt8]) -> [UInt8] {
        guard lock.withLock({ !pending.isEmpty }),
              var object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any], let id = object["id"],
              let method = lock.withLock({ pending.removeValue(forKey: "\(id)") }),
              var result = object["result"] as? [String: Any] else { return answer }
        if result["resultType"] == nil { result["resultType"] = "complete" }
        if Revision20260728.cacheable.contains(method) {
            if result["ttlMs"] == nil { result["ttlMs"] = 0 }
            if result["cacheScope"] == nil { result["cacheScope"] = "private" }
        }
        object["result"] = result
        return (try? JSONSerialization.data(withJSONObject: object)).map { [UInt8]($0) } ?? answer
    }

    /// Whether `line` holds one of `needles` (a cheap test before parsing).
    static func contains(_ line: Data, _ needles: [[UInt8]]) -> Bool {
        line.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            return needles.contains { needle in
                guard bytes.count >= needle.count else { return false }
                for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
                    var j = 1
                    while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                return false
            }
        }
    }

    /// A 2025-11-25 client subscribed to (or, with false, unsubscribed from) `uri`.
    func setLegacySubscription(_ uri: String, _ on: Bool) {
        lock.withLock { if on { legacySubscribed.insert(uri) } else { legacySubscribed.remove(uri) } }
    }

    /// Tells every subscriber of `uri`, of either revision, that it changed.
    func resourceUpdated(_ uri: String) {
        let (legacy, ids) = lock.withLock { (legacySubscribed.contains(uri), streams.filter { $0.uris.contains(uri) }.map(\.id)) }
        if legacy {
            wire.write(["jsonrpc": "2.0", "method": "notifications/resources/updated", "params": ["uri": .string(uri)]])
        }
        for id in ids {
            wire.write(["jsonrpc": "2.0", "method": "notifications/resources/updated",
                        "params": ["uri": .string(uri), "_meta": [Self.subscriptionIDKey: id]]])
        }
    }
}
