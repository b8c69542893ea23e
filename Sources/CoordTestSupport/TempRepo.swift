import GitCoord
import GitCoordStore

/// Real repositories in a temporary folder for tests: a main worktree, linked worktrees, clones
/// and bare remotes. Removed when released.
public final class TempRepo {
    /// The folder holding everything this fixture made.
    public let root: String
    /// The main work tree.
    public let path: String

    /// Creates a repository with one empty commit on `main`.
    public init(_ label: String = "repo") throws {
        let base = ProcessEnvironment.get("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        do { root = try OS.makeTemporaryDirectory(prefix: "\(base)/git-coord-test-") } catch {
            throw CoordError.data("mkdtemp failed: \(error)")
        }
        path = root + "/" + label
        try Shell.git(["init", "-q", "-b", "main", path])
        try Shell.git(["-C", path, "config", "user.email", "test@example.invalid"])
        try Shell.git(["-C", path, "config", "user.name", "Test"])
        try Shell.git(["-C", path, "commit", "-q", "--allow-empty", "-m", "init"])
    }

    deinit { Files.removeTree(root) }

    /// Adds a linked worktree on a new branch and returns its path.
    @discardableResult
    public func addWorktree(_ name: String) throws -> String {
        let wt = root + "/" + name
        try Shell.git(["-C", path, "worktree", "add", "-q", "-b", "wt-" + name, wt])
        return wt
    }

    /// Creates a bare repository beside the main one and adds it as remote `origin`.
    @discardableResult
    public func addBareRemote(_ name: String = "origin") throws -> String {
        let bare = root + "/" + name + ".git"
        try Shell.git(["init", "-q", "--bare", bare])
        try Shell.git(["-C", path, "remote", "add", name, bare])
        try Shell.git(["-C", path, "push", "-q", name, "main"])
        return bare
    }

    /// Clones `url` into a new folder beside the main one and returns its path.
    @discardableResult
    public func clone(_ url: String, as name: String) throws -> String {
        let dest = root + "/" + name
        try Shell.git(["clone", "-q", url, dest])
        try Shell.git(["-C", dest, "config", "user.email", "test@example.invalid"])
        try Shell.git(["-C", dest, "config", "user.name", "Test"])
        return dest
    }

    /// Waits (up to `seconds`) until no `git gc` that git-coord started for this repository is
    /// running. Writers start a detached `git gc --auto` now and then; it packs loose objects and
    /// then deletes them, so a `git fsck` running beside it can find a listed file gone.
    /// Returns whether none is running by then.
    @discardableResult
    public func waitForDetachedGC(seconds: Double = 120) -> Bool {
        eventually(within: seconds) {
            !Files.list("/proc").contains { pid in
                guard pid.allSatisfy(\.isNumber), let raw = Files.read("/proc/\(pid)/cmdline") else { return false }
                let args = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                return args.contains("gc") && args.contains { $0.hasPrefix("--git-dir=") && $0.contains(path) }
            }
        }
    }

    /// A store on `path` (default: the main worktree) acting as `session`.
    public func store(_ session: String? = nil, at path: String? = nil) throws -> CoordStore {
        let repo = try Repository.open(at: path ?? self.path)
        return CoordStore(repository: repo, session: session)
    }

    /// A `Coord` on `path` (default: the main worktree) acting as `session`.
    public func coord(_ session: String? = nil, at path: String? = nil) throws -> Coord {
        Coord(store: try store(session, at: path))
    }
}

/// Runs programs synchronously for tests and benchmarks (fork/exec, output captured).
public enum Shell {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `git` and throws when it fails.
    @discardableResult
    public static func git(_ args: [String], in dir: String? = nil, input: String? = nil) throws -> String {
        let r = run(["git"] + args, in: dir, input: input)
        guard r.status == 0 else { throw CoordError.data("git \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)") }
        return r.stdout
    }

