import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let boardCommands: [any ParsableCommand.Type] = [Board.self, Log.self]
}

extension GitCoordCommand {
    struct Board: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "board",
            abstract: "The shared task board: add, claim, finish and list tasks.",
            discussion: """
                One board for every session in every worktree and clone, kept on refs/coord/board. \
                Task ids look like T-4k2mxq; any unique prefix works (4k2, T-4K2). A claim is \
                atomic: when two sessions claim one task at once, one wins and the other is told \
                who holds it (exit 1). Every change is one commit whose subject is an audit line; \
                see `git coord log --board`.

                Examples:
                  git coord board add "fix flaky sync test" --priority 1 --label ci
                  git coord board ready
                  git coord board claim 4k2
                  git coord board done 4k2 -m "retry on EAGAIN"
                """,
            subcommands: [Add.self, List.self, Show.self, Claim.self, Release.self, Done.self, Reopen.self,
                          Comment.self, Edit.self, Ready.self])
    }
}

extension GitCoordCommand.Board {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a task and print its id.",
            discussion: """
                Priorities run from 0 (highest) to 4 (lowest), default 2. --after names a task this \
                one waits for (repeat it for several); the task is ready once they are all done.

                Example: git coord board add "write the sync docs" -d "cover --watch" --after 4k2 --label docs
                """)

        @Argument(help: "What to do, in one line.") var title: String
        @Option(name: [.customShort("d"), .long], help: "A longer description.") var desc: String = ""
        @Option(help: ArgumentHelp("0 (highest) to 4 (lowest), or P0 to P4; default 2.", valueName: "P")) var priority: String?
        @Option(help: ArgumentHelp("A task this one waits for (repeatable).", valueName: "TASK")) var after: [String] = []
        @Option(help: ArgumentHelp("A label (repeatable).", valueName: "L")) var label: [String] = []
        @Option(help: ArgumentHelp("The session meant to do it.", valueName: "S")) var assign: String?
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let task = try coord.addTask(TaskDraft(title: title, desc: desc, priority: try priority.map(TaskCell.priority(parsing:)) ?? TaskCell.defaultPriority, after: after, labels: label, assign: assign))
            if output.json { printJSON(task.json()) } else { say(task.id) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List tasks (open and claimed by default).",
            discussion: """
                Done tasks leave the default list but stay in history (`git coord log --board`). \
                Sorted by priority, then age.

                Examples:
                  git coord board list --mine
                  git coord board list --status all --label ci --json
                """)

        @Option(help: ArgumentHelp("open, claimed, done or all.", valueName: "STATUS")) var status: String?
        @Flag(help: "Only tasks claimed by or assigned to this session.") var mine = false
        @Flag(help: "Only ready tasks: open, unclaimed, every dependency done.") var ready = false
        @Option(help: ArgumentHelp("Only tasks with this label.", valueName: "L")) var label: String?
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            var filter = TaskFilter(readyOnly: ready, label: label)
            if let status {
                switch status {
                case "all": filter.statuses = Set(TaskStatus.allCases)
                default:
                    guard let s = TaskStatus(rawValue: status) else {
                        throw CoordError.usage("invalid status '\(status)': use open, claimed, done or all")
                    }
                    filter.statuses = [s]
                }
            }
            if mine { filter.mine = try coord.requireSession() }
            printTasks(try coord.listTasks(filter), json: output.json)
        }
    }

    struct Ready: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ready",
            abstract: "List tasks ready to start: open, unclaimed, every dependency done.",
            discussion: "Sorted by priority (0 first), then age (oldest first). Take the first: `git coord board claim ID`.")

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            printTasks(try coord.readyTasks(), json: output.json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one task with its dependencies and comments.")

        @Argument(help: "A task id or unique prefix.") var task: String
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            let (t, comments) = try coord.showTask(task)
            if output.json { printJSON(t.json(comments: comments)); return }
            var lines = ["\(t.id)  \(t.title)",
                         "status:   \(t.status.rawValue)\(t.claimedBy.map { " by \($0)" } ?? "")\(t.claimedAt.map { " since \(TimeText.utc($0))" } ?? "")",
                         "priority: P\(t.priority)",
                         "created:  \(TimeText.utc(t.createdAt)) by \(t.createdBy)"]
            if let a = t.assign { lines.append("assigned: \(a)") }
            if !t.after.isEmpty { lines.append("after:    \(t.after.joined(separator: ", "))") }
            if !t.labels.isEmpty { lines.append("labels:   \(t.labels.joined(separator: ", "))") }
            if !t.desc.isEmpty { lines.append(""); lines.append(t.desc) }
            for c in comments {
                lines.append("")
                lines.append("\(c.kind == "done" ? "done note" : "comment") by \(c.author), \(TimeText.utc(c.at)):")
                lines.append("  " + c.text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  "))
            }
            say(lines.joined(separator: "\n"))
        }
    }

    struct Claim: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "claim",
            abstract: "Claim a task for this session.",
            discussion: """
                Atomic: if another session holds the task, this exits 1 and says who. Claiming a \
                task you already hold succeeds and changes nothing. With --lease, the paths are \
                leased exclusively for the task too (the lease ends when the task is done); if the \
                lease is refused, the claim is given back.

                Example: git coord board claim 4k2 --lease src/net/ --lease tests/net/
                """)

        @Argument(help: "A task id or unique prefix.") var task: String
        @Option(help: ArgumentHelp("Also lease these paths for the task (repeatable); see git coord lease.", valueName: "PATHSPEC")) var lease: [String] = []
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            if !lease.isEmpty { return try claimWithLease(coord) }
            let outcome = try coord.claim(task)
            let t = outcome.task
            for dep in try coord.openDependencies(of: t) {
                FileOutput.standardError.writeText("git coord: warning: \(t.id) waits for \(dep.id) \"\(dep.title)\", which is not done yet\n")
            }
            if output.json { printJSON(t.json()); return }
            switch outcome {
            case .claimed: say("claimed \(t.id) \"\(t.title)\"")
            case .alreadyHeld: say("\(t.id) \"\(t.title)\" is already yours")
            }
        }

        func claimWithLease(_ coord: Coord) throws {
            let (outcome, l) = try coord.claim(task, lease: lease)
            if output.json { return printJSON(.object(["task": outcome.task.json(), "lease": LeaseEntry(lease: l, status: .active).json])) }
            say("claimed \(outcome.task.id) \"\(outcome.task.title)\" and leased \(l.paths.map(\.text).joined(separator: " ")) as \(l.id)")
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Give a claimed task back to the board.",
            discussion: "Only the holder may release a task, unless --force (for a holder that is gone).")

        @Argument(help: "A task id or unique prefix.") var task: String
        @Flag(help: "Release it even though another session holds it.") var force = false
        @OptionGroup var session: SessionOptions

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let (t, released) = try coord.releaseTask(task, force: force)
            say(released ? "released \(t.id) \"\(t.title)\"" : "\(t.id) \"\(t.title)\" was not claimed: nothing to release")
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "done",
            abstract: "Mark a task done (and release its claim).",
            discussion: "Example: git coord board done 4k2 -m \"fixed in 3f2a1c0\"")

        @Argument(help: "A task id or unique prefix.") var task: String
        @Option(name: [.customShort("m"), .long], help: "A note on what was done, kept as a comment.") var message: String?
        @OptionGroup var session: SessionOptions

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let t = try coord.markDone(task, note: message)
            say("done \(t.id) \"\(t.title)\"")
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Open a done task again.")

        @Argument(help: "A task id or unique prefix.") var task: String
        @OptionGroup var session: SessionOptions

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let (t, reopened) = try coord.reopenTask(task)
            say(reopened ? "reopened \(t.id) \"\(t.title)\"" : "\(t.id) \"\(t.title)\" is open already: nothing to reopen")
        }
    }

    struct Comment: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "comment",
            abstract: "Add a comment to a task.",
            discussion: "Example: git coord board comment 4k2 -m \"fails only on the 2-core runner\"")

        @Argument(help: "A task id or unique prefix.") var task: String
        @Option(name: [.customShort("m"), .long], help: "The comment.") var message: String
        @OptionGroup var session: SessionOptions

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let c = try coord.comment(task, message)
            say("commented on \(try coord.task(task).id) (\(c.id))")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a task's title, description, priority, dependencies, labels or assignee.",
            discussion: """
                A dependency that would close a cycle is refused (exit 2) and the cycle is named.

                Examples:
                  git coord board edit 4k2 --priority 0
                  git coord board edit 4k2 --after 7zq --not-after m3p
                """)

        @Argument(help: "A task id or unique prefix.") var task: String
        @Option(help: "A new title.") var title: String?
        @Option(name: [.customShort("d"), .long], help: "A new description.") var desc: String?
        @Option(help: ArgumentHelp("0 (highest) to 4 (lowest), or P0 to P4.", valueName: "P")) var priority: String?
        @Option(help: ArgumentHelp("Also wait for this task (repeatable).", valueName: "TASK")) var after: [String] = []
        @Option(name: .customLong("not-after"), help: ArgumentHelp("Stop waiting for this task (repeatable).", valueName: "TASK")) var notAfter: [String] = []
        @Option(help: ArgumentHelp("Add a label (repeatable).", valueName: "L")) var label: [String] = []
        @Option(name: .customLong("not-label"), help: ArgumentHelp("Remove a label (repeatable).", valueName: "L")) var notLabel: [String] = []
        @Option(help: ArgumentHelp("Assign to a session.", valueName: "S")) var assign: String?
        @Flag(help: "Clear the assignee.") var unassign = false
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            if unassign && assign != nil { throw CoordError.usage("--assign and --unassign contradict each other: pass one") }
            let assignment: String?? = unassign ? .some(nil) : assign.map { .some($0) }
            let t = try coord.editTask(task, TaskEdit(title: title, desc: desc, priority: try priority.map(TaskCell.priority(parsing:)), addAfter: after, removeAfter: notAfter,
                                                      addLabels: label, removeLabels: notLabel, assign: assignment))
            if output.json { printJSON(t.json()) } else { say("edited \(t.id) \"\(t.title)\"") }
        }
    }
}

