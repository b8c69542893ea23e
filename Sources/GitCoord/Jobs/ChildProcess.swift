#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command a supervisor started, with its stdout and stderr on pipes.
final class ChildProcess {
    enum Status: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    struct SpawnError: Error {
        let reason: String
    }

    let pid: pid_t
    private var out: Int32
    private var err: Int32

    private init(pid: pid_t, out: Int32, err: Int32) {
        self.pid = pid
        self.out = out
        self.err = err
    }

    /// Starts `argv` (searched in PATH) with default signal handling, the supervisor's environment
    /// plus `environment`, and standard input inherited or from `/dev/null`.
    static func spawn(_ argv: [String], environment: [String: String], stdinNull: Bool) throws(SpawnError) -> ChildProcess {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0 else { throw SpawnError(reason: "cannot make a pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw SpawnError(reason: "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdinNull { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var env: [String] = []
        var i = 0
        while let e = environ[i] {
            let s = String(cString: e)
            if !environment.keys.contains(where: { s.hasPrefix($0 + "=") }) { env.append(s) }
            i += 1
        }
        for (k, v) in environment { env.append("\(k)=\(v)") }
        let cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cenv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) }; cenv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attr, cargs, cenv)
        close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            let why = rc == ENOENT ? "command not found" : String(cString: strerror(rc))
            throw SpawnError(reason: why)
        }
        return ChildProcess(pid: pid, out: outPipe[0], err: errPipe[0])
    }

    /// Copies the child's output into `sink` until it ends, calling `onTick` every `tick` ms,
    /// and returns how it ended. Output still buffered in the pipes when it ends is drained;
    /// a grandchild that keeps the pipes open does not hold the supervisor.
    func pump(into sink: LogSink, tick: Int64, onTick: () -> Void) -> Status {
        let watch = ProcessWatch(pid)
        var fds = [pollfd(fd: out, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: err, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: watch.fd, events: Int16(POLLIN), revents: 0)]
        var buf = [UInt8](repeating: 0, count: 65536)
        var nextTick = Clock.monotonicNanoseconds() + UInt64(tick) * 1_000_000
        var status: Status?
        while status == nil {
            let now = Clock.monotonicNanoseconds()
            let untilTick = now >= nextTick ? 0 : Int64((nextTick - now) / 1_000_000) + 1
            let wait = watch.isEventDriven ? untilTick : min(untilTick, 20)
            _ = poll(&fds, nfds_t(fds.count), Int32(min(wait, 1000)))
            for k in 0..<2 where fds[k].fd >= 0 && fds[k].revents != 0 {
                let n = buf.withUnsafeMutableBytes { read(fds[k].fd, $0.baseAddress, $0.count) }
                if n > 0 { sink.write(Array(buf[0..<n]), stderr: k == 1) }
                else if n == 0 || (errno != EINTR && errno != EAGAIN) { close(fds[k].fd); fds[k].fd = -1 }
            }
            status = reap(block: false)
            if Clock.monotonicNanoseconds() >= nextTick {
                onTick()
                nextTick = Clock.monotonicNanoseconds() + UInt64(tick) * 1_000_000
            }
        }
        // Drain what is already in the pipes, without waiting for grandchildren.
        for k in 0..<2 where fds[k].fd >= 0 {
            _ = fcntl(fds[k].fd, F_SETFL, fcntl(fds[k].fd, F_GETFL) | O_NONBLOCK)
            while true {
                let n = buf.withUnsafeMutableBytes { read(fds[k].fd, $0.baseAddress, $0.count) }
                if n > 0 { sink.write(Array(buf[0..<n]), stderr: k == 1) } else if n < 0 && errno == EINTR { continue } else { break }
            }
            close(fds[k].fd)
        }
        out = -1; err = -1
        sink.close()
        return status ?? .exited(0)
    }

    private func reap(block: Bool) -> Status? {
        var st: Int32 = 0
        while true {
            let r = waitpid(pid, &st, block ? 0 : WNOHANG)
            if r == pid { break }
            if r < 0 && errno == EINTR { continue }
            return nil
        }
        if st & 0x7f == 0 { return .exited((st >> 8) & 0xff) }
        return .signaled(st & 0x7f)
    }

    deinit {
        if out >= 0 { close(out) }
        if err >= 0 { close(err) }
    }
}

