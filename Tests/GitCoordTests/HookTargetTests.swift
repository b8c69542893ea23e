#if canImport(Glibc)
import Glibc
#endif
import CoordTestSupport
import GitCoord
import Testing

/// Which file `hooks install|uninstall claude` and `mcp install|uninstall` edit, and the edit of
/// that file with its receipt, as the library does it for both the CLI and its tests.
@Suite struct HookTargetTests {
    /// Install keeps the file's permissions and leaves a receipt in the repository; uninstall
    /// gives back the very bytes (empty containers that were there included) and drops it.
    @Test func aProjectSettingsFileIsEditedInPlaceAndGivenBackWithItsReceipt() throws {
        let repo = try TempRepo()
        let target = try HookSettingsTarget.resolve(scope: .project, settingsFile: nil, home: nil, repository: repo.path)
        #expect(target.path.hasPrefix(repo.path) && target.path.hasSuffix("/.claude/settings.json"))
        let receipts = try #require(target.receipts, "inside a repository the receipts are kept")
        let original = "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"Stop\": []\n  }\n}\n"
        Files.makeFolders(Files.parent(of: target.path))
        Files.writeAtomically(target.path, original)
        chmod(target.path, 0o600)
        #expect(try ClaudeSettings.installFile(target.path, binary: HookFixtures.binary, receipts: receipts))
        #expect(try !ClaudeSettings.installFile(target.path, binary: HookFixtures.binary, receipts: receipts), "twice adds nothing")
        var st = stat()
        stat(target.path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(receipts.installReceipt(for: target.path) == ClaudeSettings.Receipt(hadHooks: true, hadEvents: ["Stop"]))
        #expect(try ClaudeSettings.uninstallFile(target.path, receipts: receipts) == .removed)
        #expect(Files.readString(target.path) == original)
        #expect(receipts.installReceipt(for: target.path) == nil, "the receipt is dropped once used")
        #expect(try ClaudeSettings.uninstallFile(target.path, receipts: receipts) == .nothingOurs)
    }

    @Test func aFileInstallMadeIsRemovedAgain() throws {
        let repo = try TempRepo()
        let target = try HookSettingsTarget.resolve(scope: .local, settingsFile: nil, home: nil, repository: repo.path)
        #expect(target.path.hasSuffix("/.claude/settings.local.json"))
        #expect(try ClaudeSettings.installFile(target.path, binary: HookFixtures.binary, receipts: target.receipts))
        #expect(Files.readString(target.path) == ClaudeSettings.snippet(binary: HookFixtures.binary))
        #expect(try ClaudeSettings.uninstallFile(target.path, receipts: target.receipts) == .deletedFile)
        #expect(!Files.exists(target.path))
        #expect(try ClaudeSettings.uninstallFile(target.path, receipts: target.receipts) == .noFile)
    }

    /// The user scope and a named file work outside any repository (without receipts); the
    /// project scope needs one.
    @Test func onlyTheProjectAndLocalScopesNeedARepository() throws {
        let repo = try TempRepo()
        let outside = Files.join(repo.root, "outside")
        Files.makeFolders(outside)
        let user = try HookSettingsTarget.resolve(scope: .user, settingsFile: nil, home: "/home/someone", repository: outside)
        #expect(user.path == "/home/someone/.claude/settings.json" && user.receipts == nil)
        let named = try HookSettingsTarget.resolve(scope: .project, settingsFile: "/etc/x.json", repository: outside)
        #expect(named.path == "/etc/x.json" && named.receipts == nil)
        var caught: CoordError?
        do throws(CoordError) { _ = try HookSettingsTarget.resolve(scope: .project, settingsFile: nil, repository: outside) } catch { caught = error }
        #expect(caught?.exitCode == 2 && caught?.message.hasPrefix("not in a git repository") == true)
        #expect(throws: CoordError.usage("HOME is not set: pass --settings PATH")) {
            try HookSettingsTarget.resolve(scope: .user, settingsFile: nil, home: nil, repository: outside)
        }
    }

    @Test func hooksDoctorReadsTheSettingsFileOfEveryScope() throws {
        let repo = try TempRepo()
        let coord = try repo.coord(nil)
        let files = coord.hookSettingsFiles(home: "/home/someone")
        #expect(files.count == 3 && files[0] == "/home/someone/.claude/settings.json")
        #expect(files[1].hasSuffix("/.claude/settings.json") && files[2].hasSuffix("/.claude/settings.local.json"))
    }

