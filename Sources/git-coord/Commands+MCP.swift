import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let mcpCommands: [any ParsableCommand.Type] = [MCP.self]
}

extension GitCoordCommand {
    struct MCP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Serve every git coord capability to an agent as MCP tools over stdio, with new messages pushed.",
            discussion: """
                `git coord mcp` is an MCP server (Model Context Protocol) on standard input and \
                output, acting as this worktree's session (--session, $GIT_COORD_SESSION, then the \
                name `join` recorded). Ten tools cover the command line: send, inbox, message, sent, \
                board, sessions, job, state, brief, sync. A client that subscribes to the resource \
                coord://inbox is told the moment a message arrives; with --channel each new \
                message is also pushed to Claude Code as a channel event.

                The server is the git-coord-mcp binary installed beside git-coord; this command \
                starts it. Register it with a client by `git coord mcp install claude` (the \
                project's .mcp.json), `codex` (~/.codex/config.toml) or `generic --config PATH` \
                (any client's mcpServers JSON file); `uninstall` removes exactly what install added.

                Examples:
                  git coord mcp install claude
                  claude mcp add git-coord -- git coord mcp
                  git coord mcp print generic
                """,
            subcommands: [Serve.self, Install.self, Uninstall.self, Print.self],
            defaultSubcommand: Serve.self)
    }
}

extension GitCoordCommand.MCP {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the MCP server on standard input and output (the default).")

        @Flag(help: "Also push each new message as a Claude Code channel event (start Claude Code with channels enabled).")
        var channel = false

        @Option(help: ArgumentHelp("Act as this session.", valueName: "NAME"))
        var session: String?

        func run() throws {
            let server = Self.serverPath()
            guard OS.isExecutable(server) else {
                throw CoordError.usage("cannot find the MCP server \(server): install git-coord-mcp beside git-coord (scripts/install.sh does)")
            }
            if let session { _ = try SessionName.validate(session) }
            var argv = [server] + (channel ? ["--channel"] : [])
            if let session { argv += ["--session", session] }
            do { try OS.replaceProcess(with: argv) } catch {
                throw CoordError.data("cannot start \(server): \(error.errno)")
            }
        }

        /// git-coord-mcp beside this binary.
        static func serverPath() -> String { Files.parent(of: Executable.current) + "/git-coord-mcp" }
    }
}

/// Which client's configuration `mcp install` and `uninstall` edit.
struct MCPTarget: ParsableArguments {
    @Argument(help: "The client: claude, codex or generic.") var client: String

    @Option(name: .customLong("config"), help: ArgumentHelp("Edit this configuration file (required for generic).", valueName: "PATH"))
    var configFile: String?

    @Flag(help: "Register the server with --channel (Claude Code channel events).")
    var channel = false

    /// The file to edit, its format, and where receipts are kept (``MCPConfig/Target``).
    func resolve() throws(CoordError) -> MCPConfig.Target {
        try MCPConfig.Target.resolve(client: client, configFile: configFile)
    }
}

extension GitCoordCommand.MCP {
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Register git coord mcp with a client: claude (.mcp.json), codex (~/.codex/config.toml) or generic (--config PATH).",
            discussion: "The file keeps its layout and every other entry; installing twice adds nothing.")
        @OptionGroup var target: MCPTarget

        func run() throws {
            let config = try target.resolve()
            if try MCPConfig.installFile(config, channel: target.channel) {
                say("added git coord mcp to \(config.path)")
            } else {
                say("git coord mcp already in \(config.path)")
            }
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove exactly what mcp install added.")
        @OptionGroup var target: MCPTarget

        func run() throws {
            let config = try target.resolve()
            switch try MCPConfig.uninstallFile(config) {
            case .noFile: say("no configuration file at \(config.path)")
            case .nothingOurs: say("no git coord mcp in \(config.path)")
            case .removed: say("removed git coord mcp from \(config.path)")
            case .deletedFile: say("removed \(config.path), which held only git coord mcp")
            }
        }
    }

    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "print", abstract: "Print the configuration snippet for claude, codex or generic.")
        @Argument(help: "claude, codex or generic.") var client: String = "generic"
        @Flag(help: "With --channel.") var channel = false

        func run() throws {
            switch client {
            case "claude", "generic": FileOutput.standardOutput.write(String(decoding: try MCPConfig.installJSON(into: nil, channel: channel), as: UTF8.self))
            case "codex": FileOutput.standardOutput.write(String(decoding: try MCPConfig.installTOML(into: nil, channel: channel), as: UTF8.self))
            default: throw CoordError.usage("unknown client '\(client)': use claude, codex or generic")
            }
        }
    }
}