/// Prints tasks as a table (ID, priority, status, holder or assignee, title) or a JSON array.
/// Built as bytes in one buffer: `list` may print 10,000 rows.
func printTasks(_ tasks: [BoardTask], json: Bool) {
    if json { printJSON(.array(tasks.map { $0.json() })); return }
    guard !tasks.isEmpty else { say("no tasks"); return }
    let whos = tasks.map { $0.claimedBy ?? $0.assign.map { "(\($0))" } ?? "-" }
    let idWidth = max(2, tasks.map(\.id.utf8.count).max() ?? 0)
    let whoWidth = max(3, whos.map(\.utf8.count).max() ?? 0)
    var out: [UInt8] = []
    out.reserveCapacity(tasks.count * 80)
    func cell(_ s: String, _ width: Int) {
        out += s.utf8
        out += repeatElement(UInt8(ascii: " "), count: max(0, width - s.utf8.count) + 2)
    }
    cell("ID", idWidth); cell("PRI", 3); cell("STATUS", 7); cell("WHO", whoWidth)
    out += "TITLE\n".utf8
    for (t, who) in zip(tasks, whos) {
        cell(t.id, idWidth); cell("P\(t.priority)", 3); cell(t.status.rawValue, 7); cell(who, whoWidth)
        out += t.title.utf8
        if !t.labels.isEmpty { out += "  [\(t.labels.joined(separator: ","))]".utf8 }
        out.append(10)
    }
    FileOutput.standardOutput.writeText(String(decoding: out, as: UTF8.self))
}

