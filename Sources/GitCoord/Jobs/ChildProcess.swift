/// A command a supervisor started, with its stdout and stderr on pipes.
final class ChildProcess {
    enum Status: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    struct SpawnError: Error {
        let reason: String
    }

    let pid: Int32
    private var out: Int32
    private var err: Int32

    private init(pid: Int32, out: Int32, err: Int32) {
        self.pid = pid
        self.out = out
        self.err = err
    }

    /// Starts `argv` (searched in PATH) with default signal handling, the supervisor's environment
    /// plus `environment`, and standard input inherited or from `/dev/null`.
    static func spawn(_ argv: [String], environment: [String: String], stdinNull: Bool) throws(SpawnError) -> ChildProcess {
        let outPipe: (read: Int32, write: Int32), errPipe: (read: Int32, write: Int32)
        do { outPipe = try OS.pipe() } catch { throw SpawnError(reason: "cannot make a pipe: \(error.errno)") }
        do { errPipe = try OS.pipe() } catch {
            OS.close(outPipe.read); OS.close(outPipe.write)
            throw SpawnError(reason: "cannot make a pipe: \(error.errno)")
        }
        var env = OS.environment.filter { s in !environment.keys.contains(where: { s.hasPrefix($0 + "=") }) }
        for (k, v) in environment { env.append("\(k)=\(v)") }
        let options = OS.SpawnOptions(
            files: (stdinNull ? [.open(0, path: "/dev/null", .read)] : []) + [.duplicate(outPipe.write, to: 1), .duplicate(errPipe.write, to: 2)],
            environment: env, defaultSignals: [.interrupt, .quit, .terminate, .hangUp, .brokenPipe, .childEnded])
        defer { OS.close(outPipe.write); OS.close(errPipe.write) }
        do {
            return ChildProcess(pid: try OS.spawn(argv, options), out: outPipe.read, err: errPipe.read)
        } catch {
            OS.close(outPipe.read); OS.close(errPipe.read)
            throw SpawnError(reason: error.errno == .noSuchFileOrDirectory ? "command not found" : "\(error.errno)")
        }
    }

    /// Copies the child's output into `sink` until it ends, calling `onTick` every `tick` ms,
    /// and returns how it ended. Output still buffered in the pipes when it ends is drained;
    /// a grandchild that keeps the pipes open does not hold the supervisor.
    func pump(into sink: LogSink, tick: Int64, onTick: () -> Void) -> Status {
        let watch = ProcessWatch(pid)
        var fds = [out, err, watch.fd]
        var buf = [UInt8](repeating: 0, count: 65536)
        var nextTick = Clock.monotonicNanoseconds() + UInt64(tick) * 1_000_000
        var status: Status?
        while status == nil {
            let now = Clock.monotonicNanoseconds()
            let untilTick = now >= nextTick ? 0 : Int64((nextTick - now) / 1_000_000) + 1
            let wait = watch.isEventDriven ? untilTick : min(untilTick, 20)
            let ready = (try? OS.poll(fds, timeoutMs: Int32(min(wait, 1000)))) ?? fds.map { _ in false }
            for k in 0..<2 where fds[k] >= 0 && ready[k] {
                do {
                    let n = try OS.read(fds[k], into: &buf)
                    if n > 0 { sink.write(Array(buf[0..<n]), stderr: k == 1) } else { OS.close(fds[k]); fds[k] = -1 }
                } catch where error.errno == .resourceTemporarilyUnavailable {
                    // Nothing there after all: wait again.
                } catch {
                    OS.close(fds[k]); fds[k] = -1
                }
            }
            status = reap(block: false)
            if Clock.monotonicNanoseconds() >= nextTick {
                onTick()
                nextTick = Clock.monotonicNanoseconds() + UInt64(tick) * 1_000_000
            }
        }
        // Drain what is already in the pipes, without waiting for grandchildren.
        for k in 0..<2 where fds[k] >= 0 {
            OS.setNonBlocking(fds[k])
            while let n = try? OS.read(fds[k], into: &buf), n > 0 { sink.write(Array(buf[0..<n]), stderr: k == 1) }
            OS.close(fds[k])
        }
        out = -1; err = -1
        sink.close()
        return status ?? .exited(0)
    }

    private func reap(block: Bool) -> Status? {
        switch try? OS.wait(for: pid, blocking: block) {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        case nil: return nil
        }
    }

    deinit {
        if out >= 0 { OS.close(out) }
        if err >= 0 { OS.close(err) }
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
        self.log = (try? OS.open(log, .writeOnly, [.create, .append])) ?? -1
        errLog = (try? OS.open(stderr, .writeOnly, [.create, .append])) ?? -1
        self.passthrough = passthrough
    }

    func write(_ bytes: [UInt8], stderr: Bool) {
        // A log that could not be opened (-1) takes nothing: the write fails with EBADF.
        _ = Files.writeAll(log, bytes)
        if stderr { _ = Files.writeAll(errLog, bytes) }
        if passthrough { _ = Files.writeAll(stderr ? 2 : 1, bytes) }
    }

    func close() {
        if log >= 0 { OS.close(log) }
        if errLog >= 0 { OS.close(errLog) }
    }
}

/// The last lines of a job's stderr, read from the end of its stderr file.
enum StderrTail {
    static let maxBytes = 64 * 1024

    static func read(_ path: String, lines: Int) -> String {
        guard lines > 0 else { return "" }
        guard let fd = try? OS.open(path, .readOnly) else { return "" }
        defer { OS.close(fd) }
        let size = (try? OS.seekToEnd(fd)) ?? -1
        let start = max(0, Int(size) - maxBytes)
        var buf = [UInt8](repeating: 0, count: max(0, Int(size) - start))
        guard let n = try? OS.read(fd, into: &buf, at: Int64(start)), n > 0 else { return "" }
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
    static func install(passthrough: Bool) {
        OS.ignore(.brokenPipe)
        OS.forward([.terminate, .hangUp])
        if passthrough {
            OS.ignore(.interrupt)
            OS.ignore(.quit)
        } else {
            OS.forward([.interrupt])
        }
    }

    static func forwardTo(_ pid: Int32) { OS.signalTarget = pid }
}

/// The local, unsynced list of jobs supervised on this host: one file per running job naming its
/// session, supervisor pid and the supervisor's start (``ProcessIdentity``). ``Coord/reapLostJobs()`` reads this short list, so noticing a
/// vanished supervisor costs a directory read, not a scan of every job.
struct RunningIndex {
    let folder: String
    var path: String { Files.join(folder, "running") }

    func add(_ id: String, session: String, supervisorPid: Int32) {
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
