#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
        var template = Array("\(base)/git-coord-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CoordError.data("mkdtemp failed") }
        root = String(decoding: UnsafeRawBufferPointer(start: made, count: strlen(made)), as: UTF8.self)
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
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [0, 0]
        // Close-on-exec, so a program another thread starts at the same moment does not inherit
        // these ends (a stray copy of the stdin write end would keep this child from seeing EOF).
        // The dup2 into 0, 1 and 2 below clears the flag on the child's own copies.
        _ = testPipe2(&outPipe, O_CLOEXEC); _ = testPipe2(&errPipe, O_CLOEXEC); _ = testPipe2(&inPipe, O_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argvC: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { argvC.forEach { free($0) } }
        let envStrings = Shell.childEnvironment(environment, pwd: dir)
        let envC: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer { envC.forEach { free($0) } }
        var pid: pid_t = 0
        if let dir { _ = testSpawnAddChdir(&actions, dir) }
        var attr = Shell.cleanSignals()
        defer { posix_spawnattr_destroy(&attr) }
        let rc = posix_spawnp(&pid, argvC[0]!, &actions, &attr, argvC, envC)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            return Result(status: 127, stdout: "", stderr: "cannot start \(argv[0])")
        }
        if let input { var b = Array(input.utf8); _ = write(inPipe[1], &b, b.count) }
        close(inPipe[1])
        // Drain both pipes without deadlock.
        var out: [UInt8] = [], err: [UInt8] = []
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buf = [UInt8](repeating: 0, count: 65536)
        while open > 0 {
            _ = poll(&fds, 2, -1)
            for k in 0..<2 where fds[k].fd >= 0 && fds[k].revents != 0 {
                let n = read(fds[k].fd, &buf, buf.count)
                if n > 0 { if k == 0 { out += buf[0..<n] } else { err += buf[0..<n] } } else { close(fds[k].fd); fds[k].fd = -1; open -= 1 }
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
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        let exe = n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return Files.parent(of: exe) + "/git-coord"
    }

    /// Runs `git-coord ARGS` in `dir` as `session` (through GIT_COORD_SESSION when given).
    public static func run(_ args: [String], in dir: String, session: String? = nil, input: String? = nil, environment: [String: String] = [:]) -> Shell.Result {
        var env = environment
        if let session { env["GIT_COORD_SESSION"] = session }
        return Shell.run([binary] + args, in: dir, input: input, environment: env)
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), hidden from Swift behind `_GNU_SOURCE`.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
func testSpawnAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

extension Shell {
    /// The environment of a child: this process's, without the variables that name an agent
    /// session (a test run inside an agent must not act as that agent), then `environment` over it.
    static func childEnvironment(_ environment: [String: String], pwd: String?) -> [String] {
        let agentVariables = AgentSession.environmentVariables + [AgentSession.processVariable]
        var out: [String] = []
        var i = 0
        while let e = environ[i] { out.append(String(cString: e)); i += 1 }
        out = out.filter { entry in !agentVariables.contains { entry.hasPrefix($0 + "=") } }
        if let pwd { out = out.filter { !$0.hasPrefix("PWD=") } + ["PWD=\(pwd)"] }
        for (k, v) in environment { out = out.filter { !$0.hasPrefix(k + "=") } + ["\(k)=\(v)"] }
        return out
    }

    /// Spawn attributes giving the child an empty signal mask and default handlers, whatever the
    /// test runner's threads block or ignore (a child inheriting a blocked SIGTERM never dies).
    static func cleanSignals() -> posix_spawnattr_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return attr
    }

    /// A started program whose output goes to files, so many can run at once without pipes.
    public struct Running {
        public let pid: pid_t
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
        let tag = "/tmp/git-coord-shell-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let outPath = tag + ".out", errPath = tag + ".err", inPath = tag + ".in"
        if let input { Files.writeAtomically(inPath, input) }
        defer { if input != nil { Files.remove(inPath) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input == nil ? "/dev/null" : inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let dir { _ = testSpawnAddChdir(&actions, dir) }
        let argvC: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { argvC.forEach { free($0) } }
        let envStrings = Shell.childEnvironment(environment, pwd: nil)
        let envC: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer { envC.forEach { free($0) } }
        var pid: pid_t = 0
        var attr = Shell.cleanSignals()
        defer { posix_spawnattr_destroy(&attr) }
        if posix_spawnp(&pid, argvC[0]!, &actions, &attr, argvC, envC) != 0 { pid = -1 }
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

/// glibc's `pipe2`, hidden from Swift behind `_GNU_SOURCE`.
@_silgen_name("pipe2")
func testPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
