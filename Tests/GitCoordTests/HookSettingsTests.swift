import CoordTestSupport
import GitCoord
import GitCoordStore
import PropertyBased
import Testing

/// The folder of recorded hook payloads and settings files.
enum HookFixtures {
    static let folder = Files.parent(of: Files.parent(of: Files.parent(of: #filePath))) + "/Fixtures/hooks"

    static func bytes(_ name: String) -> [UInt8] { Files.read(folder + "/" + name) ?? [] }
    static func text(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }
    /// The binary path install writes into commands (any absolute path will do).
    static let binary = "/usr/local/bin/git-coord"
}

@Suite struct HookSettingsTests {
    static let settingsFiles = ["settings-with-hooks.json", "settings-one-line.json", "settings-tabs.json"]

    @Test func installThenUninstallGivesBackTheOriginalBytes() throws {
        for name in Self.settingsFiles {
            let original = HookFixtures.bytes(name)
            #expect(!original.isEmpty, "fixture \(name)")
            let installed = try ClaudeSettings.install(into: original, binary: HookFixtures.binary)
            #expect(installed != original)
            #expect(ClaudeSettings.isInstalled(installed))
            #expect(try ClaudeSettings.uninstall(from: installed) == original, "\(name)")
        }
    }

    @Test func installTwiceAddsNothingTheSecondTime() throws {
        for name in Self.settingsFiles {
            let once = try ClaudeSettings.install(into: HookFixtures.bytes(name), binary: HookFixtures.binary)
            #expect(try ClaudeSettings.install(into: once, binary: HookFixtures.binary) == once, "\(name)")
        }
        let fresh = try ClaudeSettings.install(into: nil, binary: HookFixtures.binary)
        #expect(try ClaudeSettings.install(into: fresh, binary: HookFixtures.binary) == fresh)
    }

    @Test func installKeepsEveryOtherSettingAndHookAndAddsOursInTheDocumentedShape() throws {
        let installed = try ClaudeSettings.install(into: HookFixtures.bytes("settings-with-hooks.json"), binary: HookFixtures.binary)
        let text = String(decoding: installed, as: UTF8.self)
        // Other settings untouched, byte for byte, including fractions and escapes.
        #expect(text.contains(#""env": { "RATIO": "0.75", "MAX": 1.5e3 },"#))
        #expect(text.contains(#""command": "notify-send \"Claude stopped\" \u00e9""#))
        let root = try JSONSpan.parse(installed)
        guard case .array(_, _, let stop)? = root["hooks"]?["Stop"] else { Issue.record("no Stop"); return }
        #expect(stop.count == 2, "the user's Stop hook stays, ours follows it")
        #expect(stop[1]["hooks"].map { h -> String in
            guard case .array(_, _, let hs) = h else { return "" }
            return String(decoding: installed[hs[0].start..<hs[0].end], as: UTF8.self)
        } == "{\n            \"type\": \"command\",\n            \"command\": " + JSONValue.string(ClaudeSettings.command("stop-wait", binary: HookFixtures.binary)).canonicalString + ",\n            \"asyncRewake\": true,\n            \"timeout\": 86400\n          }")
        for event in ["SessionEnd", "StopFailure", "Notification"] { #expect(root["hooks"]?[event] != nil, "\(event)") }
        #expect(root["hooks"]?["SessionStart"]?.stringValue == nil)
        guard case .array(_, _, let start)? = root["hooks"]?["SessionStart"] else { Issue.record("no SessionStart"); return }
        #expect(start[0]["matcher"]?.stringValue == "startup|resume|clear|compact|fork")
        for event in ["UserPromptSubmit", "PostToolUse", "PreToolUse"] { #expect(root["hooks"]?[event] != nil) }
    }

    @Test func windowsLineEndingsAreKeptInWhatIsAdded() throws {
        let original = Array("{\r\n  \"model\": \"opus\",\r\n  \"hooks\": {\r\n    \"Stop\": [\r\n      {\"hooks\": [{\"type\": \"command\", \"command\": \"x\"}]}\r\n    ]\r\n  }\r\n}\r\n".utf8)
        let installed = try ClaudeSettings.install(into: original, binary: HookFixtures.binary)
        let text = String(decoding: installed, as: UTF8.self)
        #expect(text.contains("},\r\n      {"))
        #expect(try ClaudeSettings.uninstall(from: installed) == original)
    }

    /// What was there before install stays after uninstall, even empty: an empty hooks object, an
    /// event with an empty array. Without the receipt, emptied containers go (the file then
    /// means the same).
    @Test func emptyContainersThatWereThereBeforeInstallStay() throws {
        for text in ["{\"hooks\": {}}\n", "{\n  \"hooks\": {\n    \"Stop\": []\n  }\n}\n", "{\"hooks\":{\"Stop\":[],\"PreToolUse\":[]}}"] {
            let original = Array(text.utf8)
            let receipt = ClaudeSettings.receipt(for: original)
            #expect(receipt.hadHooks)
            let installed = try ClaudeSettings.install(into: original, binary: HookFixtures.binary)
            #expect(installed != original)
            #expect(try ClaudeSettings.uninstall(from: installed, receipt: receipt) == original, "\(text)")
            #expect(try ClaudeSettings.uninstall(from: installed) != original, "without the receipt the empty containers go")
        }
        #expect(ClaudeSettings.receipt(for: Array("{\"hooks\":{\"Stop\":[],\"Mine\":[]}}".utf8)).hadEvents == ["Stop"])
        #expect(ClaudeSettings.receipt(for: nil) == ClaudeSettings.Receipt(hadHooks: false, hadEvents: []))
    }

    @Test func aMissingFileIsCreatedAndRemovedAgain() throws {
        let made = try ClaudeSettings.install(into: nil, binary: HookFixtures.binary)
        #expect(String(decoding: made, as: UTF8.self) == ClaudeSettings.snippet(binary: HookFixtures.binary))
        #expect(ClaudeSettings.snippet(binary: HookFixtures.binary).hasPrefix("{\n  \"hooks\": {\n    \"SessionStart\": [\n      {\n        \"matcher\": \"startup|resume|clear|compact|fork\",\n"))
        #expect(try ClaudeSettings.uninstall(from: made) == nil)
    }

    @Test func uninstallLeavesFilesWithoutOurHooksAlone() throws {
        for name in Self.settingsFiles {
            let original = HookFixtures.bytes(name)
            #expect(try ClaudeSettings.uninstall(from: original) == original)
        }
    }

    @Test func invalidSettingsAreRefusedWithoutChange() throws {
        for bad in ["{", "[]", "{\"hooks\": []}", "{\"hooks\": {\"Stop\": {}}}", "{\"a\": 01x}"] {
            #expect(throws: CoordError.self) { try ClaudeSettings.install(into: Array(bad.utf8), binary: HookFixtures.binary) }
        }
    }

    /// Any settings object, laid out in any of several styles, comes back byte-identical.
    @Test func installThenUninstallIsTheIdentityOnGeneratedSettings() async throws {
        await forAll(count: 200, input: Gen.int(in: 0...10_000).array(of: 0...6), Gen.int(in: 0...3)) { seeds, styleIndex in
            let original = Array(Self.settings(seeds, style: styleIndex).utf8)
            let installed = try ClaudeSettings.install(into: original, binary: HookFixtures.binary)
            #expect(try ClaudeSettings.install(into: installed, binary: HookFixtures.binary) == installed)
            // "{}\n" is what install starts from for a missing file, so it is removed again.
            let receipt = ClaudeSettings.receipt(for: original)
            #expect(try ClaudeSettings.uninstall(from: installed, receipt: receipt) == (original == Array("{}\n".utf8) ? nil : original))
        }
    }

    /// A settings file from a few integers: other keys, and hooks with user groups per event.
    static func settings(_ seeds: [Int], style: Int) -> String {
        let (nl, ind, colon) = [("\n", "  ", ": "), ("\n", "    ", ": "), ("", "", ":"), ("\n", "\t", " : ")][style]
        func pad(_ d: Int) -> String { nl.isEmpty ? "" : nl + String(repeating: ind, count: d) }
        let events = ["SessionStart", "Stop", "PreToolUse", "PostToolUse", "Notification"]
        var members: [String] = []
        var hookMembers: [String] = []
        for s in seeds {
            switch s % 4 {
            case 0: members.append("\"k\(s)\"\(colon)\(s % 7 == 0 ? "1.25" : "\"v\(s)\"")")
            case 1: members.append("\"arr\(s)\"\(colon)[\(s % 3 == 0 ? "" : "1,\"two\"")]")
            default:
                let event = events[s / 4 % events.count]
                if hookMembers.contains(where: { $0.hasPrefix("\"\(event)\"") }) { continue }
                let group = "{\"hooks\"\(colon)[{\"type\"\(colon)\"command\",\"command\"\(colon)\"echo \(s)\"}]}"
                // Now and then an event with an empty array, which install fills and uninstall
                // must leave empty, not remove.
                hookMembers.append(s % 5 == 2 ? "\"\(event)\"\(colon)[]" : "\"\(event)\"\(colon)[\(pad(3))\(group)\(pad(2))]")
            }
        }
        if hookMembers.isEmpty, seeds.contains(where: { $0 % 3 == 0 }) {
            members.append("\"hooks\"\(colon){}")  // an empty hooks object, kept by uninstall
        } else if !hookMembers.isEmpty {
            members.append("\"hooks\"\(colon){" + hookMembers.map { pad(2) + $0 }.joined(separator: ",") + pad(1) + "}")
        }
        if members.isEmpty { return "{}\(nl)" }
        return "{" + members.map { pad(1) + $0 }.joined(separator: ",") + pad(0) + "}" + nl
    }
}
