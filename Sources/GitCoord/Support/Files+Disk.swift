/// How old a file is and what it takes on disk: the store's cleanup and `doctor` ask.
extension Files {
    /// Seconds since `path` was last modified; nil when it does not exist.
    static func ageSeconds(_ path: String) -> Double? {
        guard let st = try? OS.status(path) else { return nil }
        return Double(Clock.nowMilliseconds()) / 1000 - st.modified
    }

    /// The bytes `path` takes on disk (its allocated blocks).
    public static func diskBytes(_ path: String) -> Int64 {
        (try? OS.status(path))?.allocatedBytes ?? 0
    }
}
