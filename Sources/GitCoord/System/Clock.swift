#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Wall-clock and monotonic time.
public enum Clock {
    /// Milliseconds since 1970 by the wall clock.
    ///
    /// The corresponding C function is `clock_gettime(CLOCK_REALTIME)`.
    public static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Nanoseconds on a monotonic clock, for measuring intervals.
    ///
    /// The corresponding C function is `clock_gettime(CLOCK_MONOTONIC)`.
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Sleeps for a number of milliseconds (fractions allowed).
    ///
    /// The corresponding C function is `nanosleep`.
    public static func sleep(milliseconds: Double) {
        guard milliseconds > 0 else { return }
        var ts = timespec(tv_sec: Int(milliseconds / 1000), tv_nsec: Int((milliseconds.truncatingRemainder(dividingBy: 1000)) * 1_000_000))
        var rest = timespec()
        while nanosleep(&ts, &rest) != 0 && errno == EINTR { ts = rest }
    }
}
