/// A per-document advisory lock (`flock`) that git-coord's own writers take around a write, so
/// that writers of one document queue instead of racing.
///
/// Without it, every writer that loses the compare-and-swap has already written its blob, trees
/// and commit: with 8 processes sending to one mailbox, most objects written were such losers,
/// unreachable at once (Docs/Faults.md). Queued writers build their objects only once they hold
/// the lock, so a lost race (now only against writers outside git-coord, such as a fetch) is
/// rare. The kernel releases an `flock` when its process dies, so a crash never leaves it held;
/// a writer that cannot get it within the time given (a writer stuck while holding it) goes on
/// without it, and the compare-and-swap still keeps every write correct.
struct WriteLock {
    private let fd: Int32

    /// Takes the lock of `doc` under `folder`, waiting up to `seconds`; nil when it could not
    /// (then the caller writes without it).
    static func acquire(_ doc: DocumentID, folder: String, seconds: Double) -> WriteLock? {
        let dir = Files.join(folder, "locks", doc.kind.rawValue)
        let path = Files.join(dir, doc.owner ?? "_")
        var opened = try? OS.open(path, .readWrite, [.create])
        if opened == nil {
            Files.makeFolders(dir)
            opened = try? OS.open(path, .readWrite, [.create])
        }
        guard let fd = opened else { return nil }
        let deadline = Clock.monotonicNanoseconds() + UInt64(max(0, seconds) * 1e9)
        var pause = 0.2
        while true {
            do { try OS.tryLockExclusive(fd); break } catch {
                guard error.errno == .wouldBlock || error.errno == .interrupted, Clock.monotonicNanoseconds() < deadline else {
                    OS.close(fd)
                    return nil
                }
            }
            Clock.sleep(milliseconds: pause)
            pause = min(pause * 1.5, 5)
        }
        return WriteLock(fd: fd)
    }

    func release() {
        OS.unlock(fd)
        OS.close(fd)
    }
}
