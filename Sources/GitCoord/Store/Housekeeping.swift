/// Packs the loose objects libgit2 writes, so that a busy repository does not end with hundreds of
/// thousands of small files.
///
/// About one write in 1,000 (chosen at random, so no shared counter is needed) starts
/// `git gc --auto --quiet` detached. It packs loose objects once git's own threshold is passed
/// and keeps its two-week prune grace period, so objects a live writer is still linking are never
/// pruned. `coord.autoGC=false` turns this off.
enum Housekeeping {
    static func noteWrite(_ store: CoordStore) {
        guard UInt32.random(in: 0..<1000) == 0, store.repository.configString("coord.autoGC") != "false" else { return }
        ProcessRunner.spawnDetached(
            ["git", "--git-dir=\(store.repository.commonDir)", "gc", "--auto", "--quiet"],
            logTo: Files.join(store.localFolder, "gc.log"))
    }
}
