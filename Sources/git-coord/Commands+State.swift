import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let stateCommands: [any ParsableCommand.Type] = [State.self, BriefCommand.self, Hooks.self]
}

// MARK: state

extension GitCoordCommand {
    struct State: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Keep named values that survive an agent's loss of context.",
            discussion: """
                Each session keeps its own state in refs/coord/state/SESSION: dotted keys \
                (gate.pr-12, worker-2.last-report) with text or JSON values. The last writer wins \
                per key; every change is a commit whose subject is an audit line, so \
                `git log refs/coord/state/SESSION` is the history. `git coord brief` and the \
                SessionStart hook bring the state back after a compaction.

                Keys: \(StateKey.rule).

                Examples:
                  git coord state set gate.pr-12 pass
                  git coord state set plan.next --json '{"task":"T-4k2m","step":3}'
                  verdict=$(git coord state get gate.pr-12)
                  git coord state unset gate.pr-12
                  git coord state show worker-1 --json
                """,
            subcommands: [SetKey.self, GetKey.self, UnsetKey.self, Show.self])
    }
}

extension GitCoordCommand.State {
    struct SetKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set a key of this session's state.",
            discussion: "VALUE is stored as text; with --json it is parsed as JSON (integers, no fractions). Setting JSON null is the same as unset.")

        @Argument(help: "The key, e.g. gate.pr-12.") var key: String
        @Argument(help: "The value (text, or JSON with --json).") var value: String
        @Flag(name: .customLong("json"), help: "Parse VALUE as JSON.") var parseJSON = false
        @OptionGroup var session: SessionOptions

        func run() throws {
            try StateKey.validate(key)
            let parsed: JSONValue
            if parseJSON {
                do { parsed = try JSONValue.parse(value) } catch {
                    throw CoordError(.usage, "VALUE is not JSON the store accepts (\(error.description)); quote text, or drop --json to store it as text", cause: error)
                }
            } else {
                parsed = .string(value)
            }
            let (coord, _) = try session.openAsWriter()
            coord.noteActivity()
            try coord.setState(key, parsed)
        }
    }

    struct GetKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Print the value of a key: bare, so $(git coord state get KEY) is the value.",
            discussion: "Text values print as they are, JSON values as compact JSON. Exits 1 when the key is not set.")

        @Argument(help: "The key.") var key: String
        @Option(name: .customLong("of"), help: ArgumentHelp("Read another session's state.", valueName: "SESSION")) var of: String?
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            try StateKey.validate(key)
            let coord = try session.open()
            let owner = try of.map { try SessionName.validate($0) } ?? coord.requireSession()
            let entry = try coord.requiredStateEntry(key, of: owner)
            if output.json { printJSON(entry.json) } else { FileOutput.standardOutput.writeText(entry.text + "\n") }
        }
    }

    struct UnsetKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unset",
            abstract: "Unset a key of this session's state (the history keeps every value).")

        @Argument(help: "The key.") var key: String
        @OptionGroup var session: SessionOptions

        func run() throws {
            try StateKey.validate(key)
            let (coord, _) = try session.openAsWriter()
            coord.noteActivity()
            if try !coord.unsetState(key) {
                FileOutput.standardError.writeText("git coord: \(key) was not set\n")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "List every key of a session's state (default: this session's).")

        @Argument(help: "Whose state.") var owner: String?
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            let name = try owner.map { try SessionName.validate($0) } ?? coord.requireSession()
            let entries = try coord.stateEntries(of: name)
            if output.json {
                printJSON(.object(["session": .string(name), "state": .array(entries.map(\.json))]))
                return
            }
            guard !entries.isEmpty else { say("\(name) has no state"); return }
            var rows = [["KEY", "VALUE", "SET BY", "WHEN"]]
            for e in entries {
                rows.append([e.key, e.text.replacingNewlinesForTable(), e.stamp.session, relativeTime(e.stamp.milliseconds)])
            }
            say(table(rows))
        }
    }
}

extension String {
    func replacingNewlinesForTable() -> String {
        let flat = String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        return flat.count > 80 ? String(flat.prefix(79)) + "…" : flat
    }
}

// MARK: brief

