internal import CLibgit2

extension Repository {
    /// Walks the history reachable from `tips`, newest first, calling `body` with each commit id
    /// once; `body` returns false to stop the walk early. Commits reachable from `hiding` are
    /// left out (`git rev-list TIPS --not HIDING`).
    ///
    /// The order is git's `--topo-order` with commit time: children before their parents, and
    /// otherwise by committer time, newest first. Wraps `git_revwalk`.
    public func walkHistory(from tips: [ObjectID], hiding: [ObjectID] = [], _ body: (ObjectID) throws(GitError) -> Bool) throws(GitError) {
        guard !tips.isEmpty else { return }
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, handle), "start history walk")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "sort history walk")
        for tip in tips {
            try tip.withRaw { (p) throws(GitError) in try check(git_revwalk_push(walk, p), "walk history from \(tip)") }
        }
        for hidden in hiding {
            try hidden.withRaw { (p) throws(GitError) in try check(git_revwalk_hide(walk, p), "hide \(hidden) from history walk") }
        }
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walk)
            if rc == GIT_ITEROVER.rawValue { return }
            try check(rc, "walk history")
            guard try body(ObjectID(oid)) else { return }
        }
    }
}