    /// Runs a program, waits, and returns its status and output.
    public static func run(_ argv: [String], in dir: String? = nil, input: String? = nil, environment: [String: String] = [:]) -> Result {
        // Close-on-exec, so a program another thread starts at the same moment does not inherit
        // these ends (a stray copy of the stdin write end would keep this child from seeing EOF).
        // The dup2 into 0, 1 and 2 below clears the flag on the child's own copies.
        let none: (read: Int32, write: Int32) = (-1, -1)
        let outPipe = (try? OS.pipe()) ?? none, errPipe = (try? OS.pipe()) ?? none, inPipe = (try? OS.pipe()) ?? none
        let ends = [inPipe.read, inPipe.write, outPipe.read, outPipe.write, errPipe.read, errPipe.write]
        let options = OS.SpawnOptions(
            files: [.duplicate(inPipe.read, to: 0), .duplicate(outPipe.write, to: 1), .duplicate(errPipe.write, to: 2)] + ends.map { .close($0) },
            directory: dir, environment: Shell.childEnvironment(environment, pwd: dir), defaultSignals: Shell.defaultSignals)
        let started = try? OS.spawn(argv, options)
        OS.close(inPipe.read); OS.close(outPipe.write); OS.close(errPipe.write)
        guard let pid = started else {
            OS.close(inPipe.write); OS.close(outPipe.read); OS.close(errPipe.read)
            return Result(status: 127, stdout: "", stderr: "cannot start \(argv[0])")
        }
        if let input { Files.writeAll(inPipe.write, Array(input.utf8)) }
        OS.close(inPipe.write)
        // Drain both pipes without deadlock.
        var out: [UInt8] = [], err: [UInt8] = []
        var fds = [outPipe.read, errPipe.read]
        var open = 2
        var buf = [UInt8](repeating: 0, count: 65536)
        while open > 0 {
            let ready = (try? OS.poll(fds, timeoutMs: -1)) ?? [false, false]
            for k in 0..<2 where fds[k] >= 0 && ready[k] {
                if let n = try? OS.read(fds[k], into: &buf), n > 0 {
                    if k == 0 { out += buf[0..<n] } else { err += buf[0..<n] }
                } else {
                    OS.close(fds[k]); fds[k] = -1; open -= 1
                }
            }
        }
        let code = waitForExit(pid)
        return Result(status: code, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

/// Finds the built `git-coord` binary: `$GIT_COORD_BIN`, else beside the running test bundle.
public enum CLI {
    public static var binary: String {
        if let env = ProcessEnvironment.get("GIT_COORD_BIN"), !env.isEmpty { return env }
        return Files.parent(of: OS.executablePath ?? "") + "/git-coord"
    }

    /// Runs `git-coord ARGS` in `dir` as `session` (through GIT_COORD_SESSION when given).
    public static func run(_ args: [String], in dir: String, session: String? = nil, input: String? = nil, environment: [String: String] = [:]) -> Shell.Result {
        var env = environment
        if let session { env["GIT_COORD_SESSION"] = session }
        return Shell.run([binary] + args, in: dir, input: input, environment: env)
    }
}

extension Shell {
    /// The environment of a child: this process's, without the variables that name an agent
    /// session (a test run inside an agent must not act as that agent), then `environment` over it.
    static func childEnvironment(_ environment: [String: String], pwd: String?) -> [String] {
        let agentVariables = AgentSession.environmentVariables + [AgentSession.processVariable]
        var out = OS.environment
        out = out.filter { entry in !agentVariables.contains { entry.hasPrefix($0 + "=") } }
        if let pwd { out = out.filter { !$0.hasPrefix("PWD=") } + ["PWD=\(pwd)"] }
        for (k, v) in environment { out = out.filter { !$0.hasPrefix(k + "=") } + ["\(k)=\(v)"] }
        return out
    }

    /// The signals a child starts with default handlers for (and an empty signal mask), whatever
    /// the test runner's threads block or ignore (a child inheriting a blocked SIGTERM never dies).
    static let defaultSignals: [OS.Signal] = [.terminate, .interrupt, .hangUp, .brokenPipe, .childEnded, .quit]

    /// A started program whose output goes to files, so many can run at once without pipes.
    public struct Running {
        public let pid: Int32
        let outPath: String
        let errPath: String

        /// Waits for the program to end and returns its status and output.
        public func wait() -> Result {
            let code = Shell.waitForExit(pid)
            let out = Files.readString(outPath) ?? "", err = Files.readString(errPath) ?? ""
            Files.remove(outPath); Files.remove(errPath)
            return Result(status: code, stdout: out, stderr: err)
        }
    }

    /// Starts a program without waiting for it (see ``Running/wait()``).
    public static func start(_ argv: [String], in dir: String? = nil, input: String? = nil, environment: [String: String] = [:]) -> Running {
        let tag = "/tmp/git-coord-shell-\(OS.processID)-\(UInt32.random(in: 0...UInt32.max))"
        let outPath = tag + ".out", errPath = tag + ".err", inPath = tag + ".in"
        if let input { Files.writeAtomically(inPath, input) }
        defer { if input != nil { Files.remove(inPath) } }
        let options = OS.SpawnOptions(
            files: [.open(0, path: input == nil ? "/dev/null" : inPath, .read), .open(1, path: outPath, .truncate), .open(2, path: errPath, .truncate)],
            directory: dir, environment: Shell.childEnvironment(environment, pwd: nil), defaultSignals: Shell.defaultSignals)
        let pid = (try? OS.spawn(argv, options)) ?? -1
        return Running(pid: pid, outPath: outPath, errPath: errPath)
    }
}

extension CLI {
    /// The built `coord-bench` binary (also a helper for tests that need many writer processes).
    public static var benchBinary: String { Files.parent(of: binary) + "/coord-bench" }

    /// Starts `git-coord ARGS` in `dir` as `session` without waiting.
    public static func start(_ args: [String], in dir: String, session: String? = nil, input: String? = nil, environment: [String: String] = [:]) -> Shell.Running {
        var env = environment
        if let session { env["GIT_COORD_SESSION"] = session }
        return Shell.start([binary] + args, in: dir, input: input, environment: env)
    }
}
