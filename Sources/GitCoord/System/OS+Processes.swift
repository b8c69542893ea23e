#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension OS {
    /// A signal, by its number on this system.
    public struct Signal: Sendable, Hashable {
        public let rawValue: Int32

        /// `SIGTERM`: please end.
        public static let terminate = Signal(rawValue: SIGTERM)
        /// `SIGINT`: a terminal's Ctrl-C.
        public static let interrupt = Signal(rawValue: SIGINT)
        /// `SIGQUIT`: a terminal's Ctrl-\.
        public static let quit = Signal(rawValue: SIGQUIT)
        /// `SIGHUP`: the terminal went away.
        public static let hangUp = Signal(rawValue: SIGHUP)
        /// `SIGPIPE`: a write to a pipe nobody reads.
        public static let brokenPipe = Signal(rawValue: SIGPIPE)
        /// `SIGCHLD`: a child ended.
        public static let childEnded = Signal(rawValue: SIGCHLD)
        /// `SIGKILL`: end now, no handler runs.
        public static let kill = Signal(rawValue: SIGKILL)
    }

    /// How a waited-for process ended.
    public enum ExitStatus: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)

        /// The status a shell gives: the exit code, or 128 + the signal's number.
        public var code: Int32 {
            switch self {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        }

        /// Decodes `waitpid`'s status word.
        init(waitStatus st: Int32) {
            self = st & 0x7f == 0 ? .exited((st >> 8) & 0xff) : .signaled(st & 0x7f)
        }
    }

    /// This process's id.
    ///
    /// The corresponding C function is `getpid`.
    public static var processID: Int32 { getpid() }

    /// Whether a process with this id exists on this host (a zombie does; one this process may
    /// not signal does too).
    ///
    /// The corresponding C function is `kill` with signal 0.
    public static func processExists(_ pid: Int32) -> Bool {
        !(kill(pid, 0) != 0 && errno == ESRCH)
    }

    /// Sends `signal` to the process `pid`.
    ///
    /// The corresponding C function is `kill`.
    public static func send(_ signal: Signal, to pid: Int32) throws(SystemError) {
        guard kill(pid, signal.rawValue) == 0 else { throw SystemError.last("signal process \(pid)") }
    }

    /// Waits for the child `pid` to end (`blocking`), or only looks; nil while it runs.
    ///
    /// The corresponding C function is `waitpid`.
    public static func wait(for pid: Int32, blocking: Bool) throws(SystemError) -> ExitStatus? {
        var st: Int32 = 0
        while true {
            let r = waitpid(pid, &st, blocking ? 0 : WNOHANG)
            if r == pid { return ExitStatus(waitStatus: st) }
            if r == 0 { return nil }
            if errno == EINTR { continue }
            throw SystemError.last("wait for process \(pid)")
        }
    }

    /// Ends this process with `status`, after flushing what `print` buffered.
    ///
    /// The corresponding C function is `exit`.
    public static func exit(_ status: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Darwin)
        Darwin.exit(status)
        #endif
    }

    /// Runs `argv[0]` (a path) in place of this process; returns only by throwing.
    ///
    /// The corresponding C function is `execv`.
    public static func replaceProcess(with argv: [String]) throws(SystemError) -> Never {
        let cArguments = argv.map { strdup($0) } + [nil]
        execv(argv[0], cArguments)
        let error = SystemError.last("start", path: argv[0])
        cArguments.forEach { free($0) }
        throw error
    }

    /// Makes the signal `sig` end this process at once with status 0 (no cleanup, no buffers flushed).
    ///
    /// The corresponding C functions are `signal` and `_exit`.
    public static func exitSilently(on sig: Signal) {
        _ = signal(sig.rawValue) { _ in _exit(0) }
    }

    /// Makes this process ignore the signal `sig`.
    ///
    /// The corresponding C function is `signal`.
    public static func ignore(_ sig: Signal) {
        _ = signal(sig.rawValue, SIG_IGN)
    }

    /// The process that signals given to ``forward(_:)`` go to; 0: none (they are dropped).
    nonisolated(unsafe) static var signalTarget: Int32 = 0

    /// Passes each of `signals` this process receives on to ``signalTarget``.
    ///
    /// The corresponding C functions are `signal` and `kill`.
    static func forward(_ signals: [Signal]) {
        for s in signals {
            _ = signal(s.rawValue) { sig in
                let pid = OS.signalTarget
                if pid > 0 { kill(pid, sig) }
            }
        }
    }

    /// This machine's host name; `localhost` when the system does not say.
    ///
    /// The corresponding C function is `gethostname`.
    static var hostName: String {
        var buffer = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The value of an environment variable of this process.
    ///
    /// The corresponding C function is `getenv`.
    static func environmentVariable(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }

    /// This process's environment, as `NAME=value` entries.
    ///
    /// The corresponding C variable is `environ`.
    public static var environment: [String] {
        var out: [String] = []
        let entries = cEnvironment
        var i = 0
        while let e = entries[i] {
            out.append(String(cString: e))
            i += 1
        }
        return out
    }

    /// Who ``cpuMilliseconds(_:)`` counts.
    public enum CPUAccount: Sendable {
        /// This process.
        case thisProcess
        /// The children this process has waited for.
        case waitedChildren
    }

    /// CPU time used (user + system), in milliseconds.
    ///
    /// The corresponding C function is `getrusage`.
    public static func cpuMilliseconds(_ account: CPUAccount) -> Double {
        var u = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(account == .thisProcess ? RUSAGE_SELF.rawValue : RUSAGE_CHILDREN.rawValue), &u)
        #else
        getrusage(account == .thisProcess ? RUSAGE_SELF : RUSAGE_CHILDREN, &u)
        #endif
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000
    }

    /// The C library's `environ`: this process's environment as C strings, ending with nil.
    static var cEnvironment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        #if os(macOS)
        return _NSGetEnviron().pointee
        #else
        return environ
        #endif
    }
}

#if os(macOS)
/// `environ` on macOS, where the C headers give it only through `_NSGetEnviron()`.
@_silgen_name("_NSGetEnviron")
private func _NSGetEnviron() -> UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
#endif
