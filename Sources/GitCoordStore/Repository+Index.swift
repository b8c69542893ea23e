internal import CLibgit2

extension Repository {
    /// The paths that differ between HEAD's tree and an index: what the next commit changes.
    /// Additions, modifications and deletions; without rename detection, a rename is its old path
    /// deleted and its new path added, so both are listed. `indexFile` names another index file
    /// (git's `GIT_INDEX_FILE` during `commit -a` or `commit PATH`); nil is the repository's own.
    /// An unborn HEAD compares with the empty tree.
    public func stagedPaths(indexFile: String? = nil) throws(GitError) -> [String] {
        var tree: OpaquePointer?
        var obj: OpaquePointer?
        let rc = git_revparse_single(&obj, handle, "HEAD^{tree}")
        if rc == 0 {
            tree = obj
        } else if rc != GIT_ENOTFOUND.rawValue && rc != GIT_EUNBORNBRANCH.rawValue {
            try check(rc, "read HEAD's tree")
        }
        defer { git_object_free(tree) }
        var index: OpaquePointer?
        if let indexFile {
            try check(git_index_open(&index, indexFile), "open index \(indexFile)")
        } else {
            try check(git_repository_index(&index, handle), "open the index")
        }
        defer { git_index_free(index) }
        var opts = git_diff_options()
        try check(git_diff_options_init(&opts, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff options")
        opts.flags |= GIT_DIFF_IGNORE_SUBMODULES.rawValue
        var diff: OpaquePointer?
        try check(git_diff_tree_to_index(&diff, handle, tree, index, &opts), "diff HEAD against the index")
        defer { git_diff_free(diff) }
        var out: [String] = []
        let n = git_diff_num_deltas(diff)
        out.reserveCapacity(n)
        for i in 0..<n {
            guard let d = git_diff_get_delta(diff, i)?.pointee else { continue }
            let old = d.old_file.path.map { String(cString: $0) }
            let new = d.new_file.path.map { String(cString: $0) }
            if let old { out.append(old) }
            if let new, new != old { out.append(new) }
        }
        return out
    }
}
