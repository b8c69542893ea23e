#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Subprocess
import SystemPackage

/// Runs other programs: `git` for transport and housekeeping, and the commands jobs supervise.
public enum ProcessRunner {
    /// What a finished program printed and how it ended.
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs a program to its end and collects its output (at most 64 MiB of each stream).
    /// Standard input is empty, or the file `inputFile` (a file, not a pipe: a program that exits
    /// without reading it cannot make this process fail on a broken pipe).
    public static func run(_ argv: [String], in directory: String? = nil, environment: [String: String] = [:], inputFile: String? = nil) async throws -> Output {
        precondition(!argv.isEmpty)
        var env: Environment = .inherit
        if !environment.isEmpty {
            var updates: [Environment.Key: String?] = [:]
            for (k, v) in environment { updates[Environment.Key(stringLiteral: k)] = v }
            env = env.updating(updates)
        }
        if let inputFile {
            let fd = try FileDescriptor.open(FilePath(inputFile), .readOnly)
            return try await collect(argv, env, directory, input: .fileDescriptor(fd, closeAfterSpawningProcess: true))
        }
        return try await collect(argv, env, directory, input: .none)
    }

    /// One run of `argv` with `input`, its output collected.
    private static func collect(_ argv: [String], _ env: Environment, _ directory: String?, input: some InputProtocol) async throws -> Output {
        let result = try await Subprocess.run(
            .name(argv[0]), arguments: Arguments(Array(argv.dropFirst())), environment: env,
            workingDirectory: directory.map { FilePath($0) }, input: input,
            output: .string(limit: 64 << 20), error: .string(limit: 64 << 20))
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = Int32(code)
        case .signaled(let sig): status = 128 + Int32(sig)
        }
        return Output(status: status, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// Starts a program in a new session (no controlling terminal), with standard input from
    /// `/dev/null` and its output appended to `logTo`, and does not wait for it. Returns its pid,
    /// or nil when it could not be started.
    @discardableResult
    public static func spawnDetached(_ argv: [String], logTo: String, in directory: String? = nil) -> pid_t? {
        Files.makeFolders(Files.parent(of: logTo))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logTo, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let directory { _ = spawnAddChdir(&actions, directory) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(posixSpawnSetSID | POSIX_SPAWN_SETSIGMASK))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cargs.append(nil)
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attr, cargs, environ)
        return rc == 0 ? pid : nil
    }

    /// Whether a process with this pid exists on this host (zombies count as gone).
    public static func isAlive(_ pid: Int32) -> Bool {
        isAlive(pid, stat: procStat(pid))
    }

    /// `isAlive` given the process's `/proc/PID/stat` fields (``procStat(_:)``), read once.
    static func isAlive(_ pid: Int32, stat: [Substring]?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        // A zombie still answers kill(0); /proc tells it apart.
        if let state = stat?.first, state == "Z" || state == "X" { return false }
        return true
    }

    /// The fields of `/proc/PID/stat` after the command name in parentheses, from field 3 (the
    /// state) on; nil where there is no such file.
    static func procStat(_ pid: Int32) -> [Substring]? {
        guard pid > 0, let stat = Files.readString("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// This machine's host name.
    public static var hostName: String {
        var buf = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return "localhost" }
        return String(decoding: buf.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// glibc's `POSIX_SPAWN_SETSID` (spawn.h), hidden from Swift behind `_GNU_SOURCE`.
let posixSpawnSetSID: Int32 = 0x80

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), hidden from Swift behind `_GNU_SOURCE`.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
func spawnAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32
