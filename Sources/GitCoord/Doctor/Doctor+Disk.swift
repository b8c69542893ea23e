/// Checks of what lies on disk: stale ref locks, loose objects and git's automatic cleanup.
extension Doctor {
    /// `NAME.lock` files under `refs/coord/` (and `packed-refs.lock`) older than the stale age:
    /// left by a writer that died. `--fix` clears them the way writers do (``LockRecovery``).
    static func checkStaleLocks(_ coord: Coord, _ fix: Bool) -> [Finding] {
        let common = coord.store.commonDir
        var locks = [Files.join(common, "packed-refs.lock")].filter(Files.exists)
        func walk(_ dir: String) {
            for name in Files.list(dir) {
                let path = Files.join(dir, name)
                if Files.isDirectory(path) { walk(path) } else if name.hasSuffix(".lock") { locks.append(path) }
            }
        }
        walk(Files.join(common, "refs", "coord"))
        var out: [Finding] = []
        for lock in locks {
            guard let age = Files.ageSeconds(lock), age >= coord.store.staleLockSeconds else { continue }
            var f = Finding("locks", .problem, "\(lock) is \(Int(age)) s old: a writer died holding it, and writes of that ref wait",
                            mend: "git coord doctor --fix removes it (any write would too, after waiting)")
            if fix { f.fixed = LockRecovery.clear(lock, staleAfter: coord.store.staleLockSeconds) }
            out.append(f)
        }
        return out.isEmpty ? [Finding("locks", .ok, "no stale ref locks")] : out
    }

    /// Loose objects, and whether git's automatic cleanup still runs: a `gc.log` left by a gc that
    /// warned stops every later `git gc --auto` for a day, and without cruft packs the unreachable
    /// objects every write leaves stay loose. `--fix` turns cruft packs on and starts a cleanup.
    static func checkGrowth(_ coord: Coord, _ fix: Bool) -> [Finding] {
        let store = coord.store
        let disk = ObjectCount.measure(commonDir: store.commonDir)
        var out = [Finding("growth", .ok, "\(disk.looseObjects) loose objects (\(disk.looseBytes / 1024) KiB), \(disk.packs) pack\(disk.packs == 1 ? "" : "s") (\(disk.packBytes / 1024) KiB)")]
        if store.config("gc.cruftPacks") != "true" {
            var f = Finding("growth", .warning, "gc.cruftPacks is off: unreachable objects (old beats and read marks, lost races) stay loose until git refuses to clean up",
                            mend: "git config gc.cruftPacks true")
            if fix { f.fixed = (try? store.setConfig("gc.cruftPacks", "true")) != nil }
            out.append(f)
        }
        let log = Files.join(store.commonDir, "gc.log")
        if let text = Files.readString(log) {
            let first = text.split(separator: "\n").first(where: { !$0.isEmpty }).map(String.init) ?? "(empty)"
            var f = Finding("growth", .problem, "git's automatic cleanup is blocked by \(log): \(TerminalText.escaped(first))",
                            mend: "git coord doctor --fix removes it and repacks unreachable objects into a cruft pack")
            if fix {
                Files.remove(log)
                Housekeeping.startCleanup(coord.store)
                f.fixed = !Files.exists(log)
            }
            out.append(f)
        } else if disk.looseObjects > Housekeeping.looseObjectLimit(store) {
            var f = Finding("growth", .warning, "\(disk.looseObjects) loose objects, over gc.auto (\(Housekeeping.looseObjectLimit(store)))",
                            mend: "git coord doctor --fix starts git gc --auto")
            if fix { Housekeeping.startCleanup(coord.store); f.fixed = true }
            out.append(f)
        }
        return out
    }
}

/// What the object store holds on disk.
public struct ObjectCount: Sendable {
    public var looseObjects = 0
    public var looseBytes: Int64 = 0
    public var packs = 0
    public var packBytes: Int64 = 0

    /// Counts loose objects and packs under `commonDir/objects` (disk blocks, not file sizes).
    public static func measure(commonDir: String) -> ObjectCount {
        var c = ObjectCount()
        let objects = Files.join(commonDir, "objects")
        for dir in Files.list(objects) where dir.utf8.count == 2 {
            for name in Files.list(Files.join(objects, dir)) {
                c.looseObjects += 1
                c.looseBytes += Files.diskBytes(Files.join(objects, dir, name))
            }
        }
        for name in Files.list(Files.join(objects, "pack")) {
            if name.hasSuffix(".pack") { c.packs += 1 }
            c.packBytes += Files.diskBytes(Files.join(objects, "pack", name))
        }
        return c
    }
}
