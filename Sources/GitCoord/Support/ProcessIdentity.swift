/// What became of a process recorded by pid.
public enum ProcessFate: Sendable, Equatable {
    /// The recorded process is still running.
    case running
    /// No process has that pid (or only a zombie does).
    case gone
    /// A process has that pid, but it is another one: the recorded process ended and the kernel
    /// gave its pid to a later process, or the machine restarted since.
    case replaced
}

/// Names one process across pid reuse and restarts: the boot it ran in and when it started.
///
/// A pid alone names a process only while it runs; afterwards the kernel hands it to the next
/// process, and a session or job judged by its pid would read alive for as long as that stranger
/// runs. git-coord therefore records beside each pid its *start*, `BOOT-ID:TICKS` (the kernel's
/// boot id and the process's start time: on Linux clock ticks since boot, both from `/proc`; on
/// macOS `kern.bootsessionuuid` and microseconds since 1970 from `proc_pidinfo`, see
/// ``ProcessState``), and a pid counts as the recorded process only when both still match. Where
/// the system says neither, the start is nil and the pid alone decides, as before.
public enum ProcessIdentity {
    /// This boot's id (``OS/bootID``), nil where the system does not say.
    public static var bootID: String? { OS.bootID }

    /// The start of the running process `pid` (`BOOT-ID:TICKS`), nil when it is not running or
    /// the system does not say.
    public static func start(of pid: Int32) -> String? {
        start(state: OS.processState(pid))
    }

    /// The start of the process the process table describes as `state`.
    static func start(state: ProcessState?) -> String? {
        guard let boot = bootID, let ticks = state?.start else { return nil }
        return "\(boot):\(ticks)"
    }

    /// What became of the process recorded as `pid` with `start` (nil: recorded by pid alone).
    public static func fate(of pid: Int32, start: String?) -> ProcessFate {
        let state = OS.processState(pid)  // read once: whether it runs, and since when
        guard ProcessRunner.isAlive(pid, state: state) else { return .gone }
        guard let start else { return .running }
        if let boot = bootID, !start.hasPrefix(boot + ":") { return .replaced }
        guard let now = self.start(state: state) else { return .running }
        return now == start ? .running : .replaced
    }

    /// Whether the process recorded as `pid` with `start` still runs.
    public static func isRunning(_ pid: Int32, start: String?) -> Bool {
        fate(of: pid, start: start) == .running
    }
}
