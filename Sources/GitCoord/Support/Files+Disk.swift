#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How old a file is and what it takes on disk: the store's cleanup and `doctor` ask.
extension Files {
    /// Seconds since `path` was last modified; nil when it does not exist.
    static func ageSeconds(_ path: String) -> Double? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Double(Clock.nowMilliseconds()) / 1000 - (Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// The bytes `path` takes on disk (its allocated blocks).
    public static func diskBytes(_ path: String) -> Int64 {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Int64(st.st_blocks) * 512
    }
}
