import ArgumentParser
import GitCoord

/// `git coord`: the root command. Subcommands are listed by topic in the `Commands+*.swift` files.
struct GitCoordCommand: AsyncParsableCommand {
    // Named as typed: `git coord ...` (git runs the git-coord binary). With git as the super
    // command, usage lines and help read `git coord board claim`, and ArgumentParser does not
    // parse every command line a second time looking for its completion-script flag.
    static let configuration = CommandConfiguration(
        commandName: "coord",
        _superCommandName: "git",
        abstract: "Coordinate agent sessions through the repository: messages, a task board, sessions, jobs and state on refs/coord/*.",
        discussion: """
            git coord keeps coordination data as commits under refs/coord/ in the repository itself, \
            shared by every worktree and synced between clones with plain git fetch and push. \
            No server, no database.

            Start in each worktree with `git coord join NAME`; every later command acts as that \
            session (or as --session NAME, or $GIT_COORD_SESSION).

            Run `git coord -C PATH ...` to act on another repository, as with git -C.

            Exit status: 0 success, 1 an expected refusal or time-out, 2 bad input (nothing \
            written), 3 a fault in the repository or its data, 70 an internal error (a bug in \
            git-coord: please report it). `run` and `job wait` exit with the job's own status.
            """,
        version: GitCoordVersion.string,
        subcommands: coreCommands + mailCommands + boardCommands + sessionCommands + jobCommands + syncCommands + stateCommands + mcpCommands + leaseCommands + doctorCommands + reportCommands
    )
}

enum GitCoordVersion {
    static let string = "0.1.0"
}

@main
enum GitCoordMain {
    static func main() async {
        var args = Array(CommandLine.arguments.dropFirst())
        // git's -C PATH, before the subcommand, any number of times.
        while args.count >= 2, args[0] == "-C" {
            if (try? OS.changeDirectory(args[1])) == nil {
                fail(CoordError.usage("cannot change to '\(args[1])': no such folder"))
            }
            args.removeFirst(2)
        }
        do {
            var command = try GitCoordCommand.parseAsRoot(args)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            CommandActivity.note()
        } catch let error as CoordError {
            fail(error)
        } catch {
            let code = GitCoordCommand.exitCode(for: error)
            if code == .validationFailure {
                let text = GitCoordCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileOutput.standardError.writeText("git coord: \(text) (see git coord --help)\n")
                OS.exit(2)
            }
            // Help, --version and other clean exits. ArgumentParser spells the help footer with the
            // super command first ("git help coord board"), which would ask git for a man page;
            // the help subcommand is ours: "git coord help board".
            let text = GitCoordCommand.fullMessage(for: error).replacing("'git help coord ", with: "'git coord help ")
            if text.isEmpty {
                // An exit code thrown by a command that has already said what it had to.
            } else if code == .success {
                print(text)
            } else {
                FileOutput.standardError.write(text + "\n")
            }
            OS.exit(code.rawValue)
        }
    }

    static func fail(_ error: CoordError) -> Never {
        FileOutput.standardError.writeText("git coord: \(error.message)\n")
        OS.exit(error.exitCode)
    }
}
