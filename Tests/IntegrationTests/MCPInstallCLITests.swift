import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// `git coord mcp install|uninstall claude|codex|generic`: the client's configuration edited in
/// place, and given back as it was.
@Suite struct MCPInstallCLITests {
    @Test func claudeInstallWritesProjectMCPJSONAndUninstallRemovesTheFileItMade() throws {
        let repo = try TempRepo()
        let path = repo.path + "/.mcp.json"
        let r = CLI.run(["mcp", "install", "claude"], in: repo.path)
        #expect(r.status == 0 && r.stdout.contains(".mcp.json"))
        let config = try JSONValue.parse(Files.read(path) ?? [])
        #expect(config["mcpServers"]?["git-coord"]?["command"] == "git")
        #expect(config["mcpServers"]?["git-coord"]?["args"] == ["coord", "mcp"])
        #expect(CLI.run(["mcp", "install", "claude"], in: repo.path).stdout.contains("already"))
        #expect(CLI.run(["mcp", "uninstall", "claude"], in: repo.path).status == 0)
        #expect(Files.read(path) == nil)
    }

    /// Another server, the file's layout and an empty `mcpServers` that was there before all
    /// come back byte for byte.
    @Test func uninstallGivesBackTheBytesThatWereThere() throws {
        let repo = try TempRepo()
        let cases = [
            "{\n    \"mcpServers\": {\n        \"other\": {\"command\": \"x\"}\n    },\n    \"z\": [1]\n}\n",
            "{\"mcpServers\": {}}\n",
            "{}\n",
        ]
        for original in cases {
            let path = repo.path + "/client.json"
            Files.writeAtomically(path, original)
            #expect(CLI.run(["mcp", "install", "generic", "--config", path, "--channel"], in: repo.path).status == 0)
            let installed = try JSONValue.parse(Files.read(path) ?? [])
            #expect(installed["mcpServers"]?["git-coord"]?["args"] == ["coord", "mcp", "--channel"])
            #expect(CLI.run(["mcp", "uninstall", "generic", "--config", path], in: repo.path).status == 0)
            #expect(Files.readString(path) == original || (original == "{}\n" && Files.read(path) == nil))
        }
    }

    @Test func codexInstallAddsOneMarkedTableAndUninstallRemovesIt() throws {
        let repo = try TempRepo()
        let home = repo.root + "/codex"
        let path = home + "/config.toml"
        let original = "model = \"o3\"\n\n[mcp_servers.other]\ncommand = \"x\"\n"
        Files.writeAtomically(path, original)
        let env = ["CODEX_HOME": home]
        #expect(CLI.run(["mcp", "install", "codex"], in: repo.path, environment: env).status == 0)
        let text = Files.readString(path) ?? ""
        #expect(text.hasPrefix(original) && text.contains("[mcp_servers.git-coord]\ncommand = \"git\"\nargs = [\"coord\", \"mcp\"]\n"))
        #expect(CLI.run(["mcp", "install", "codex"], in: repo.path, environment: env).stdout.contains("already"))
        #expect(CLI.run(["mcp", "uninstall", "codex"], in: repo.path, environment: env).status == 0)
        #expect(Files.readString(path) == original)
    }

    @Test func badInputIsRefusedAndNothingIsWritten() throws {
        let repo = try TempRepo()
        let path = repo.path + "/client.json"
        let r = CLI.run(["mcp", "install", "vim"], in: repo.path)
        #expect(r.status == 2 && r.stderr == "git coord: unknown client 'vim': use claude, codex or generic\n")
        #expect(CLI.run(["mcp", "install", "generic"], in: repo.path).status == 2)
        Files.writeAtomically(path, "{\"mcpServers\": {\"git-coord\": {\"command\": \"node\"}}}\n")
        let clash = CLI.run(["mcp", "install", "generic", "--config", path], in: repo.path)
        #expect(clash.status == 2 && clash.stderr.contains("already has a server named"))
        Files.writeAtomically(path, "{not json")
        #expect(CLI.run(["mcp", "install", "generic", "--config", path], in: repo.path).status == 2)
        #expect(Files.readString(path) == "{not json")
    }
}
