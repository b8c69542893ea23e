/// The git pre-commit hook that keeps commits off paths another live session leases exclusively.
///
/// It goes into the repository's common hooks folder (`core.hooksPath` when set, else
/// `hooks/` in the common git dir), so every worktree has it. A `pre-commit` already there is
/// kept as `pre-commit.before-git-coord` and run after the guard passes; uninstalling puts it
/// back. The guard runs `git-coord lease check --staged --hook` and blocks only on its exit 1
/// (a path is leased): if git-coord is missing or fails, the commit goes on, with a warning.
public enum GitHookGuard {
    /// The line that marks the hook as ours.
    public static let marker = "# git-coord lease guard"
    public static let chainedName = "pre-commit.before-git-coord"

    public static let script = """
        #!/bin/sh
        \(marker): refuses a commit that touches paths another live session leases
        # exclusively (see `git coord lease list`). Installed by `git coord hooks install git`,
        # removed by `git coord hooks uninstall git`; `git commit --no-verify` skips it once.
        if command -v git-coord >/dev/null 2>&1; then
            git-coord lease check --staged --hook
            status=$?
            [ "$status" -eq 1 ] && exit 1
            [ "$status" -ne 0 ] && echo "git coord lease guard: lease check failed (exit $status); commit not checked" >&2
        else
            echo "git coord lease guard: git-coord is not on PATH; commit not checked" >&2
        fi
        chained="${0%/*}/\(chainedName)"
        if [ -x "$chained" ]; then exec "$chained" "$@"; fi
        exit 0

        """

    /// The hooks folder git runs hooks from for this repository.
    public static func hooksFolder(_ coord: Coord) -> String {
        let store = coord.store
        if var configured = store.config("core.hooksPath"), !configured.isEmpty {
            if configured.hasPrefix("~/"), let home = ProcessEnvironment.get("HOME") { configured = home + configured.dropFirst(1) }
            if configured.hasPrefix("/") { return configured }
            // Relative to where hooks run: the top of the work tree, or the git dir when bare.
            return Files.join(store.workDir ?? store.commonDir, configured)
        }
        return Files.join(store.commonDir, "hooks")
    }

    /// Installs the hook; returns what was done, in words.
    public static func install(_ coord: Coord) throws(CoordError) -> String {
        let folder = hooksFolder(coord)
        let hook = Files.join(folder, "pre-commit"), chained = Files.join(folder, chainedName)
        if let existing = Files.readString(hook) {
            if existing.contains(marker) { return "the git coord lease guard is already in \(hook)" }
            if Files.exists(chained) {
                throw CoordError.usage("\(chained) exists already; move it away, then run git coord hooks install git again")
            }
            guard (try? OS.move(hook, to: chained)) != nil else { throw CoordError.data("cannot move \(hook) to \(chained)") }
        }
        Files.makeFolders(folder)
        guard Files.writeAtomically(hook, script) else { throw CoordError.data("cannot write \(hook)", mend: "check the permissions of \(folder)") }
        try? OS.setPermissions(hook, 0o755)
        return Files.exists(chained)
            ? "added the git coord lease guard to \(hook); it runs the hook that was there (now \(chainedName)) after it"
            : "added the git coord lease guard to \(hook)"
    }

    /// Removes the hook and puts back the one it chained; returns what was done, in words.
    public static func uninstall(_ coord: Coord) throws(CoordError) -> String {
        let folder = hooksFolder(coord)
        let hook = Files.join(folder, "pre-commit"), chained = Files.join(folder, chainedName)
        guard let existing = Files.readString(hook), existing.contains(marker) else {
            return "no git coord lease guard in \(hook)"
        }
        Files.remove(hook)
        if Files.exists(chained) {
            guard (try? OS.move(chained, to: hook)) != nil else { throw CoordError.data("cannot move \(chained) back to \(hook)") }
            return "removed the git coord lease guard from \(hook) and put back the hook it ran"
        }
        return "removed the git coord lease guard from \(hook)"
    }
}

extension Coord {
    /// The paths the next commit changes: added, modified, deleted, and both sides of a rename
    /// (renames are a deletion and an addition). Read through libgit2 from the index git is
    /// committing from: `GIT_INDEX_FILE` when set (git sets it for hooks during `commit -a` or a
    /// commit of named paths), else the worktree's index. No `git` process is started, which is
    /// most of what the pre-commit guard would otherwise cost.
    public func stagedPaths() throws(CoordError) -> [String] {
        var indexFile = ProcessEnvironment.get("GIT_INDEX_FILE").flatMap { $0.isEmpty ? nil : $0 }
        if let f = indexFile, !f.hasPrefix("/") { indexFile = Files.join(Files.currentDirectory(), f) }
        do { return try store.stagedPaths(indexFile: indexFile) } catch {
            throw CoordError.data("cannot list the staged paths", cause: error, mend: "see what `git status` says about the index")
        }
    }
}

extension Coord {
    /// What `lease check` answers: where `paths` (relative to the repository root, or absolute
    /// inside the work tree), or with `staged` the paths the next commit changes, run into an
    /// exclusive lease of another live session.
    public func leaseCheck(_ paths: [String], staged: Bool) throws(CoordError) -> [LeaseHit] {
        var checked: [String] = []
        if !staged {
            guard let root = store.workDir else { throw CoordError.usage("a bare repository has no work tree paths to check") }
            for p in paths {
                guard let rel = LeasePaths.relative(p, root: root) else {
                    throw CoordError.usage("'\(p)' is not a path inside the work tree \(root)")
                }
                checked.append(rel)
            }
        }
        // Nothing that could stop a change: no paths to list (the common case, one ref read).
        guard let guardian = try leaseGuard() else { return [] }
        if staged { checked = try stagedPaths() }
        return try guardian.hits(checked)
    }
}
