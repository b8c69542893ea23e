import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let doctorCommands: [any ParsableCommand.Type] = [Doctor.self]

    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check the setup and the data, and say how to mend what is wrong.",
            discussion: """
                Checks libgit2, the fetch refspec of coord.remote, this worktree's session, the \
                agent hooks, the ref watcher, every ref under refs/coord/ (foreign commits, \
                missing objects, unreadable or newer formats), the peers' copies under \
                refs/coord-remotes/, sends of this session that did not reach every recipient, \
                stale ref locks, and growth: loose objects, packs, and \
                whether git's automatic cleanup still runs (gc.log, gc.cruftPacks). One line \
                per finding, with its mend.

                --fix mends what is safe: a foreign ref is moved to refs/coord-aside/... (never \
                deleted), a history-less document whose commit is missing (a beat, read marks) \
                is dropped for its next write to rebuild, an unfinished send is delivered from \
                the sender's note (no second copy), stale locks are removed, the fetch \
                refspec is added, gc.cruftPacks is turned on and a blocked cleanup is restarted.

                Exit status: 0 when nothing is a problem (warnings allowed), 1 when a problem \
                remains.

                Examples:
                  git coord doctor
                  git coord doctor --fix
                  git coord doctor --json
                """)

        @Flag(help: "Mend what is safe to mend.") var fix = false
        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let coord = try session.open()
            let findings = coord.doctor(fix: fix)
            let open = findings.filter(\.isOpenProblem)
            if output.json {
                printJSON(.object(["schema": 1, "findings": .array(findings.map(\.json)), "problems": .int(Int64(open.count))]))
            } else {
                for f in findings {
                    var line = "\(f.level.rawValue.padding(toLength: 7)) \(f.check.padding(toLength: 8)) \(f.text)"
                    if f.fixed { line += " (fixed)" } else if let mend = f.mend, f.level != .ok { line += " -> \(mend)" }
                    say(line)
                }
            }
            if !open.isEmpty { throw ExitCode(1) }
        }
    }
}
