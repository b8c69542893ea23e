import GitCoord
import GitCoordMCP

// git-coord-mcp: the MCP server that `git coord mcp` starts (Docs/MCP.md). A binary of its own so
// that the SDK and Foundation stay out of the git-coord binary every CLI call starts.

func fail(_ message: String, _ code: Int32) -> Never {
    Files.writeAll(2, Array("git coord mcp: \(message)\n".utf8))
    OS.exit(code)
}

OS.keepFreedMemory()
var options = CoordMCPServer.Options()
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let arg = args.removeFirst()
    switch arg {
    case "--channel": options.channel = true
    case "--session":
        guard !args.isEmpty else { fail("--session needs a NAME", 2) }
        options.session = args.removeFirst()
    case "-C":
        guard !args.isEmpty else { fail("-C needs a PATH", 2) }
        options.path = args.removeFirst()
    case "--version": print(GitCoordMCPVersion.string); OS.exit(0)
    default: fail("unknown argument '\(arg)': use --channel, --session NAME or -C PATH (see git coord mcp --help)", 2)
    }
}
do {
    try await CoordMCPServer.run(options, version: GitCoordMCPVersion.string)
} catch {
    fail(error.message, error.exitCode)
}
