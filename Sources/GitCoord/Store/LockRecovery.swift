#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Recovery from ref locks left behind by writers that died while holding them.
///
/// libgit2 takes `NAME.lock` beside a ref while it moves it; a writer killed in that window leaves
/// the file, and every later writer of that ref fails until it is gone. A lock younger than the
/// stale age is a live writer's and is never touched. An older one is first renamed away (atomic)
/// and then checked: if the file renamed is the very one judged stale (same inode), it is deleted;
/// if a live writer had just replaced it, it is put back, and at worst that writer retries.
enum LockRecovery {
    /// Tries to clear stale locks of `ref` (and of `packed-refs`). Returns true when no stale lock
    /// remains, false when a lock is still there and young (held by a live writer).
    static func recover(ref: String, commonDir: String, staleAfter seconds: Double) -> Bool {
        var allClear = true
        for lock in [Files.join(commonDir, ref) + ".lock", Files.join(commonDir, "packed-refs.lock")] {
            if !clear(lock, staleAfter: seconds) { allClear = false }
        }
        return allClear
    }

    /// Clears one lock file if it is stale. True when the lock is gone.
    static func clear(_ lock: String, staleAfter seconds: Double) -> Bool {
        var st = stat()
        guard stat(lock, &st) == 0 else { return true }
        let age = Double(Clock.nowMilliseconds()) / 1000 - (Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
        guard age >= seconds else { return false }
        let aside = "\(lock).stale.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        guard rename(lock, aside) == 0 else { return true }
        var moved = stat()
        if stat(aside, &moved) == 0, moved.st_ino != st.st_ino || moved.st_dev != st.st_dev {
            // A live writer took the lock between our look and our rename: give it back.
            if link(aside, lock) != 0 { /* someone else holds it now; the writer will retry */ }
            unlink(aside)
            return false
        }
        unlink(aside)
        return true
    }
}
