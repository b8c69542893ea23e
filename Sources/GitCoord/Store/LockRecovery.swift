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
        guard let st = try? OS.status(lock) else { return true }
        let age = Double(Clock.nowMilliseconds()) / 1000 - st.modified
        guard age >= seconds else { return false }
        let aside = "\(lock).stale.\(OS.processID).\(UInt32.random(in: 0...UInt32.max))"
        guard (try? OS.move(lock, to: aside)) != nil else { return true }
        if let moved = try? OS.status(aside), moved.inode != st.inode || moved.device != st.device {
            // A live writer took the lock between our look and our rename: give it back.
            if (try? OS.hardLink(aside, as: lock)) == nil { /* someone else holds it now; the writer will retry */ }
            try? OS.removeFile(aside)
            return false
        }
        try? OS.removeFile(aside)
        return true
    }
}
