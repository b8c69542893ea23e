import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let leaseCommands: [any ParsableCommand.Type] = [LeaseCommand.self]

    struct LeaseCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lease",
            abstract: "Say which paths you are changing, so other sessions keep off them.",
            discussion: """
                A lease names paths as git pathspecs relative to the repository root: a file, a \
                directory (src/net or src/net/), or a glob (src/*.c; * also matches /). An \
                exclusive lease (the default) keeps every other session off its paths; shared \
                leases coexist with each other. Taking a lease is atomic: of two sessions leasing \
                overlapping paths at once, one wins and the other is told who holds them (exit 1). \
                Clones that granted conflicting leases apart settle on sync: the earlier grant \
                wins everywhere, and the loser gets one message.

                A lease ends when released, when its --ttl passes, when its --task is done, or \
                when its holder is dead by the liveness rule (see git coord sessions).

                Guards: `git coord hooks install git` refuses commits touching paths another live \
                session leases exclusively; `git coord hooks install claude` denies Claude Code's \
                file edits to them before they happen.

                Examples:
                  git coord lease add src/net/ tests/net/ --ttl 2h --reason "rework retries"
                  git coord lease add 'docs/*.md' --shared
                  git coord lease list
                  git coord lease check src/net/tcp.c
                  git coord lease release --all
                """,
            subcommands: [Add.self, List.self, Release.self, Renew.self, Check.self])
    }
}

/// Prints leases as a table, or the one-line hint when there are none.
private func printLeases(_ entries: [LeaseEntry], json: Bool, empty: String) {
    if json { return printJSON(.array(entries.map(\.json))) }
    guard !entries.isEmpty else { return say(empty) }
    var rows = [["ID", "HOLDER", "MODE", "STATUS", "UNTIL", "PATHS"]]
    for e in entries {
        let l = e.lease
        var status = e.status.word
        if case .lost(let winner) = e.status { status += " to \(winner)" }
        var paths = l.paths.map(\.text).joined(separator: " ")
        if let t = l.task { paths += "  [\(t)]" }
        if let r = l.reason { paths += "  \"\(r)\"" }
        rows.append([l.id, l.holder, l.mode, status, l.expires.map { TimeText.utc($0) } ?? "-", paths])
    }
    say(table(rows))
}

