#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// Starts programs together without waiting for each, then collects them: for races.
enum Racers {
    struct Finished {
        let status: Int32
        let stderr: String
    }

    /// Starts every argv at once (stdout to /dev/null, stderr to a file each) and waits for all.
    static func run(_ argvs: [[String]], in dir: String, environments: [[String: String]]) -> [Finished] {
        var pids: [pid_t] = []
        var logs: [String] = []
        for (i, argv) in argvs.enumerated() {
            let log = "\(dir)/.racer-\(i).err"
            logs.append(log)
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            var env: [String] = []
            var k = 0
            while let e = environ[k] { env.append(String(cString: e)); k += 1 }
            for (key, v) in environments[i] { env = env.filter { !$0.hasPrefix(key + "=") } + ["\(key)=\(v)"] }
            let argvC: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
            let envC: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
            var pid: pid_t = 0
            let rc = posix_spawn(&pid, argv[0], &actions, nil, argvC, envC)
            argvC.forEach { free($0) }
            envC.forEach { free($0) }
            pids.append(rc == 0 ? pid : -1)
        }
        var out: [Finished] = []
        for (i, pid) in pids.enumerated() {
            var status: Int32 = 0
            guard pid > 0 else { out.append(Finished(status: 127, stderr: "cannot start")); continue }
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            out.append(Finished(status: code, stderr: Files.readString(logs[i]) ?? ""))
            Files.remove(logs[i])
        }
        return out
    }
}

@Suite struct BoardCLITests {
    func boardTip(_ repo: TempRepo) throws -> ObjectID? { try repo.store().tip(.board) }

    /// A repository where the sessions these tests write as have joined (writes by a session
    /// that never joined are refused).
    func joinedRepo(_ names: [String] = ["coordinator", "worker-1"]) throws -> TempRepo {
        let repo = try TempRepo()
        for n in names { try repo.coord(n).join(n, role: nil) }
        return repo
    }

    func add(_ repo: TempRepo, _ args: [String]) throws -> String {
        let r = CLI.run(["board", "add"] + args, in: repo.path, session: "coordinator")
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters()
    }

    /// The issue's acceptance rule: 8 processes claim one task at once, 20 times over; each time
    /// exactly one wins and the seven others exit 1 naming the winner.
    @Test func eightProcessesRacingForOneTaskYieldExactlyOneWinnerEveryTime() throws {
        let repo = try joinedRepo(["coordinator"] + (0..<8).map { "worker-\($0)" })
        for round in 0..<20 {
            let id = try add(repo, ["race \(round)"])
            let results = Racers.run(
                (0..<8).map { _ in [CLI.binary, "-C", repo.path, "board", "claim", id] }, in: repo.root,
                environments: (0..<8).map { ["GIT_COORD_SESSION": "worker-\($0)"] })
            let winners = results.indices.filter { results[$0].status == 0 }
            #expect(winners.count == 1, "round \(round): \(results.map { "\($0.status) \($0.stderr)" })")
            guard winners.count == 1 else { continue }
            let winner = "worker-\(winners[0])"
            for (i, r) in results.enumerated() where i != winners[0] {
                #expect(r.status == 1 && r.stderr.contains("\(id) is claimed by \(winner)"), "\(r.stderr)")
            }
            let shown = CLI.run(["board", "show", id, "--json"], in: repo.path)
            let json = try JSONValue.parse(shown.stdout.trimmingCharacters())
            #expect(json["claimedBy"]?.stringValue == winner)
        }
        // One commit per claim won: the losers wrote nothing.
        let claims = try Shell.git(["-C", repo.path, "log", "--format=%s", "refs/coord/board"]).split(separator: "\n").filter { $0.hasPrefix("board: claim") }
        #expect(claims.count == 20)
    }

