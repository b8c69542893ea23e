/// Which Claude Code settings file `hooks install` edits.
///
/// The default is `user` (`~/.claude/settings.json`): it covers every worktree of every repository,
/// including worktrees made later, and it is never committed, so a teammate without git-coord
/// never meets our hooks. Outside a coordinated repository each hook costs one `git rev-parse` and
/// prints nothing (Docs/Agents.md has the figures). `project` (`.claude/settings.json`, committed)
/// and `local` (`.claude/settings.local.json`) cover one worktree only.
public enum HookScope: String, Sendable, CaseIterable {
    case user, project, local

    /// The settings file of this scope; `workDir` is the worktree's top folder.
    public func settingsFile(home: String?, workDir: String?) throws(CoordError) -> String {
        switch self {
        case .user:
            guard let home, !home.isEmpty else { throw CoordError.usage("HOME is not set: pass --settings PATH") }
            return Files.join(home, ".claude", "settings.json")
        case .project, .local:
            guard let workDir else { throw CoordError.usage("a bare repository has no project settings: use --scope user or --settings PATH") }
            return Files.join(workDir, ".claude", self == .local ? "settings.local.json" : "settings.json")
        }
    }
}

extension ClaudeSettings {
    /// What `uninstallFile` did.
    public enum Removal: Sendable, Equatable {
        case noFile, nothingOurs, removed, deletedFile
    }

    /// Adds our hooks to the settings file at `path` (created when missing), running `binary`.
    /// Returns false when they were all there already. Leaves a receipt for uninstall.
    @discardableResult
    public static func installFile(_ path: String, binary: String, receipts: HookFiles?) throws(CoordError) -> Bool {
        let before = Files.read(path)
        let after = try install(into: before, binary: binary)
        if after == before { return false }
        try writeSettings(path, after)
        receipts?.setInstallReceipt(receipt(for: before), for: path)
        return true
    }

    /// Removes exactly what install added to the settings file at `path`.
    public static func uninstallFile(_ path: String, receipts: HookFiles?) throws(CoordError) -> Removal {
        guard let before = Files.read(path) else { return .noFile }
        guard let after = try uninstall(from: before, receipt: receipts?.installReceipt(for: path)) else {
            Files.remove(path)
            receipts?.setInstallReceipt(nil, for: path)
            return .deletedFile
        }
        if after == before { return .nothingOurs }
        try writeSettings(path, after)
        receipts?.setInstallReceipt(nil, for: path)
        return .removed
    }

    /// Writes a settings file atomically, keeping the permission bits of the file it replaces.
    public static func writeSettings(_ path: String, _ bytes: [UInt8]) throws(CoordError) {
        let mode = (try? OS.status(path))?.permissions
        Files.makeFolders(Files.parent(of: path))
        guard Files.writeAtomically(path, bytes) else { throw CoordError.data("cannot write \(path): check the folder's permissions") }
        if let mode { try? OS.setPermissions(path, mode) }
    }

    /// Our hook commands in a settings file: event, matcher, command, in file order.
    static func ourCommands(_ bytes: [UInt8]) -> [(event: String, matcher: String?, command: String)] {
        guard let root = try? JSONSpan.parse(bytes), case .object(_, _, let events)? = root["hooks"] else { return [] }
        var out: [(String, String?, String)] = []
        for m in events {
            guard case .array(_, _, let groups) = m.value else { continue }
            for g in groups {
                guard case .array(_, _, let handlers)? = g["hooks"] else { continue }
                for h in handlers {
                    if let c = h["command"]?.stringValue, ourSubcommand(c) != nil { out.append((m.key, g["matcher"]?.stringValue, c)) }
                }
            }
        }
        return out
    }

    /// Why a command of ours cannot start git-coord, nil when it can: the path it names is
    /// runnable, or else git-coord is on PATH.
    static func binaryProblem(_ command: String) -> String? {
        if !command.hasPrefix(marker), command.hasPrefix("p='") {
            let path = command.dropFirst(3).prefix { $0 != "'" }
            if Executable.problem(String(path)) == nil { return nil }
            return Executable.problem("git-coord").map { "\(path): missing, and git-coord on PATH: \($0)" }
        }
        return Executable.problem("git-coord").map { "git-coord on PATH: \($0)" }
    }

    /// The `env` object of a settings file, as Claude Code gives it to hooks.
    static func environment(_ bytes: [UInt8]) -> [String: String] {
        guard let root = try? JSONSpan.parse(bytes), case .object(_, _, let members)? = root["env"] else { return [:] }
        var out: [String: String] = [:]
        for m in members { if let v = m.value.stringValue { out[m.key] = v } }
        return out
    }
}