extension GitCoordCommand.LeaseCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Lease paths for this session and print the lease id.",
            discussion: """
                Refused (exit 1, naming the holder) when another live session holds an \
                overlapping lease that conflicts: any lease against an exclusive one, an exclusive \
                one against a shared one. Leases of dead holders, done tasks or past their TTL \
                do not stand in the way.

                Examples:
                  git coord lease add src/net/ --ttl 90m --task 4k2 --reason "rework retries"
                  git coord lease add 'src/**/*.proto' --shared
                """)

        @Argument(help: ArgumentHelp("Pathspecs relative to the repository root: file, dir/, or glob.", valueName: "PATHSPEC")) var paths: [String] = []
        @Flag(help: "A shared lease: other shared leases of these paths may coexist.") var shared = false
        @Option(help: ArgumentHelp("End the lease after this long (renew with lease renew): 30m, 2h.", valueName: "DURATION")) var ttl: String?
        @Option(help: ArgumentHelp("A board task; the lease ends when the task is done.", valueName: "T-…")) var task: String?
        @Option(help: ArgumentHelp("Why, in a few words; shown to whoever runs into the lease.", valueName: "TEXT")) var reason: String?
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let ttlMs = try ttl.map { (text) throws(CoordError) -> Int64 in
                guard let ms = Duration.parse(text), ms > 0 else {
                    throw CoordError.usage("invalid --ttl '\(text)': give a duration such as 30s, 15m, 2h or 1d")
                }
                return ms
            }
            if paths.isEmpty { throw CoordError.usage("name at least one pathspec to lease (a file, dir/ or a glob such as 'src/*.c')") }
            for p in paths { _ = try Pathspec(p) }
            let (coord, _) = try session.openAsWriter()
            let lease = try coord.addLease(LeaseRequest(paths: paths, shared: shared, ttl: ttlMs, task: task, reason: reason))
            if output.json { printJSON(LeaseEntry(lease: lease, status: .active).json) } else { say(lease.id) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the leases in force (--all: ended ones too).",
            discussion: """
                STATUS is active, or why a lease no longer counts: ended (released), expired, \
                task-done, holder-dead, holder-left, or lost (to an earlier lease from another \
                clone).

                Examples:
                  git coord lease list --mine
                  git coord lease list --all --json
                """)

        @Flag(help: "Only this session's leases.") var mine = false
        @Flag(help: "Also leases that ended, expired, or were lost.") var all = false
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            let entries = try coord.leaseEntries(includeEnded: all, holder: mine ? try coord.requireSession() : nil)
            printLeases(entries, json: output.json, empty: all ? "no leases" : "no leases in force")
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "End leases: the ones named, or --all of this session's.",
            discussion: "Only the holder may end a lease, unless --force (for a holder that is gone).")

        @Argument(help: ArgumentHelp("Lease ids or unique prefixes.", valueName: "ID")) var ids: [String] = []
        @Flag(help: "Every lease of this session.") var all = false
        @Flag(help: "End leases held by another session.") var force = false
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let done = try coord.releaseLeases(ids, all: all, force: force)
            if output.json { return printJSON(.array(done.map { .string($0.id) })) }
            say(done.isEmpty ? "no lease to release" : "released \(done.map(\.id).joined(separator: " "))")
        }
    }

    struct Renew: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "renew",
            abstract: "Extend leases with a TTL by one TTL from now (default: all of this session's).")

        @Argument(help: ArgumentHelp("Lease ids or unique prefixes.", valueName: "ID")) var ids: [String] = []
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let done = try coord.renewLeases(ids)
            if output.json { return printJSON(.array(done.map { .string($0.id) })) }
            say(done.isEmpty ? "no lease with a TTL to renew" : "renewed \(done.map(\.id).joined(separator: " "))")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Exit 1 and name the holders when paths are leased exclusively by another live session.",
            discussion: """
                PATHs are relative to the repository root (or absolute, inside the work tree). \
                --staged checks what the next commit changes, renames and deletions included; \
                that is what the pre-commit guard runs.

                Examples:
                  git coord lease check src/net/tcp.c
                  git coord lease check --staged --json
                """)

        @Argument(help: ArgumentHelp("Paths to check.", valueName: "PATH")) var paths: [String] = []
        @Flag(help: "Check the paths staged for the next commit.") var staged = false
        @Flag(help: .private) var hook = false
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            guard staged != !paths.isEmpty else { throw CoordError.usage("name paths to check, or pass --staged (not both)") }
            let coord = try session.open()
            report(try coord.leaseCheck(paths, staged: staged))
        }

        func report(_ hits: [LeaseHit]) {
            if output.json { printJSON(.object(["ok": .bool(hits.isEmpty), "hits": .array(hits.map(\.json))])) }
            guard !hits.isEmpty else { return }
            if !output.json {
                let out = hook ? FileOutput.standardError : FileOutput.standardOutput
                if hook { out.write("git coord: commit refused: it changes paths another live session leases exclusively.\n") }
                for h in hits.prefix(20) { out.write(h.line + "\n") }
                if hits.count > 20 { out.write("… \(hits.count - 20) more\n") }
                let holders = Array(Set(hits.map(\.lease.holder))).sorted()
                var how = "To proceed: unstage those paths (git restore --staged PATH), or ask \(holders.joined(separator: ", ")) to release the lease (git coord send --lease \(hits[0].lease.id) -m \"...\")"
                how += hook ? ", or commit anyway with git commit --no-verify.\n" : ".\n"
                out.write(how)
            }
            OS.exit(1)
        }
    }
}
