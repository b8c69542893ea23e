import GitCoord

extension Shell {
    /// Waits for child process `pid` to end and returns its status as a shell gives it: the
    /// exit code, or 128 + the number of the signal that ended it.
    public static func waitForExit(_ pid: Int32) -> Int32 {
        // Not our child, or already waited for: there is no status to give.
        (try? OS.wait(for: pid, blocking: true))??.code ?? -1
    }

    /// Whether process `pid` sleeps in `poll(2)`: a waiter (`inbox --wait`, the Stop hook) that
    /// has looked once and armed its watch, so that a change made from now on must wake it.
    /// Read from each thread's `/proc/PID/task/TID/wchan` (Linux).
    public static func isBlockedInPoll(_ pid: Int32) -> Bool {
        Files.list("/proc/\(pid)/task").contains { Files.readString("/proc/\(pid)/task/\($0)/wchan")?.contains("poll") == true }
    }
}
