import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let syncCommands: [any ParsableCommand.Type] = [Sync.self]
}

extension GitCoordCommand {
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Exchange coordination data with a git remote: fetch, merge, push.",
            discussion: """
                Fetches refs/coord/* from REMOTE into refs/coord-remotes/REMOTE/*, merges every \
                document into the local one (fast-forward when possible, else a deterministic merge \
                commit that every clone computes identically), and pushes what the remote lacks, \
                without force. When another clone pushed first, it fetches, merges and pushes again \
                (at most 5 rounds). Heartbeats and read marks (one writer, no history) are pushed \
                with a lease on what was fetched.

                Transport is your own `git`, so ssh keys, credential helpers and insteadOf rules \
                apply; it never prompts, never runs pre-push hooks and never changes your config. \
                Data from the remote is untrusted: documents this git-coord cannot read (newer \
                format, bad marker) are skipped, and cells that are malformed, over 2 MiB, at strange \
                paths or stamped more than 10 minutes ahead of this clock are left out. Both are \
                reported; everything else still syncs.

                With --watch it keeps running: it pushes right after each local change and checks \
                the remote every --interval (a cheap ls-remote; a fetch only when something moved). \
                When the remote cannot be reached it says so once, backs off, and resumes when it \
                answers again.

                REMOTE defaults to `git config coord.remote`, then origin.

                Exit status: 0 synced; 1 the remote cannot be reached, or some refs could not be \
                pushed; 2 bad input.

                Examples:
                  git coord sync
                  git coord sync upstream --json
                  git coord sync --watch --interval 2s
                """)

        @Argument(help: ArgumentHelp("The remote to sync with (default: coord.remote, then origin).", valueName: "REMOTE"))
        var remote: String?

        @Flag(help: "Keep running: push on every local change, check the remote every --interval.")
        var watch = false

        @Option(help: ArgumentHelp("With --watch: how often to check the remote (default 5s).", valueName: "DURATION"))
        var interval: Duration?

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if interval != nil && !watch {
                throw ValidationError("--interval only applies with --watch")
            }
            if let interval, interval.milliseconds < 100 {
                throw ValidationError("--interval must be at least 100ms")
            }
        }

        func run() async throws {
            let coord = try session.open()
            if watch {
                let options = SyncWatchOptions(intervalMs: interval?.milliseconds ?? 5_000)
                try await coord.watchSync(remote: remote, options: options) { event in print(event) }
                return
            }
            let report = try await coord.sync(remote: remote)
            if output.json { printJSON(report.json) } else { report.lines.forEach(say) }
            if let incomplete = report.incompleteError { throw incomplete }
        }

        func print(_ event: SyncWatchEvent) {
            switch event {
            case .synced(let report):
                if output.json {
                    var o = report.json.objectValue ?? [:]
                    o["event"] = "sync"
                    printJSON(.object(o))
                } else {
                    report.lines.forEach(say)
                }
            case .unreachable(let remote, let detail, let retry):
                if output.json {
                    printJSON(.object(["event": "unreachable", "remote": .string(remote), "detail": .string(detail), "retryInMs": .int(retry)]))
                } else {
                    say("\(detail); retrying quietly (every \(max(1, retry / 1000)) s and up) until \(remote) answers")
                }
            case .reachable(let remote):
                if output.json {
                    printJSON(.object(["event": "reachable", "remote": .string(remote)]))
                } else {
                    say("\(remote) reachable again")
                }
            }
        }
    }
}
