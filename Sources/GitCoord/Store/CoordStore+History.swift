import GitCoordStore

/// Commits and their history, for what reads across commits: the log, the brief's audit lines,
/// sync's plan and the views' caches.
extension CoordStore {
    /// Whether the object store holds `id`.
    public func contains(_ id: ObjectID) -> Bool {
        repository.contains(id)
    }

    /// Reads a commit: its tree, parents, message and signatures.
    public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
        try repository.commit(id)
    }

    /// The tree id of a commit, without reading the rest of it.
    public func treeOfCommit(_ id: ObjectID) throws(GitError) -> ObjectID {
        try repository.treeOfCommit(id)
    }

    /// The best common ancestor of two commits, or nil when their histories are unrelated.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitError) -> ObjectID? {
        try repository.mergeBase(a, b)
    }

    /// Whether `commit` has `ancestor` in its history (a commit is not its own descendant).
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws(GitError) -> Bool {
        try repository.isDescendant(commit, of: ancestor)
    }

    /// Reads the history reachable from `tip`, newest first (children before parents, otherwise
    /// by commit time), each commit once; `body` returns false to stop early.
    public func history(from tip: ObjectID, _ body: (CommitInfo) throws(GitError) -> Bool) throws(GitError) {
        let repo = repository
        try repo.walkHistory(from: [tip]) { (id) throws(GitError) -> Bool in try body(repo.commit(id)) }
    }

    /// Why a tree's `.coord` marker makes it unreadable as `doc` here (absent, unreadable, another
    /// kind, a newer format), or nil when this build can read it. Reads at most 4 KiB.
    public func markerProblem(_ doc: DocumentID, tree: ObjectID) -> String? {
        guard let entry = try? repository.treeEntry(tree, path: DocumentMarker.path), entry.kind == .blob else {
            return "no .coord marker: not a git-coord document"
        }
        guard let size = try? repository.blobSize(entry.id), size <= 4096, let bytes = try? repository.readBlob(entry.id) else {
            return "unreadable .coord marker"
        }
        return DocumentMarker.check(bytes, document: doc)?.message
    }
}