extension GitCoordCommand {
    struct BriefCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "brief",
            abstract: "Brief a session that has lost its context, most important first.",
            discussion: """
                Who the session is and its role; its state; its unread messages, urgent first; the \
                tasks it holds and those ready for it; its jobs and how they ended; the \
                coordinator's latest decisions; the other sessions and whether each is alive. \
                Never longer than --max-bytes: the least important sections are cut first, each \
                cut marked "… N more". The Claude Code SessionStart hook prints this after every \
                compaction.

                Examples:
                  git coord brief
                  git coord brief --session worker-2 --max-bytes 2048
                """)

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag
        @Option(name: .customLong("max-bytes"), help: ArgumentHelp("The most bytes to print.", valueName: "N"))
        var maxBytes: Int = Brief.defaultMaxBytes

        func run() throws {
            let (coord, name) = try session.openAsSession()
            coord.noteActivity()
            let brief = try coord.brief(for: name, maxBytes: maxBytes)
            if output.json { printJSON(brief.json) } else { FileOutput.standardOutput.writeText(brief.text) }
        }
    }
}

// MARK: hooks

extension GitCoordCommand {
    struct Hooks: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hooks",
            abstract: "Wire an agent's hooks to git coord, so its briefing and messages reach it by themselves.",
            discussion: """
                `hooks install claude` adds to a Claude Code settings file: SessionStart (startup, \
                resume, clear, compact, fork) → the agent's name settled and the brief as context; \
                SessionEnd → the session marked left at once; UserPromptSubmit and PostToolUse → new \
                unread messages, once each; Stop, StopFailure and the idle-prompt Notification \
                (asyncRewake) → wait for the next message and wake the idle agent. Several agents in \
                one folder each get a name of their own. Nothing else in the file changes, and \
                `hooks uninstall claude` removes exactly what was added.

                The default scope is user (~/.claude/settings.json): every worktree is covered, \
                later ones too, and nothing is committed for teammates. Each command names this \
                git-coord binary by its path (found even when Claude Code's PATH lacks it) and exits \
                0 silently outside a coordinated repository. `hooks doctor` runs each installed \
                command as Claude Code would and says what is wrong.
                PreToolUse on Edit, Write, MultiEdit and NotebookEdit denies a write to a path \
                another live session leases exclusively (see `git coord lease`).

                `hooks install git` adds the pre-commit lease guard to the repository's common \
                hooks (core.hooksPath when set), keeping and chaining any pre-commit already \
                there; `hooks uninstall git` puts that one back.

                Examples:
                  git coord hooks install claude                   # ~/.claude/settings.json
                  git coord hooks install claude --scope project   # .claude/settings.json
                  git coord hooks doctor
                  git coord hooks print generic
                  git coord hooks install git                    # pre-commit lease guard
                """,
            subcommands: [Install.self, Uninstall.self, Doctor.self, Print.self, Run.self])
    }
}

extension HookScope: ExpressibleByArgument {}

/// Where and which agent's settings `hooks install` and `uninstall` edit.
struct HookTarget: ParsableArguments {
    @Argument(help: "The agent: claude, or git for the pre-commit lease guard.") var agent: String = "claude"
    @Option(help: "user: ~/.claude/settings.json (every worktree), project: .claude/settings.json, local: .claude/settings.local.json.")
    var scope: HookScope = .user
    @Option(name: .customLong("settings"), help: ArgumentHelp("Edit this settings file instead.", valueName: "PATH"))
    var settingsFile: String?

    /// The settings file to edit and where install receipts are kept (``HookSettingsTarget``).
    func resolve() throws(CoordError) -> HookSettingsTarget {
        guard agent == "claude" else { throw CoordError.usage("unknown agent '\(agent)': hooks install supports claude and git; for others see `git coord hooks print generic`") }
        return try HookSettingsTarget.resolve(scope: scope, settingsFile: settingsFile)
    }
}

