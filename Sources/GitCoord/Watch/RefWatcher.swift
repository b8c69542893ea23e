import GitCoordStore

/// Blocks until a condition on coordination refs holds, waking when a ref file changes.
///
/// Every worktree of a repository keeps `refs/coord/*` in the common git dir. On Linux the watcher
/// holds one inotify instance on `refs/`, `refs/coord/` and every folder below it (adding a watch
/// for each folder that appears later), and on the common dir itself for `packed-refs`. A ref
/// update shows as the ref's name moved into place (after `NAME.lock`); creating a folder, deleting
/// a ref, a `packed-refs` rewrite and a queue overflow all wake the waiter too. A wake-up only
/// means "look again": the condition is always re-evaluated through libgit2, never trusted to the
/// event. On macOS a kqueue watches the same folders (``FolderWatch``), and any change in one of
/// them wakes the waiter. Because watchers miss events in real deployments (network file systems, a
/// folder made between its creation and its watch), the condition is also re-checked on a slow
/// timer (`safetyIntervalMs`). Without a watch the timer is all there is (every 250 ms at most).
///
/// Create the watcher before the first look at the condition: then no change can fall between
/// the look and the watch.
///
/// ```swift
/// let watcher = RefWatcher(store: coord.store, refs: ["refs/coord/mail/worker-1"])
/// let arrived = try watcher.wait(timeoutMs: 30_000) { try !coord.unreadIDs().isEmpty }
/// ```
///
/// One watcher uses one inotify instance (the kernel allows 128 per user by default) or one kqueue,
/// released when the watcher is. Not safe to share between threads.
public final class RefWatcher {
    /// The common git dir, with a trailing slash.
    public let commonDir: String
    /// Full ref names a wake-up is for; empty: any ref under `refs/coord/`.
    public let refs: Set<String>
    /// How often the condition is re-checked without any event, in milliseconds.
    public var safetyIntervalMs: Int64
    /// True once the watched repository is gone (its common git dir lost `HEAD` or `refs`):
    /// ``wait(timeoutMs:until:)`` then returns false at once, and the caller says why.
    public var repositoryVanished: Bool {
        !Files.exists(commonDir + "HEAD") || !Files.isDirectory(commonDir + "refs")
    }
    /// How many times the condition was evaluated (for tests and benchmarks).
    public private(set) var evaluations = 0

    /// The kernel's watch on the folders, keyed by path relative to the common dir ("" for the
    /// common dir); nil when the system gives none.
    private let folders = FolderWatch()

    /// Watches the coordination refs of `store`'s repository: all of them, or only the refs named
    /// in `refs` (full names such as `refs/coord/mail/worker-1`).
    public init(store: CoordStore, refs: [String] = [], safetyIntervalMs: Int64 = 2_000) {
        let dir = store.commonDir
        commonDir = dir.hasSuffix("/") ? dir : dir + "/"
        self.refs = Set(refs)
        self.safetyIntervalMs = safetyIntervalMs
        if folders != nil { rescan() }
    }

    /// Whether change events are delivered (false: only the safety timer wakes the waiter, e.g.
    /// when inotify instances ran out or on a platform with neither inotify nor kqueue).
    public var isEventDriven: Bool { folders != nil }

    /// Waits until `condition` returns true or `timeoutMs` passes (nil: no time limit).
    ///
    /// Evaluates `condition` at once, then again after every wake-up and every safety interval.
    /// Returns true when the condition held, false on time-out. An error thrown by `condition` ends
    /// the wait and is rethrown.
    public func wait<Failure: Error>(timeoutMs: Int64?, until condition: () throws(Failure) -> Bool) throws(Failure) -> Bool {
        let start = Clock.monotonicNanoseconds()
        func remainingMs() -> Int64? {
            guard let timeoutMs else { return nil }
            return timeoutMs - Int64((Clock.monotonicNanoseconds() - start) / 1_000_000)
        }
        while true {
            // A deleted repository never changes again: end the wait instead of waiting forever.
            if repositoryVanished { return false }
            evaluations += 1
            if try condition() { return true }
            let left = remainingMs()
            if let left, left <= 0 { return false }
            var slice = safetyIntervalMs
            if !isEventDriven { slice = min(slice, 250) }
            if let left { slice = min(slice, left) }
            waitForEvent(milliseconds: max(0, slice))
        }
    }

    /// Blocks until a relevant event or `milliseconds` pass.
    private func waitForEvent(milliseconds: Int64) {
        guard let folders else { Clock.sleep(milliseconds: Double(milliseconds)); return }
        let deadline = Clock.monotonicNanoseconds() + UInt64(milliseconds) * 1_000_000
        while true {
            let now = Clock.monotonicNanoseconds()
            if now >= deadline { return }
            let ms = Int32(clamping: (deadline - now + 999_999) / 1_000_000)
            let events: [FolderWatch.Event]
            do { events = try folders.next(timeoutMs: ms) } catch { Clock.sleep(milliseconds: Double(ms)); return }
            if !events.isEmpty && isRelevant(events) { return }
        }
    }

    /// Adds watches for the common dir, `refs/`, and every folder under `refs/coord/` not yet watched.
    private func rescan() {
        guard let folders else { return }
        let known = folders.watched
        func watch(_ rel: String) {
            guard !known.contains(rel) else { return }
            folders.add(commonDir + rel, as: rel)
        }
        watch("")
        watch("refs")
        var stack = ["refs/coord"]
        while let rel = stack.popLast() {
            guard Files.isDirectory(commonDir + rel) else { continue }
            watch(rel)
            for name in Files.list(commonDir + rel) where Files.isDirectory(commonDir + rel + "/" + name) {
                stack.append(rel + "/" + name)
            }
        }
    }

    /// True when one of `events` calls for a look at the condition; watches folders that appeared.
    private func isRelevant(_ events: [FolderWatch.Event]) -> Bool {
        var relevant = false
        var needsRescan = false
        for event in events {
            if event.overflow { relevant = true; needsRescan = true; continue }
            // Unnamed (kqueue): something in the folder changed; look again.
            guard let name = event.name else { relevant = true; needsRescan = true; continue }
            let folder = event.folder
            if event.isFolder {
                if folder.isEmpty && name != "refs" { continue }
                needsRescan = true
                relevant = true
                continue
            }
            if name.hasSuffix(".lock") { continue }
            if folder.isEmpty {
                if name == "packed-refs" { relevant = true }
                continue
            }
            let ref = folder + "/" + name
            if refs.isEmpty ? ref.hasPrefix("refs/coord/") : refs.contains(ref) { relevant = true }
        }
        if needsRescan { rescan() }
        return relevant
    }
}

extension RefWatcher {
    /// The error of a wait whose repository was deleted while it waited.
    static func vanished(_ watcher: RefWatcher) -> CoordError {
        CoordError.data("stopped waiting: the repository (\(watcher.commonDir)) was deleted or moved")
    }
}