    @Test func badInputIsOneLineExitTwoAndTheBoardRefDoesNotMove() throws {
        let repo = try joinedRepo()
        let a = try add(repo, ["a"])
        let b = try add(repo, ["b", "--after", a])
        let tip = try boardTip(repo)
        let cases: [([String], String)] = [
            (["board", "claim", "T-999999"], "no task matches"),
            (["board", "claim", "T-4k!"], "not a task id"),
            (["board", "add", "x", "--priority", "7"], "invalid priority '7'"),
            (["board", "add", "x", "--priority", "high"], "priority"),
            (["board", "add", "x", "--after", "T-999999"], "no task matches"),
            (["board", "edit", a, "--after", b], "\(a) → \(b) → \(a)"),
            (["board", "edit", a, "--priority=-1"], "invalid priority '-1'"),
            (["board", "list", "--status", "finished"], "invalid status"),
            (["board", "comment", a, "-m", " "], "comment is empty"),
            (["log", "--since", "yesterday"], "invalid --since"),
            (["log", "--board", "--mail", "worker-1"], "at most one"),
        ]
        for (args, text) in cases {
            let r = CLI.run(args, in: repo.path, session: "worker-1")
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(text), "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("git coord: ") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(try boardTip(repo) == tip, "\(args) moved the board")
        }
    }

    @Test func ambiguousPrefixOnTheCommandLineListsCandidates() throws {
        let repo = try joinedRepo()
        let coord = try repo.coord("coordinator")
        let tasks = try coord.addTasks((0..<33).map { TaskDraft(title: "t\($0)") })
        let groups = Dictionary(grouping: tasks.map(\.id), by: { $0.dropFirst(2).prefix(1) })
        let (first, ids) = try #require(groups.first { $0.value.count > 1 })
        let tip = try boardTip(repo)
        let r = CLI.run(["board", "claim", String(first)], in: repo.path, session: "worker-1")
        #expect(r.status == 2 && r.stderr.contains("ambiguous"))
        for id in ids { #expect(r.stderr.contains(id)) }
        #expect(try boardTip(repo) == tip)
    }

    @Test func showJSONListJSONAndLogReadTheBoard() throws {
        let repo = try joinedRepo()
        let a = try add(repo, ["a", "--priority", "1", "--label", "ci"])
        let b = try add(repo, ["b", "--after", a, "-d", "details"])
        #expect(CLI.run(["board", "claim", a], in: repo.path, session: "worker-1").status == 0)
        #expect(CLI.run(["board", "comment", b, "-m", "note"], in: repo.path, session: "worker-1").status == 0)
        let show = try JSONValue.parse(CLI.run(["board", "show", String(b.dropFirst(2).prefix(4)), "--json"], in: repo.path).stdout.trimmingCharacters())
        for key in ["id", "title", "status", "priority", "claimedBy", "after", "labels", "comments"] {
            #expect(show[key] != nil, "show --json lacks \(key)")
        }
        #expect(show["after"] == .array([.string(a)]) && show["comments"]?.arrayValue?.count == 1)
        let mine = try JSONValue.parse(CLI.run(["board", "list", "--mine", "--json"], in: repo.path, session: "worker-1").stdout.trimmingCharacters())
        #expect(mine.arrayValue?.compactMap { $0["id"]?.stringValue } == [a])
        let ready = CLI.run(["board", "ready"], in: repo.path)
        #expect(ready.stdout.contains("no tasks"))
        #expect(CLI.run(["board", "done", a, "-m", "fixed"], in: repo.path, session: "worker-1").status == 0)
        #expect(CLI.run(["board", "ready"], in: repo.path).stdout.contains(b))
        #expect(!CLI.run(["board", "list"], in: repo.path).stdout.contains(a))
        let log = CLI.run(["log", "--board"], in: repo.path).stdout.split(separator: "\n")
        #expect(log.count == 5)
        #expect(log.first?.contains("board.done") == true && log.first?.contains("board: done \(a) \"a\" by worker-1") == true)
        let plain = try Shell.git(["-C", repo.path, "log", "-1", "--format=%s%n%(trailers:key=Coord-Task,valueonly)", "refs/coord/board"])
        #expect(plain.hasPrefix("board: done \(a) \"a\" by worker-1\n\(a)"))
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let c = s.last, c == "\n" || c == " " { s = s.dropLast() }
        return String(s)
    }
}
