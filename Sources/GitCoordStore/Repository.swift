internal import CLibgit2

/// An open git repository: the one owner of a `git_repository` handle.
///
/// Open it from a work tree, any folder inside one, a linked worktree, a bare repository or
/// `GIT_DIR`. Refs under `refs/coord/` live in the common git dir, so every worktree of one
/// repository sees the same coordination data.
///
/// A `Repository` is not safe to share between threads; open one per thread or task.
public final class Repository {
    let handle: OpaquePointer

    private init(handle: OpaquePointer) { self.handle = handle }

    deinit { git_repository_free(handle) }

    /// Opens the repository that contains `path`, searching upwards as git does.
    ///
    /// With `path` nil the search starts in the current directory and honours `GIT_DIR`,
    /// `GIT_WORK_TREE` and `GIT_CEILING_DIRECTORIES` as git does.
    public static func open(at path: String? = nil) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        var handle: OpaquePointer?
        let flags: UInt32 = path == nil ? GIT_REPOSITORY_OPEN_FROM_ENV.rawValue : 0
        try check(git_repository_open_ext(&handle, path, flags, nil), "open repository at \(path ?? ".")")
        guard let handle else { throw GitError(code: -1, message: "no repository", operation: "open repository") }
        return Repository(handle: handle)
    }

    /// Creates a new repository (bare or with a work tree) at `path`.
    public static func create(at path: String, bare: Bool = false) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        var handle: OpaquePointer?
        try check(git_repository_init(&handle, path, bare ? 1 : 0), "create repository at \(path)")
        guard let handle else { throw GitError(code: -1, message: "no repository", operation: "create repository") }
        return Repository(handle: handle)
    }

    /// This worktree's own git dir, with a trailing slash (`.git/` or `.git/worktrees/NAME/`).
    public var gitDir: String { String(cString: git_repository_path(handle)) }

    /// The git dir shared by all worktrees, where `refs/coord/*` and the object store live.
    public var commonDir: String { String(cString: git_repository_commondir(handle)) }

    /// The work tree's top folder, or nil for a bare repository.
    public var workDir: String? {
        guard let p = git_repository_workdir(handle) else { return nil }
        return String(cString: p)
    }

    /// Reads a string from the repository's configuration (all levels), or nil when unset.
    public func configString(_ key: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, handle) == 0, let config else { return nil }
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, config, key) == 0, let value else { return nil }
        return String(cString: value)
    }

    /// Reads an integer (git's `k`, `m`, `g` suffixes accepted), or nil when unset or not a number.
    public func configInt(_ key: String) -> Int64? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, handle) == 0, let config else { return nil }
        defer { git_config_free(config) }
        var value: Int64 = 0
        guard git_config_get_int64(&value, config, key) == 0 else { return nil }
        return value
    }

    /// Sets a string in the repository's own config file (`.git/config`).
    public func setConfig(_ key: String, _ value: String) throws(GitError) {
        var config: OpaquePointer?
        try check(git_repository_config(&config, handle), "open config")
        defer { git_config_free(config) }
        var local: OpaquePointer?
        try check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "open local config")
        defer { git_config_free(local) }
        try check(git_config_set_string(local, key, value), "set config \(key)")
    }

    /// Values of a multi-valued key (such as `remote.origin.fetch`), in file order.
    public func configValues(_ key: String) -> [String] {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, handle) == 0, let config else { return [] }
        defer { git_config_free(config) }
        return Repository.values(of: key, in: config)
    }

    /// Every value of a multi-valued key in an open config, in file order.
    static func values(of key: String, in config: OpaquePointer) -> [String] {
        var iter: OpaquePointer?
        guard git_config_multivar_iterator_new(&iter, config, key, nil) == 0, let iter else { return [] }
        defer { git_config_iterator_free(iter) }
        var out: [String] = []
        var entry: UnsafeMutablePointer<git_config_entry>?
        while git_config_next(&entry, iter) == 0, let e = entry {
            out.append(String(cString: e.pointee.value))
        }
        return out
    }

    /// Adds one more value to a multi-valued key in the repository's own config file.
    public func addConfigValue(_ key: String, _ value: String) throws(GitError) {
        var config: OpaquePointer?
        try check(git_repository_config(&config, handle), "open config")
        defer { git_config_free(config) }
        var local: OpaquePointer?
        try check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "open local config")
        defer { git_config_free(local) }
        // "^$" matches no existing value, so the new one is appended.
        try check(git_config_set_multivar(local, key, "^$", value), "add config \(key)")
    }
}
