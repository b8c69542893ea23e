#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitCoord

extension Shell {
    /// Waits for child process `pid` to end and returns its status as a shell gives it: the
    /// exit code, or 128 + the number of the signal that ended it.
    public static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Whether process `pid` sleeps in `poll(2)`: a waiter (`inbox --wait`, the Stop hook) that
    /// has looked once and armed its watch, so that a change made from now on must wake it.
    /// Read from each thread's `/proc/PID/task/TID/wchan` (Linux).
    public static func isBlockedInPoll(_ pid: pid_t) -> Bool {
        Files.list("/proc/\(pid)/task").contains { Files.readString("/proc/\(pid)/task/\($0)/wchan")?.contains("poll") == true }
    }
}