/// Where a job's output goes: the log (both streams), the stderr file (for the tail) and, when
/// the caller waits for the job, the caller's own stdout and stderr.
final class LogSink {
    private let log: Int32
    private let errLog: Int32
    private let passthrough: Bool

    init(log: String, stderr: String, passthrough: Bool) {
        Files.makeFolders(Files.parent(of: log))
        self.log = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        errLog = open(stderr, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        self.passthrough = passthrough
    }

    func write(_ bytes: [UInt8], stderr: Bool) {
        LogSink.writeAll(log, bytes)
        if stderr { LogSink.writeAll(errLog, bytes) }
        if passthrough { LogSink.writeAll(stderr ? 2 : 1, bytes) }
    }

    func close() {
        if log >= 0 { _ = Glibc.close(log) }
        if errLog >= 0 { _ = Glibc.close(errLog) }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            off += n
        }
    }
}

/// The last lines of a job's stderr, read from the end of its stderr file.
enum StderrTail {
    static let maxBytes = 64 * 1024

    static func read(_ path: String, lines: Int) -> String {
        guard lines > 0 else { return "" }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        let start = max(0, Int(size) - maxBytes)
        var buf = [UInt8](repeating: 0, count: Int(size) - start)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard n > 0 else { return "" }
        var text = Array(buf[0..<n])
        while text.last == 0x0a { text.removeLast() }
        var parts = text.split(separator: 0x0a, omittingEmptySubsequences: false)
        if start > 0, parts.count > 1 { parts.removeFirst() }  // a cut line
        return parts.suffix(lines).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }
}

/// Signals in a supervisor: a terminal's Ctrl-C reaches the whole foreground group, so the
/// supervisor ignores it and lets the child's end decide; TERM and HUP sent to the supervisor
/// are passed on to the child, whose end is then recorded.
enum SupervisorSignals {
    nonisolated(unsafe) static var child: pid_t = 0

    static func install(passthrough: Bool) {
        signal(SIGPIPE, SIG_IGN)
        let forward: @convention(c) (Int32) -> Void = { sig in
            let pid = SupervisorSignals.child
            if pid > 0 { kill(pid, sig) }
        }
        signal(SIGTERM, forward)
        signal(SIGHUP, forward)
        if passthrough {
            signal(SIGINT, SIG_IGN)
            signal(SIGQUIT, SIG_IGN)
        } else {
            signal(SIGINT, forward)
        }
    }

    static func forwardTo(_ pid: pid_t) { child = pid }
}

/// The local, unsynced list of jobs supervised on this host: one file per running job naming its
/// session, supervisor pid and the supervisor's start (``ProcessIdentity``). ``Coord/reapLostJobs()`` reads this short list, so noticing a
/// vanished supervisor costs a directory read, not a scan of every job.
struct RunningIndex {
    let folder: String
    var path: String { Files.join(folder, "running") }

    func add(_ id: String, session: String, supervisorPid: pid_t) {
        let start = ProcessIdentity.start(of: supervisorPid) ?? ""
        Files.writeAtomically(Files.join(path, id), "\(session)\n\(supervisorPid)\n\(start)\n")
    }

    func remove(_ id: String) { Files.remove(Files.join(path, id)) }

    struct Entry {
        var id: String
        var session: String
        var supervisorPid: Int32
        /// nil in entries written before starts were recorded, or where the system does not say.
        var supervisorStart: String?
    }

    /// Every entry.
    func entries() -> [Entry] {
        Files.list(path).compactMap { id in
            guard !id.contains(".tmp."), let text = Files.readString(Files.join(path, id)) else { return nil }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard lines.count >= 2, SessionName.isValid(lines[0]), let pid = Int32(lines[1]) else { return nil }
            let start = lines.count >= 3 && !lines[2].isEmpty ? lines[2] : nil
            return Entry(id: id, session: lines[0], supervisorPid: pid, supervisorStart: start)
        }
    }
}
