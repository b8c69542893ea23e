import GitCoordStore

/// Where the repository lives and what its configuration says: what the feature folders need to
/// know about the repository besides its documents.
extension CoordStore {
    /// This worktree's own git dir, with a trailing slash (`.git/` or `.git/worktrees/NAME/`).
    public var gitDir: String { repository.gitDir }

    /// The git dir shared by all worktrees, where `refs/coord/*` and the object store live.
    public var commonDir: String { repository.commonDir }

    /// The work tree's top folder (with a trailing slash), or nil for a bare repository.
    public var workDir: String? { repository.workDir }

    /// A store on the same open repository writing as `session` (its settings, such as
    /// ``now``, are the defaults).
    public func acting(as session: String?) -> CoordStore {
        CoordStore(repository: repository, session: session)
    }

    // MARK: Configuration

    /// A string from the repository's configuration (all levels), or nil when unset.
    public func config(_ key: String) -> String? {
        repository.configString(key)
    }

    /// An integer from the configuration (git's `k`, `m`, `g` suffixes accepted), or nil when
    /// unset or not a number.
    public func configInt(_ key: String) -> Int64? {
        repository.configInt(key)
    }

    /// Every value of a multi-valued key (such as `remote.origin.fetch`), in file order.
    public func configValues(_ key: String) -> [String] {
        repository.configValues(key)
    }

    /// Sets a string in the repository's own config file (`.git/config`).
    public func setConfig(_ key: String, _ value: String) throws(GitError) {
        try repository.setConfig(key, value)
    }

    /// Adds one more value to a multi-valued key in the repository's own config file.
    public func addConfigValue(_ key: String, _ value: String) throws(GitError) {
        try repository.addConfigValue(key, value)
    }

    // MARK: The work tree

    /// The paths the next commit changes: those that differ between HEAD's tree and the index
    /// (`indexFile`, git's `GIT_INDEX_FILE`, or the repository's own index when nil).
    public func stagedPaths(indexFile: String? = nil) throws(GitError) -> [String] {
        try repository.stagedPaths(indexFile: indexFile)
    }
}
