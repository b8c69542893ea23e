import ArgumentParser
import GitCoord
import GitCoordStore

extension GitCoordCommand {
    static let coreCommands: [any ParsableCommand.Type] = [Init.self, Join.self, Whoami.self]
}

extension GitCoordCommand {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Prepare this repository for git coord.",
            discussion: """
                Creates the local folder git coord uses under the common git dir. With --remote R, \
                also adds +refs/coord/*:refs/coord-remotes/R/* to R's fetch refspecs so that a plain \
                `git fetch` brings coordination data too (never a push refspec: a plain `git push` \
                keeps doing what it did).
                """)

        @Option(help: ArgumentHelp("Also fetch coordination data from this remote.", valueName: "REMOTE"))
        var remote: String?

        func run() throws {
            let coord = try Coord.open()
            let result = try coord.initialize(remote: remote)
            say(result)
        }
    }

    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "join",
            abstract: "Register a named session: this agent's, or this worktree's.",
            discussion: """
                Records NAME in refs/coord/sessions/NAME with its role, host, worktree and pid. \
                Inside an agent (Claude Code's CLAUDE_CODE_SESSION_ID, Codex's CODEX_THREAD_ID) NAME \
                is bound to that agent session and its process, so several agents in one folder each \
                act as their own name, and keep it across /clear. Outside an agent NAME is \
                remembered for this worktree. A name another live session holds is refused (exit 1) \
                unless --takeover. Names: \(SessionName.rule).
                """)

        @Argument(help: "The session's name, e.g. coordinator or worker-1.")
        var name: String

        @Option(help: ArgumentHelp("The session's role, e.g. coordinator or worker (used by `send @ROLE`).", valueName: "ROLE"))
        var role: String?

        @Option(help: ArgumentHelp("The agent process to watch: the session reads dead once it ends.", valueName: "PID"))
        var pid: Int32?

        @Option(name: .customLong("agent-session"), help: ArgumentHelp("The agent's own session id, remembered so a resumed agent keeps this name.", valueName: "ID"))
        var agentSession: String?

        @Flag(help: "Take the name even if another live session holds it.")
        var takeover = false

        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try Coord.open(session: nil)
            let record = try coord.join(name, role: role, pid: pid, agentSession: agentSession, takeover: takeover)
            if output.json {
                printJSON(record.json)
            } else {
                say("joined as \(record.name)\(record.role.map { " (\($0))" } ?? "") in \(record.worktree ?? "?")")
            }
        }
    }

    struct Whoami: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whoami",
            abstract: "Print the session this command acts as (this agent's, else this worktree's).",
            discussion: "Exits 1 with a hint when no session is known here.")

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            guard let name = coord.session else {
                // No session is an answer, not bad input: exit 1, as the help says.
                FileOutput.standardError.writeText("git coord: \(Coord.noSessionHint)\n")
                throw ExitCode(1)
            }
            let record = try coord.sessionRecord(name)
            if output.json {
                printJSON(record?.json ?? .object(["name": .string(name), "joined": false]))
            } else {
                say(name + (record?.role.map { " (\($0))" } ?? ""))
            }
        }
    }
}
