import Subprocess
import SystemPackage

/// Runs other programs: `git` for transport and housekeeping, and the commands jobs supervise.
public enum ProcessRunner {
    /// `text` quoted for sh: one word, whatever it holds.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }

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
    public static func spawnDetached(_ argv: [String], logTo: String, in directory: String? = nil) -> Int32? {
        Files.makeFolders(Files.parent(of: logTo))
        let options = OS.SpawnOptions(files: [.open(0, path: "/dev/null", .read), .open(1, path: logTo, .append), .duplicate(1, to: 2)],
                                      directory: directory, newSession: true)
        return try? OS.spawn(argv, options)
    }

    /// Whether a process with this pid exists on this host (zombies count as gone).
    public static func isAlive(_ pid: Int32) -> Bool {
        isAlive(pid, state: OS.processState(pid))
    }

    /// `isAlive` given what the process table says of it (``OS/processState(_:)``), read once.
    static func isAlive(_ pid: Int32, state: ProcessState?) -> Bool {
        guard pid > 0 else { return false }
        if !OS.processExists(pid) { return false }
        // A zombie still answers kill(0); the process table tells it apart.
        if state?.isZombie == true { return false }
        return true
    }

    /// This machine's host name.
    public static var hostName: String { OS.hostName }
}
