import GitCoordStore

/// Checks of the setup: libgit2, refspecs, identity, hooks, the watcher.
extension Doctor {
    static func checkLibgit2(_ coord: Coord, _ fix: Bool) -> [Finding] {
        [Finding("libgit2", .ok, "libgit2 \(Libgit2.version)")]
    }

    static func checkRefspecs(_ coord: Coord, _ fix: Bool) -> [Finding] {
        let store = coord.store
        guard let remote = store.config("coord.remote") else {
            return [Finding("refspecs", .ok, "no coord.remote: this repository does not sync (git coord init --remote NAME to start)")]
        }
        guard store.config("remote.\(remote).url") != nil else {
            return [Finding("refspecs", .problem, "coord.remote names '\(remote)', which is not a remote",
                            mend: "git remote add \(remote) URL, or git config coord.remote OTHER")]
        }
        let spec = Coord.fetchRefspec(remote: remote)
        if store.configValues("remote.\(remote).fetch").contains(spec) {
            return [Finding("refspecs", .ok, "remote \(remote) fetches refs/coord/*")]
        }
        var f = Finding("refspecs", .problem, "remote \(remote) does not fetch refs/coord/*", mend: "git coord init --remote \(remote)")
        if fix, (try? coord.initialize(remote: remote)) != nil { f.fixed = true }
        return [f]
    }

    static func checkIdentity(_ coord: Coord, _ fix: Bool) -> [Finding] {
        guard let me = coord.session else {
            return [Finding("identity", .warning, "no session for this worktree", mend: "git coord join NAME")]
        }
        guard let record = try? coord.sessionRecord(me) else {
            return [Finding("identity", .problem, "this worktree acts as '\(me)', which never joined: its writes are refused",
                            mend: "git coord join \(me)")]
        }
        if record.left {
            return [Finding("identity", .warning, "this worktree acts as '\(me)', which left", mend: "git coord join \(me)")]
        }
        return [Finding("identity", .ok, "acting as \(me)")]
    }

    /// Agent hooks in the user, project and local settings files: each command of ours must find a
    /// git-coord to run (its recorded path, else PATH). `git coord hooks doctor` runs them.
    static func checkHooks(_ coord: Coord, _ fix: Bool) -> [Finding] {
        let files = coord.hookSettingsFiles()
        var installed: [String] = []
        var out: [Finding] = []
        for file in files {
            guard let bytes = Files.read(file), ClaudeSettings.isInstalled(bytes) else { continue }
            installed.append(file)
            let problems = Set(ClaudeSettings.ourCommands(bytes).compactMap { ClaudeSettings.binaryProblem($0.command) })
            for problem in problems.sorted() {
                out.append(Finding("hooks", .problem, "hooks in \(file) cannot start git-coord (\(problem))",
                                   mend: "git coord hooks uninstall claude, then git coord hooks install claude (git coord hooks doctor shows each command)"))
            }
        }
        guard !installed.isEmpty else {
            return [Finding("hooks", .ok, "no agent hooks installed (git coord hooks install claude adds them)")]
        }
        return out.isEmpty ? [Finding("hooks", .ok, "hooks installed in \(installed.joined(separator: ", ")); each finds git-coord")] : out
    }

    static func checkWatcher(_ coord: Coord, _ fix: Bool) -> [Finding] {
        if RefWatcher(store: coord.store).isEventDriven {
            return [Finding("watcher", .ok, "inotify watches refs: waits wake on change")]
        }
        return [Finding("watcher", .warning, "cannot watch refs (no inotify, or the per-user limit is reached): waits fall back to polling",
                        mend: "raise fs.inotify.max_user_instances, or close other watchers")]
    }
}
