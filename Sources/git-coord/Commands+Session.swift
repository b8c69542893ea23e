import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let sessionCommands: [any ParsableCommand.Type] = [Leave.self, Sessions.self, Alive.self, Heartbeat.self]
}

extension GitCoordCommand {
    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "leave",
            abstract: "Mark this session as gone for good.",
            discussion: """
                Records left=true in refs/coord/sessions/NAME: `sessions` no longer lists it (except \
                with --all) and `alive NAME` answers `left`. Joining again under the same name \
                starts a new incarnation.

                Examples:
                  git coord leave
                  git coord leave --session worker-3
                """)

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, name) = try session.openAsSession()
            let record = try coord.leave(name)
            if output.json { printJSON(record.json) } else { say("\(name) left") }
        }
    }

    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sessions",
            abstract: "List the sessions: who is there, alive or not, since when.",
            discussion: """
                Columns: NAME ROLE STATE LAST-SEEN HOST WORKTREE. STATE is:
                  alive   active within the TTL, or its recorded process runs on this host
                  stale   silent for more than the TTL (coord.heartbeatTTL, default 60s)
                  dead    its watched process ended, or silent for three TTLs
                  left    it ran `git coord leave` (listed only with --all)
                Every git coord command a session runs counts as activity; `git coord heartbeat` \
                keeps a quiet session alive and makes its death visible at once.

                Examples:
                  git coord sessions
                  git coord sessions --all --json
                """)

        @Flag(help: "Include sessions that left.")
        var all = false

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            coord.noteActivity()
            let statuses = try coord.sessionStatuses(includeLeft: all)
            let leases = try coord.activeLeasesBySession()
            if output.json {
                printJSON(.array(statuses.map { $0.json.adding("leases", .array((leases[$0.record.name] ?? []).map { .string($0.id) })) }))
                return
            }
            if statuses.isEmpty {
                say("no sessions yet: run `git coord join NAME` in each worktree")
                return
            }
            // The LEASES column only when someone holds a lease, so the table is unchanged otherwise.
            var rows = [["NAME", "ROLE", "STATE", "LAST-SEEN", "HOST", "WORKTREE"] + (leases.isEmpty ? [] : ["LEASES"])]
            for s in statuses {
                rows.append([s.record.name, s.record.role ?? "-", s.state.rawValue, s.lastSeen.map { relativeTime($0) } ?? "never",
                             s.record.host ?? "-", s.record.worktree ?? "-"] + (leases.isEmpty ? [] : [Lease.shortList(leases[s.record.name] ?? [])]))
            }
            say(table(rows))
        }
    }

    struct Alive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alive",
            abstract: "Tell whether a session is alive: exit 0 when alive, 1 otherwise.",
            discussion: """
                Prints the state (alive, stale, dead, left or unknown), when the session was last \
                seen and why. On the session's own host its recorded process (from `heartbeat \
                --watch-pid` or `join --pid`) is checked, so a dead process reads dead at once; \
                from other hosts the last beat and coord.heartbeatTTL decide.

                Examples:
                  git coord alive worker-1 || git coord send coordinator -m "worker-1 is gone"
                  git coord alive worker-1 --json
                """)

        @Argument(help: "The session to check.")
        var name: String

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            try SessionName.validate(name)
            coord.noteActivity()
            guard let status = try coord.sessionStatus(name) else {
                if output.json { printJSON(.object(["name": .string(name), "state": "unknown"])) } else { say("\(name): unknown (never joined)") }
                throw ExitCode(1)
            }
            if output.json {
                printJSON(status.json)
            } else {
                let seen = status.lastSeen.map { "last seen \(relativeTime($0))" } ?? "never seen"
                say("\(name): \(status.state.rawValue), \(seen) (\(status.reason))")
            }
            if status.state != .alive { throw ExitCode(1) }
        }
    }

    struct Heartbeat: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "heartbeat",
            abstract: "Keep this session alive, and record at once when its process ends.",
            discussion: """
                Beats every --every (default a third of coord.heartbeatTTL) on refs/coord/beat/NAME, \
                a parentless commit replaced at each beat, so beats add no history. With \
                --watch-pid PID (default: the pid `join --pid` recorded on this host) it exits as \
                soon as PID ends, after recording that end: the session then reads dead at once, \
                on every host, not after a TTL. It also stops when the session leaves.

                --detach starts the loop in the background (own session, no terminal), prints its \
                pid and returns at once. --once beats once and exits.

                Examples:
                  git coord heartbeat --watch-pid $PPID --detach
                  git coord heartbeat --every 10s
                """)

        @Option(help: ArgumentHelp("Time between beats, e.g. 10s.", valueName: "DUR"))
        var every: Duration?

        @Option(name: .customLong("watch-pid"), help: ArgumentHelp("Beat while this process lives; record its end.", valueName: "PID"))
        var watchPid: Int32?

        @Flag(help: "Run the loop in the background and return at once.")
        var detach = false

        @Flag(help: "Beat once and exit.")
        var once = false

        @OptionGroup var session: SessionOptions

        func run() throws {
            let (coord, name) = try session.openAsWriter()
            if let every, every.milliseconds <= 0 { throw CoordError.usage("--every must be longer than 0 ms, e.g. --every 10s") }
            if detach {
                let pid = try coord.startDetachedHeartbeat(everyMilliseconds: every?.milliseconds, watchPid: watchPid)
                say("heartbeat for \(name) running as process \(pid)")
                return
            }
            coord.reapLostJobs()
            switch try coord.runHeartbeat(everyMilliseconds: every?.milliseconds, watchPid: watchPid, once: once) {
            case .once: break
            case .sessionLeft: say("\(name) left; heartbeat stopped")
            case .watchedProcessEnded: say("process \(watchPid.map(String.init) ?? "watched") ended; \(name) recorded dead")
            }
        }
    }
}
