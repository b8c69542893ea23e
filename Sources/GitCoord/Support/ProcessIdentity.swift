#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// boot id and the process's start time in clock ticks since boot, both from `/proc`), and a pid
/// counts as the recorded process only when both still match. Where `/proc` is missing (macOS)
/// the start is nil and the pid alone decides, as before.
public enum ProcessIdentity {
    /// This boot's id (`/proc/sys/kernel/random/boot_id`), nil where the system does not say.
    public static let bootID: String? = {
        guard let text = Files.readString("/proc/sys/kernel/random/boot_id"),
              let id = text.split(whereSeparator: \.isWhitespace).first else { return nil }
        return String(id)
    }()

    /// The start of the running process `pid` (`BOOT-ID:TICKS`), nil when it is not running or
    /// the system does not say.
    public static func start(of pid: Int32) -> String? {
        start(stat: ProcessRunner.procStat(pid))
    }

    /// The start in `/proc/PID/stat` fields from field 3 on: field 22, starttime, is index 19.
    static func start(stat fields: [Substring]?) -> String? {
        guard let boot = bootID, let fields, fields.count > 19, fields[19].allSatisfy(\.isNumber) else { return nil }
        return "\(boot):\(fields[19])"
    }

    /// What became of the process recorded as `pid` with `start` (nil: recorded by pid alone).
    public static func fate(of pid: Int32, start: String?) -> ProcessFate {
        let stat = ProcessRunner.procStat(pid)  // read once: whether it runs, and since when
        guard ProcessRunner.isAlive(pid, stat: stat) else { return .gone }
        guard let start else { return .running }
        if let boot = bootID, !start.hasPrefix(boot + ":") { return .replaced }
        guard let now = self.start(stat: stat) else { return .running }
        return now == start ? .running : .replaced
    }

    /// Whether the process recorded as `pid` with `start` still runs.
    public static func isRunning(_ pid: Int32, start: String?) -> Bool {
        fate(of: pid, start: start) == .running
    }
}
