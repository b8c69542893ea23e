/// Waits for a process (not necessarily a child) to end.
///
/// On Linux 5.3 and later a pidfd becomes readable the moment the process exits, so `poll` wakes
/// within milliseconds and costs nothing while it waits. Elsewhere (or when `pidfd_open` is
/// missing from the C library) the process is checked every 20 ms.
public final class ProcessWatch {
    public let pid: Int32
    /// The pidfd, or -1 when polling.
    let fd: Int32

    public init(_ pid: Int32) {
        self.pid = pid
        fd = OS.openExitDescriptor(pid)
    }

    deinit { if fd >= 0 { OS.close(fd) } }

    /// Whether the watch is a pidfd (event-driven) rather than a short poll.
    public var isEventDriven: Bool { fd >= 0 }

    /// Waits at most `timeoutMilliseconds` (negative: forever) for the process to end; true when it has.
    public func waitForExit(timeoutMilliseconds: Int64) -> Bool {
        let deadline = timeoutMilliseconds < 0 ? UInt64.max : Clock.monotonicNanoseconds() + UInt64(timeoutMilliseconds) * 1_000_000
        while true {
            if !ProcessRunner.isAlive(pid) { return true }
            let now = Clock.monotonicNanoseconds()
            if now >= deadline { return false }
            let left = deadline == UInt64.max ? Int64(1000) : Int64((deadline - now) / 1_000_000) + 1
            if fd >= 0 {
                // A zombie child of ours is readable too; isAlive above tells it apart.
                _ = try? OS.poll([fd], timeoutMs: Int32(min(left, 1000)))
            } else {
                Clock.sleep(milliseconds: Double(min(left, 20)))
            }
        }
    }
}