/// One finding of `git coord hooks doctor`: what was checked, whether it holds, and the mend.
public struct HookFinding: Sendable, Equatable {
    public var settings: String
    public var event: String?
    public var ok: Bool
    public var text: String
    public var mend: String?

    public var json: JSONValue {
        .object(["settings": .string(settings), "event": event.map(JSONValue.string) ?? .null, "ok": .bool(ok),
                 "text": .string(text), "mend": mend.map(JSONValue.string) ?? .null])
    }

    public var line: String {
        (ok ? "ok    " : "PROBLEM ") + (event.map { "\($0): " } ?? "") + text + (mend.map { " — \($0)" } ?? "") + " (\(settings))"
    }
}

extension Coord {
    /// Runs every git coord hook command in the given settings files the way Claude Code runs it
    /// (`sh -c COMMAND` in the project folder, with the settings' `env` over this environment and
    /// a probe payload on standard input), and says what is wrong and how to mend it.
    ///
    /// The probe makes `hooks run` answer who it would act as and exit without any side effect.
    public func hooksDoctor(settingsFiles: [String], binary: String) async -> [HookFinding] {
        var findings: [HookFinding] = []
        let project = worktreePath
        let reinstall = "run `git coord hooks uninstall claude` and `git coord hooks install claude` (writes \(binary))"
        var installedAnywhere = false
        for path in settingsFiles {
            guard let bytes = Files.read(path) else { continue }
            if (try? JSONSpan.parse(bytes)) == nil {
                findings.append(HookFinding(settings: path, event: nil, ok: false, text: "not valid JSON: Claude Code ignores the file", mend: "fix the JSON by hand"))
                continue
            }
            let commands = ClaudeSettings.ourCommands(bytes)
            guard !commands.isEmpty else { continue }
            installedAnywhere = true
            let env = ClaudeSettings.environment(bytes)
            let events = Set(commands.map(\.event))
            for missing in ClaudeSettings.entries.map(\.event) where !events.contains(missing) {
                findings.append(HookFinding(settings: path, event: missing, ok: false, text: "no git coord hook on this event", mend: reinstall))
            }
            for c in commands {
                if c.event == "SessionStart", let m = c.matcher, !(m.contains("clear") && m.contains("fork")) {
                    findings.append(HookFinding(settings: path, event: c.event, ok: false,
                                                text: "matcher \(m) misses clear or fork: the agent is not briefed after /clear and a fork keeps its parent's name",
                                                mend: reinstall))
                }
                findings.append(await probe(c.command, event: c.event, settings: path, env: env, project: project, reinstall: reinstall))
            }
        }
        if !installedAnywhere {
            findings.append(HookFinding(settings: settingsFiles.first ?? "~/.claude/settings.json", event: nil, ok: false,
                                        text: "no git coord hooks installed", mend: "run `git coord hooks install claude`"))
        }
        return findings
    }

    func probe(_ command: String, event: String, settings: String, env: [String: String], project: String, reinstall: String) async -> HookFinding {
        let payload = JSONValue.object(["hook_event_name": .string(event), "cwd": .string(project), "git_coord_probe": true])
        let out: ProcessRunner.Output
        // The payload goes in as a file: a hook may exit without reading it, as Claude Code allows.
        let payloadFile = Files.join(store.localFolder, "hooks", "doctor-probe.\(OS.processID).json")
        Files.makeFolders(Files.parent(of: payloadFile))
        Files.writeAtomically(payloadFile, payload.canonicalString)
        defer { Files.remove(payloadFile) }
        do {
            out = try await ProcessRunner.run(["sh", "-c", command], in: project, environment: env, inputFile: payloadFile)
        } catch {
            return HookFinding(settings: settings, event: event, ok: false, text: "cannot start sh (\(error))", mend: nil)
        }
        if out.status == 0, let answer = try? JSONValue.parse(Array(out.stdout.utf8)), let probe = answer["gitCoordProbe"] {
            let who = probe["session"]?.stringValue.map { "acts as \($0)" } ?? "no session known here yet"
            return HookFinding(settings: settings, event: event, ok: true, text: "runs \(probe["binary"]?.stringValue ?? "git-coord") (\(who))", mend: nil)
        }
        let cause = out.stderr.split(separator: "\n").first.map(String.init)
        if out.status == 0 {
            return HookFinding(settings: settings, event: event, ok: false,
                               text: "the command never reached git-coord: its binary is missing and git-coord is not on the PATH it runs with", mend: reinstall)
        }
        return HookFinding(settings: settings, event: event, ok: false,
                           text: "exits \(out.status)\(cause.map { ": \(Coord.abbreviate($0, to: 160))" } ?? "")", mend: reinstall)
    }
}
