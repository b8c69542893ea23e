#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        fd = ProcessWatch.openPidFD(pid)
    }

    deinit { if fd >= 0 { close(fd) } }

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
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                // A zombie child of ours is readable too; isAlive above tells it apart.
                _ = poll(&p, 1, Int32(min(left, 1000)))
            } else {
                Clock.sleep(milliseconds: Double(min(left, 20)))
            }
        }
    }

    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    /// `pidfd_open(2)` through the C library when it has it (glibc 2.36+), else -1.
    static func openPidFD(_ pid: Int32) -> Int32 {
        #if os(Linux)
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pidfd_open") else { return -1 }
        let open = unsafeBitCast(sym, to: PidfdOpen.self)
        let fd = open(pid, 0)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fd
        #else
        return -1
        #endif
    }
}
