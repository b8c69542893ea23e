import GitCoordStore

/// Packs the loose objects libgit2 writes, so that a busy repository does not end with hundreds of
/// thousands of small files, and keeps git's automatic cleanup working.
///
/// About one write in 1,000 (chosen at random, so no shared counter is needed) starts a cleanup
/// detached: `git gc --auto --quiet`, which packs loose objects once git's own threshold is passed
/// and keeps its two-week prune grace period, so objects a live writer is still linking are never
/// pruned. `coord.autoGC=false` turns this off.
///
/// Every beat and read mark replaces a parentless commit, and a lost race leaves the objects it
/// built: young unreachable objects, which `git gc --auto` leaves loose. Once they pass `gc.auto`
/// git writes "There are too many unreachable loose objects" to `gc.log`, and that file stops every
/// later `git gc --auto` for a day. So the cleanup then runs a full `git gc` with cruft packs,
/// which moves the unreachable objects into one cruft pack (same two-week grace) and removes the
/// log. See Docs/Faults.md.
enum Housekeeping {
    static func noteWrite(_ store: CoordStore) {
        // One write in 50 looks (one readdir); a cleanup starts when git's own estimate says
        // gc.auto is passed, and no cleanup is running. One in 1,000 starts one regardless, as
        // before, for the packs git counts too (gc.autoPackLimit).
        let roll = UInt32.random(in: 0..<1000)
        guard roll % 50 == 0, store.repository.configString("coord.autoGC") != "false" else { return }
        guard roll == 0 || looseEstimate(store.repository) > ownPackThreshold else { return }
        guard !cleanupRunning(store.repository) else { return }
        startCleanup(store)
    }

    /// Loose objects (git's estimate) past which the cleanup packs git-coord's own new objects:
    /// about 64 messages' worth. Loose objects take a 4 KB block each, so waiting for `gc.auto`
    /// (6,700) would leave 27 MB of them at any time.
    static let ownPackThreshold = 1_024

    /// git's estimate of the loose objects: those in `objects/17`, times 256.
    static func looseEstimate(_ repo: Repository) -> Int {
        Files.list(Files.join(repo.commonDir, "objects", "17")).count * 256
    }

    /// Whether a gc holds this repository's `gc.pid` (younger than an hour, as git judges it).
    static func cleanupRunning(_ repo: Repository) -> Bool {
        guard let age = Files.ageSeconds(Files.join(repo.commonDir, "gc.pid")) else { return false }
        return age < 3600
    }

    /// The text `git gc --auto` leaves in `gc.log` when unreachable loose objects block it.
    static let unreachableWarning = "too many unreachable loose objects"

    /// Starts the cleanup detached: `git gc --auto`, then a full cruft-pack gc if unreachable loose
    /// objects still block the automatic one.
    static func startCleanup(_ store: CoordStore) {
        let git = "git --git-dir=\(ProcessRunner.shellQuoted(store.repository.commonDir))"
        let log = ProcessRunner.shellQuoted(Files.join(store.repository.commonDir, "gc.log"))
        // Already detached: gc runs in the foreground here, so its warning comes back to us
        // instead of into gc.log. A gc.log left by the user's own automatic gc counts too.
        let state = ProcessRunner.shellQuoted(Files.join(store.localFolder, "packed-tips"))
        let lock = ProcessRunner.shellQuoted(Files.join(store.localFolder, "pack.lock"))
        // First, git-coord's own objects written since the last run (reachable from refs/coord/
        // but not from the tips packed last time) go into one small pack, and their loose copies
        // are removed (prune-packed removes only what a pack holds). One run at a time (a mkdir
        // lock, taken over after 10 minutes). Then git's own automatic gc, as below.
        let script = """
            find \(lock) -maxdepth 0 -mmin +10 -exec rmdir {} \\; 2>/dev/null
            if mkdir \(lock) 2>/dev/null; then
              tips=$(\(git) for-each-ref --format='%(objectname)' refs/coord/)
              old=$(sed 's/^/^/' \(state) 2>/dev/null)
              if printf '%s\\n' $tips $old | \(git) rev-list --objects --ignore-missing --stdin | \(git) pack-objects --incremental --quiet \(ProcessRunner.shellQuoted(Files.join(store.repository.commonDir, "objects", "pack", "pack"))) >/dev/null; then
                \(git) prune-packed --quiet && printf '%s\\n' $tips > \(state).new && mv \(state).new \(state)
              fi
              rmdir \(lock)
            fi
            out=$(\(git) -c gc.autoDetach=false -c gc.cruftPacks=true gc --auto --quiet 2>&1); echo "$out"
            if printf '%s' "$out" | grep -qi '\(unreachableWarning)' || grep -qi '\(unreachableWarning)' \(log) 2>/dev/null; then
              rm -f \(log) && \(git) -c gc.cruftPacks=true gc --quiet
            fi
            """
        // The trailing words are $0 and $1 of the script: they let `ps` (and tests waiting for a
        // detached cleanup to end) see the whole script as a gc of this repository.
        ProcessRunner.spawnDetached(["/bin/sh", "-c", script, "gc", "--git-dir=\(store.repository.commonDir)"],
                                    logTo: Files.join(store.localFolder, "gc.log"))
    }

    /// `gc.auto`: the loose-object count above which git's automatic cleanup packs.
    static func looseObjectLimit(_ store: CoordStore) -> Int {
        Int(store.configInt("gc.auto") ?? 6_700)
    }
}