extension GitCoordCommand {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "One timeline of coordination history across documents, newest first.",
            discussion: """
                Reads the commit chains of refs/coord/* (board, mail, sessions, state, jobs) and \
                merges them by time. Each line: time (UTC), session, operation, audit line. \
                Plain `git log refs/coord/board` reads well too.

                Examples:
                  git coord log --board --since 2h
                  git coord log --session worker-1 --limit 20
                  git coord log --since 2026-11-25T09:00 --json
                """)

        @Flag(help: "Only the task board.") var board = false
        @Option(help: ArgumentHelp("Only this session's mailbox.", valueName: "S")) var mail: String?
        @Option(name: .customLong("session"), help: ArgumentHelp("Only what this session wrote, in any document.", valueName: "S")) var writer: String?
        @Option(help: ArgumentHelp("Only since then: 30m, 2h, 3d, or a UTC date 2026-11-25[T09:00].", valueName: "WHEN")) var since: String?
        @Option(help: ArgumentHelp("At most N entries (0: all).", valueName: "N")) var limit: Int = 50
        @OptionGroup var output: JSONFlag

        func run() throws {
            let chosen = [board, mail != nil, writer != nil].filter { $0 }.count
            guard chosen <= 1 else { throw CoordError.usage("--board, --mail and --session choose one history each: pass at most one") }
            guard limit >= 0 else { throw CoordError.usage("invalid --limit \(limit): use 0 (all) or more") }
            var query = LogQuery(limit: limit)
            if board { query.scope = .board }
            if let mail { query.scope = .mail(mail) }
            if let writer { query.scope = .session(writer) }
            if let since {
                guard let t = TimeText.parseSince(since, now: Clock.nowMilliseconds()) else {
                    throw CoordError.usage("invalid --since '\(since)': use a duration (30m, 2h, 3d) or a UTC date (2026-11-25 or 2026-11-25T09:00)")
                }
                query.since = t
            }
            let coord = try Coord.open(session: nil)
            let entries = try coord.log(query)
            if output.json { printJSON(.array(entries.map(\.json))); return }
            guard !entries.isEmpty else { return }
            say(table(entries.map { [TimeText.utc($0.time), $0.session, $0.op, $0.subject] }))
        }
    }
}