extension GitCoordCommand.Hooks {
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "install", abstract: "Add git coord's hooks to an agent's settings (twice adds nothing).")
        @OptionGroup var target: HookTarget

        func run() throws {
            if target.agent == "git" { return say(try GitHookGuard.install(try Coord.open())) }
            let settings = try target.resolve()
            if try ClaudeSettings.installFile(settings.path, binary: Executable.current, receipts: settings.receipts) {
                say("added git coord hooks to \(settings.path)")
            } else {
                say("git coord hooks already in \(settings.path)")
            }
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove exactly the hooks install added.")
        @OptionGroup var target: HookTarget

        func run() throws {
            if target.agent == "git" { return say(try GitHookGuard.uninstall(try Coord.open())) }
            let settings = try target.resolve()
            switch try ClaudeSettings.uninstallFile(settings.path, receipts: settings.receipts) {
            case .noFile: say("no settings file at \(settings.path)")
            case .nothingOurs: say("no git coord hooks in \(settings.path)")
            case .removed: say("removed git coord hooks from \(settings.path)")
            case .deletedFile: say("removed \(settings.path), which held only git coord hooks")
            }
        }
    }

    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Run each installed hook command as Claude Code would, and say what is wrong and how to mend it.",
            discussion: """
                Reads ~/.claude/settings.json, .claude/settings.json and .claude/settings.local.json \
                (or --settings PATH), and runs each git coord hook command with `sh -c` in the \
                project folder, with the settings' env over this environment, on a probe payload \
                that makes the hook answer and change nothing. Exits 1 when anything is wrong.
                """)
        @Option(name: .customLong("settings"), help: ArgumentHelp("Check only this settings file.", valueName: "PATH"))
        var settingsFile: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let coord = try Coord.open(agent: nil)
            let files = settingsFile.map { [$0] } ?? coord.hookSettingsFiles()
            let findings = await coord.hooksDoctor(settingsFiles: files, binary: Executable.current)
            if output.json {
                printJSON(.array(findings.map(\.json)))
            } else {
                for f in findings { say(f.line) }
            }
            if findings.contains(where: { !$0.ok }) { throw ExitCode(1) }
        }
    }

    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "print", abstract: "Print the hooks snippet: claude (settings JSON) or generic (commands for any agent).")
        @Argument(help: "claude or generic.") var agent: String = "claude"

        func run() throws {
            switch agent {
            case "claude": FileOutput.standardOutput.write(ClaudeSettings.snippet(binary: Executable.current))
            case "generic": FileOutput.standardOutput.write(genericSnippet)
            default: throw CoordError.usage("unknown agent '\(agent)': use claude or generic")
            }
        }

        var genericSnippet: String {
            """
            # git coord hooks for any agent. Each reads the agent's hook JSON on stdin when there is
            # one (session_id, cwd, hook_event_name, source) and otherwise acts as this worktree's
            # session; inside Codex CLI, CODEX_THREAD_ID names the agent session. Add --plain for
            # text instead of Claude Code's JSON answer.
            #
            # When a session starts, resumes or was compacted: the briefing.
            git coord hooks run session-start --plain     # or: git coord brief
            # Before each prompt and after each tool call: new unread messages, once each.
            git coord hooks run prompt --plain            # prints nothing when there is nothing new
            # When the agent goes idle: wait for the next message; exit 2, summary on stderr.
            git coord hooks run stop-wait --plain
            # When the session ends: marks it left.
            git coord hooks run session-end

            """
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run one hook (called by the agent: session-start, session-end, prompt, post-tool, stop-wait).",
            shouldDisplay: false)

        @Argument(help: "session-start, session-end, prompt, post-tool, stop-wait or pre-tool.") var kind: String
        @OptionGroup var session: SessionOptions
        @Flag(help: "Print plain text instead of Claude Code's JSON answer.") var plain = false
        @Option(name: .customLong("timeout"), help: ArgumentHelp("stop-wait: give up after this long (exit 0).", valueName: "DURATION"))
        var timeout: Duration = Duration(milliseconds: 24 * 3_600_000)
        @Option(name: .customLong("max-bytes"), help: ArgumentHelp("session-start: the brief's byte bound.", valueName: "N"))
        var maxBytes: Int = Brief.defaultMaxBytes

        func run() throws {
            guard let hook = HookKind(rawValue: kind) else {
                throw CoordError.usage("unknown hook '\(kind)': use session-start, session-end, prompt, post-tool, stop-wait or pre-tool")
            }
            let input = readStandardInput()
            let payload = HookPayload(bytes: input)
            if let cwd = payload.cwd, !cwd.isEmpty { try? OS.changeDirectory(cwd) }
            if hook == .stopWait { OS.exitSilently(on: .terminate) }
            let result: HookResult
            do {
                // Outside a repository the hooks have nothing to say.
                guard let coord = try? Coord.open(session: session.session, agent: payload.probe ? nil : AgentSession.from(payload: payload)) else { return }
                CommandActivity.coord = coord
                result = try coord.runHook(hook, input: input, payload: payload, plain: plain, maxBytes: maxBytes, timeoutMs: timeout.milliseconds)
            } catch {
                // Exit 2 would block the prompt or the stop: report as a non-blocking error instead.
                FileOutput.standardError.write("git coord: \(error.message)\n")
                OS.exit(1)
            }
            FileOutput.standardOutput.write(result.stdout)
            FileOutput.standardError.write(result.stderr)
            if result.exitCode != 0 { OS.exit(result.exitCode) }
        }
    }
}

/// Standard input, whole; empty when it is a terminal.
func readStandardInput() -> [UInt8] {
    guard !OS.isTerminal(0) else { return [] }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        guard let n = try? OS.read(0, into: &buf), n > 0 else { break }
        out.append(contentsOf: buf[0..<n])
        if out.count > 64 << 20 { break }
    }
    return out
}
