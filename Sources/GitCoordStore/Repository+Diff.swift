internal import CLibgit2

/// A blob that differs between two trees: absent on one side is nil.
public struct TreeChange: Sendable, Equatable {
    /// The slash-separated path of the blob from the trees' root.
    public let path: String
    public let old: ObjectID?
    public let new: ObjectID?
}

extension Repository {
    /// The blobs that differ between two trees (nil for the empty tree), in path order.
    ///
    /// Subtrees with equal ids are skipped without being read, so the cost follows the size of
    /// the difference, not the size of the trees: this is what keeps incremental reads and
    /// merges cheap on documents holding 100,000 records.
    public func diffTrees(_ old: ObjectID?, _ new: ObjectID?) throws(GitError) -> [TreeChange] {
        var out: [TreeChange] = []
        try diff(old, new, prefix: "", into: &out)
        return out
    }

    private func diff(_ old: ObjectID?, _ new: ObjectID?, prefix: String, into out: inout [TreeChange]) throws(GitError) {
        if old == new { return }
        let a = try old.map { (id) throws(GitError) in try treeEntries(id) } ?? []
        let b = try new.map { (id) throws(GitError) in try treeEntries(id) } ?? []
        var byName: [String: TreeEntry] = [:]
        byName.reserveCapacity(a.count)
        for e in a { byName[e.name] = e }
        var seen = Set<String>()
        seen.reserveCapacity(b.count)
        for e in b {
            seen.insert(e.name)
            let path = prefix + e.name
            let before = byName[e.name]
            if before?.id == e.id && before?.kind == e.kind { continue }
            try emit(before, e, path: path, into: &out)
        }
        for e in a where !seen.contains(e.name) {
            try emit(e, nil, path: prefix + e.name, into: &out)
        }
    }

    private func emit(_ a: TreeEntry?, _ b: TreeEntry?, path: String, into out: inout [TreeChange]) throws(GitError) {
        let aTree = a?.kind == .tree ? a?.id : nil
        let bTree = b?.kind == .tree ? b?.id : nil
        let aBlob = a?.kind == .blob ? a?.id : nil
        let bBlob = b?.kind == .blob ? b?.id : nil
        if aTree != nil || bTree != nil {
            try diff(aTree, bTree, prefix: path + "/", into: &out)
        }
        if aBlob != nil || bBlob != nil, aBlob != bBlob {
            out.append(TreeChange(path: path, old: aBlob, new: bBlob))
        }
    }

    /// Every blob below a tree, with its path: the difference from the empty tree.
    public func allBlobs(in tree: ObjectID, under folder: String? = nil) throws(GitError) -> [TreeChange] {
        if let folder {
            guard let entry = try treeEntry(tree, path: folder), entry.kind == .tree else { return [] }
            var out: [TreeChange] = []
            try diff(nil, entry.id, prefix: folder + "/", into: &out)
            return out
        }
        return try diffTrees(nil, tree)
    }

    /// The best common ancestor of two commits, or nil when their histories are unrelated.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let rc = a.withRaw { pa in b.withRaw { pb in git_merge_base(&oid, handle, pa, pb) } }
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "find merge base of \(a) and \(b)")
        return ObjectID(oid)
    }

    /// Whether `commit` has `ancestor` in its history (a commit is not its own descendant).
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws(GitError) -> Bool {
        let rc = commit.withRaw { c in ancestor.withRaw { a in git_graph_descendant_of(handle, c, a) } }
        try check(rc, "compare history of \(commit) and \(ancestor)")
        return rc == 1
    }
}