    /// A probe from `hooks doctor` is answered with who would act and does nothing else;
    /// `--plain` prints the context as text.
    @Test func aHookRunAnswersAProbeAndPrintsPlainTextWhenAsked() throws {
        let f = try MailFixture()
        let bob = f["bob"]
        let probe = HookPayload(bytes: Array("{\"hook_event_name\": \"UserPromptSubmit\", \"git_coord_probe\": true}".utf8))
        let answer = try bob.runHook(.prompt, input: [], payload: probe, timeoutMs: 0, binary: "/opt/git-coord")
        #expect(answer.exitCode == 0 && answer.stderr.isEmpty)
        #expect(try JSONValue.parse(answer.stdout)["gitCoordProbe"] == ["hook": "prompt", "binary": "/opt/git-coord", "session": "bob"])
        let first = try f["alice"].send(Outgoing(to: ["bob"], body: "one"))
        #expect(try bob.unreadIDs() == [first.id], "a probe announces nothing and marks nothing")
        let plain = try bob.runHook(.prompt, input: [], payload: HookPayload(), plain: true, timeoutMs: 0)
        #expect(plain.stdout.contains(first.id) && !plain.stdout.hasPrefix("{") && plain.stdout.hasSuffix("\n"))
        let second = try f["alice"].send(Outgoing(to: ["bob"], body: "two"))
        let json = try bob.runHook(.prompt, input: [], payload: HookPayload(), timeoutMs: 0)
        #expect(HookResult.additionalContext(of: json.stdout)?.contains(second.id) == true)
    }

    // MARK: mcp install

    @Test func claudesMCPFileIsTheProjectsAndInstallThenUninstallRemovesTheFileItMade() throws {
        let repo = try TempRepo()
        let target = try MCPConfig.Target.resolve(client: "claude", configFile: nil, repository: repo.path)
        #expect(target.path.hasSuffix("/.mcp.json") && target.format == .json && target.receipts != nil)
        #expect(try MCPConfig.installFile(target, channel: false))
        #expect(try !MCPConfig.installFile(target, channel: false))
        #expect(try MCPConfig.uninstallFile(target) == .deletedFile)
        #expect(!Files.exists(target.path))
    }

    /// An `mcpServers` object that was there before install, even empty, is there after
    /// uninstall: the receipt says so.
    @Test func aJSONConfigurationComesBackByteForByte() throws {
        let repo = try TempRepo()
        let path = Files.join(repo.path, "client.json")
        let target = try MCPConfig.Target.resolve(client: "generic", configFile: path, repository: repo.path)
        for original in ["{\"mcpServers\": {}}\n", "{\n    \"mcpServers\": {\n        \"other\": {\"command\": \"x\"}\n    }\n}\n"] {
            Files.writeAtomically(path, original)
            #expect(try MCPConfig.installFile(target, channel: true))
            #expect(try JSONValue.parse(Files.read(path) ?? [])["mcpServers"]?["git-coord"]?["args"] == ["coord", "mcp", "--channel"])
            #expect(try MCPConfig.uninstallFile(target) == .removed)
            #expect(Files.readString(path) == original)
        }
    }

    @Test func codexsFileComesFromCodexHomeThenHomeAndTheClientIsChecked() throws {
        let repo = try TempRepo()
        let env: [String: String] = ["CODEX_HOME": "/c", "HOME": "/h"]
        #expect(try MCPConfig.Target.resolve(client: "codex", configFile: nil, repository: repo.path) { env[$0] }.path == "/c/config.toml")
        let home = try MCPConfig.Target.resolve(client: "codex", configFile: nil, repository: repo.path) { $0 == "HOME" ? "/h" : nil }
        #expect(home.path == "/h/.codex/config.toml" && home.format == .toml)
        #expect(throws: CoordError.usage("HOME is not set: pass --config PATH")) {
            try MCPConfig.Target.resolve(client: "codex", configFile: nil, repository: repo.path) { _ in nil }
        }
        #expect(throws: CoordError.self) { try MCPConfig.Target.resolve(client: "generic", configFile: nil, repository: repo.path) }
        #expect(throws: CoordError.usage("unknown client 'vim': use claude, codex or generic")) {
            try MCPConfig.Target.resolve(client: "vim", configFile: nil, repository: repo.path)
        }
    }
}
