extension MCPConfig {
    /// The configuration file of one MCP client, as `mcp install` and `mcp uninstall` edit it.
    public struct Target {
        public enum Format: Sendable, Equatable { case json, toml }

        public let path: String
        public let format: Format
        /// This repository's hooks folder; nil outside a repository.
        public let receipts: HookFiles?

        public init(path: String, format: Format, receipts: HookFiles?) {
            self.path = path
            self.format = format
            self.receipts = receipts
        }

        /// The file of `client`: `claude`, the project's `.mcp.json`; `codex`,
        /// `$CODEX_HOME/config.toml`, else `~/.codex/config.toml`; `generic`, `configFile`,
        /// which it needs. `configFile` replaces the default path. The repository at
        /// `repository` (nil: the current directory's) keeps the receipts.
        public static func resolve(client: String, configFile: String?, repository: String? = nil,
                                   environment: (String) -> String? = ProcessEnvironment.get) throws(CoordError) -> Target {
            let coord = try? Coord.open(at: repository)
            let receipts = coord.map { HookFiles(coord: $0) }
            switch client {
            case "claude":
                if let configFile { return Target(path: configFile, format: .json, receipts: receipts) }
                guard let work = coord?.store.workDir else {
                    throw CoordError.usage("no project here for .mcp.json: run in a worktree, or pass --config PATH")
                }
                return Target(path: Files.join(work, ".mcp.json"), format: .json, receipts: receipts)
            case "codex":
                if let configFile { return Target(path: configFile, format: .toml, receipts: receipts) }
                if let home = environment("CODEX_HOME"), !home.isEmpty { return Target(path: Files.join(home, "config.toml"), format: .toml, receipts: receipts) }
                guard let home = environment("HOME"), !home.isEmpty else { throw CoordError.usage("HOME is not set: pass --config PATH") }
                return Target(path: Files.join(home, ".codex", "config.toml"), format: .toml, receipts: receipts)
            case "generic":
                guard let configFile else { throw CoordError.usage("generic needs --config PATH: the client's JSON file with mcpServers (see git coord mcp print generic)") }
                return Target(path: configFile, format: .json, receipts: receipts)
            default:
                throw CoordError.usage("unknown client '\(client)': use claude, codex or generic")
            }
        }
    }

    /// Adds our server to the target's file (created when missing), keeping its layout; false
    /// when it was there already. A JSON file gets a receipt, so uninstall gives back its bytes.
    @discardableResult
    public static func installFile(_ target: Target, channel: Bool) throws(CoordError) -> Bool {
        let before = Files.read(target.path)
        let after = target.format == .json ? try installJSON(into: before, channel: channel) : try installTOML(into: before, channel: channel)
        if after == before { return false }
        try ClaudeSettings.writeSettings(target.path, after)
        if target.format == .json, let receipts = target.receipts { setInstallReceipt(receipt(for: before), receipts, for: target.path) }
        return true
    }

    /// Removes exactly what install added to the target's file; deletes the file when install
    /// made it.
    public static func uninstallFile(_ target: Target) throws(CoordError) -> ClaudeSettings.Removal {
        guard let before = Files.read(target.path) else { return .noFile }
        let after = target.format == .json
            ? try uninstallJSON(from: before, receipt: target.receipts.flatMap { installReceipt($0, for: target.path) })
            : uninstallTOML(from: before)
        guard let after else {
            Files.remove(target.path)
            if let receipts = target.receipts { setInstallReceipt(nil, receipts, for: target.path) }
            return .deletedFile
        }
        if after == before { return .nothingOurs }
        try ClaudeSettings.writeSettings(target.path, after)
        if let receipts = target.receipts { setInstallReceipt(nil, receipts, for: target.path) }
        return .removed
    }
}
