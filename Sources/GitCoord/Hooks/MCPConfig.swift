/// Registers `git coord mcp` in an MCP client's configuration, reversibly, the way
/// ``ClaudeSettings`` adds hooks: the file is edited in place (its layout, order and other
/// entries kept), and uninstall removes exactly what install added.
///
/// - JSON clients (Claude Code's `.mcp.json`, and the `mcpServers` files of Cursor, Gemini CLI
///   and most others): a member `"git-coord"` in the `mcpServers` object.
/// - Codex CLI (`config.toml`): a `[mcp_servers.git-coord]` table between two marker comments.
public enum MCPConfig {
    /// The server's name in the client's configuration.
    public static let serverName = "git-coord"

    /// The command line the client starts: `git coord mcp` (plus `--channel`).
    public static func arguments(channel: Bool) -> [String] { ["coord", "mcp"] + (channel ? ["--channel"] : []) }

    // MARK: JSON (mcpServers)

    /// What a JSON configuration held before install: whether it had an `mcpServers` object.
    public struct Receipt: Sendable, Equatable {
        public var hadServers: Bool

        public init(hadServers: Bool) { self.hadServers = hadServers }

        public var json: JSONValue { .object(["hadMcpServers": .bool(hadServers)]) }

        public init?(json: JSONValue) {
            guard let had = json["hadMcpServers"]?.boolValue else { return nil }
            hadServers = had
        }
    }

    /// The receipt for installing into `original` (nil: a missing file).
    public static func receipt(for original: [UInt8]?) -> Receipt {
        guard let original, let root = try? JSONSpan.parse(original), case .object? = root["mcpServers"] else {
            return Receipt(hadServers: false)
        }
        return Receipt(hadServers: true)
    }

    /// The configuration with our server added; nil input stands for a missing file. Unchanged
    /// when our server is there already; refused when another server has our name.
    public static func installJSON(into original: [UInt8]?, channel: Bool) throws(CoordError) -> [UInt8] {
        let bytes = original ?? Array("{}\n".utf8)
        let root = try ClaudeSettings.parseRoot(bytes)
        let style = Style.detect(bytes, root: root)
        let entry: OrderedJSON = .object([
            ("type", .string("stdio")),
            ("command", .string("git")),
            ("args", .array(arguments(channel: channel).map(OrderedJSON.string))),
        ])
        guard let servers = root["mcpServers"] else {
            let member = style.member("mcpServers", .object([(serverName, entry)]), depth: 1)
            return Splice.apply([style.appendMembers([member], to: root, depth: 0, bytes: bytes)], to: bytes)
        }
        guard case .object(_, _, let members) = servers else {
            throw CoordError.usage("the configuration's \"mcpServers\" is not an object; fix it by hand, then run git coord mcp install again")
        }
        if let existing = members.first(where: { $0.key == serverName })?.value {
            guard isOurs(existing) else {
                throw CoordError.usage("the configuration already has a server named \"\(serverName)\" that does not run git coord mcp; rename or remove it, nothing was changed")
            }
            return bytes
        }
        return Splice.apply([style.appendMembers([style.member(serverName, entry, depth: 2)], to: servers, depth: 1, bytes: bytes)], to: bytes)
    }

    /// The configuration without our server, or nil when the file should be deleted (it held
    /// nothing but what install made from a missing file). An `mcpServers` object left empty is
    /// removed unless `receipt` says it was there before install.
    public static func uninstallJSON(from bytes: [UInt8], receipt: Receipt? = nil) throws(CoordError) -> [UInt8]? {
        let root = try ClaudeSettings.parseRoot(bytes)
        guard case .object(_, _, let rootMembers) = root,
              let serversIndex = rootMembers.firstIndex(where: { $0.key == "mcpServers" }),
              case .object(_, _, let members) = rootMembers[serversIndex].value,
              let ours = members.firstIndex(where: { $0.key == serverName && isOurs($0.value) })
        else { return bytes }
        let edits: [Splice]
        if members.count == 1, receipt?.hadServers != true {
            edits = Splice.removing([serversIndex], of: rootMembers.map { ($0.keyStart, $0.value.end) }, in: root)
        } else {
            edits = Splice.removing([ours], of: members.map { ($0.keyStart, $0.value.end) }, in: rootMembers[serversIndex].value)
        }
        let out = Splice.apply(edits, to: bytes)
        return out == Array("{}\n".utf8) ? nil : out
    }

    /// Whether a server entry runs `git coord mcp`.
    static func isOurs(_ entry: JSONSpan) -> Bool {
        guard entry["command"]?.stringValue == "git", case .array(_, _, let args)? = entry["args"] else { return false }
        return args.count >= 2 && args[0].stringValue == "coord" && args[1].stringValue == "mcp"
    }

    // MARK: TOML (Codex CLI)

    static let tomlBegin = "# >>> git coord mcp (added by `git coord mcp install codex`; removed by uninstall)"
    static let tomlEnd = "# <<< git coord mcp"

    /// The Codex configuration with our `[mcp_servers.git-coord]` table appended between markers.
    public static func installTOML(into original: [UInt8]?, channel: Bool) throws(CoordError) -> [UInt8] {
        let text = String(decoding: original ?? [], as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " \t\r") }
        if lines.contains(Substring(tomlBegin)) { return original ?? [] }
        if lines.contains(Substring("[mcp_servers.\(serverName)]")) {
            throw CoordError.usage("the configuration already has [mcp_servers.\(serverName)] that git coord did not add; remove it first, nothing was changed")
        }
        let args = arguments(channel: channel).map { "\"\($0)\"" }.joined(separator: ", ")
        var out = text
        if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
        if !out.isEmpty { out += "\n" }
        out += "\(tomlBegin)\n[mcp_servers.\(serverName)]\ncommand = \"git\"\nargs = [\(args)]\n\(tomlEnd)\n"
        return Array(out.utf8)
    }

    /// The Codex configuration without our table (and the blank line install put before it);
    /// nil when nothing else is left.
    public static func uninstallTOML(from bytes: [UInt8]) -> [UInt8]? {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let begin = lines.firstIndex(of: tomlBegin),
              let end = lines[begin...].firstIndex(of: tomlEnd) else { return bytes }
        lines.removeSubrange(begin...end)
        if begin > 0, lines[begin - 1].isEmpty, begin < lines.count { lines.remove(at: begin - 1) }
        let out = lines.joined(separator: "\n")
        return out.allSatisfy({ $0 == "\n" }) ? nil : Array(out.utf8)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}

extension MCPConfig {
    static func receiptsFile(_ files: HookFiles) -> String { Files.join(files.folder, "mcp-installs.json") }

    /// The receipt `mcp install` left for the configuration at `path`.
    public static func installReceipt(_ files: HookFiles, for path: String) -> Receipt? {
        guard let bytes = Files.read(receiptsFile(files)), let all = try? JSONValue.parse(bytes),
              let entry = all[HookFiles.absolute(path)] else { return nil }
        return Receipt(json: entry)
    }

    /// Records (or, with nil, forgets) the receipt for the configuration at `path`.
    public static func setInstallReceipt(_ receipt: Receipt?, _ files: HookFiles, for path: String) {
        var all = Files.read(receiptsFile(files)).flatMap { try? JSONValue.parse($0) }?.objectValue ?? [:]
        all[HookFiles.absolute(path)] = receipt?.json
        Files.writeAtomically(receiptsFile(files), JSONValue.object(all).canonicalString + "\n")
    }
}
