internal import CLibgit2
internal import CLibgit2Init

/// Process-wide libgit2 set-up, done once before the first repository is opened.
public enum Libgit2 {
    private static let initialized: Bool = {
        // As git_libgit2_init, but without parsing the system CA bundle: libgit2 never opens a
        // network connection for git-coord, and the parse is a quarter of a short command's time.
        git_coord_libgit2_init()
        // Objects we create are always well-formed; checking every referenced id on creation costs
        // a lookup per tree entry and is what makes a write into a big tree slow.
        _ = git_coord_opts_strict_object_creation(0)
        // Small blobs are cached like trees and commits: the cells, records and document markers
        // a command reads again and again (each snapshot checks its document's marker; a server
        // reads the same session records call after call). Objects never change, so a cached one
        // is never stale.
        _ = git_coord_opts_cache_object_limit(GIT_OBJECT_BLOB, Libgit2.cachedBlobLimit)
        return true
    }()

    /// The largest blob kept in libgit2's object cache, in bytes.
    public static let cachedBlobLimit = 16 * 1024

    /// Initializes libgit2 once for this process. Safe to call any number of times.
    public static func ensureInitialized() { _ = initialized }

    /// Turns fsync of objects and refs on (durability across power loss) or off.
    public static func setFsync(_ enabled: Bool) {
        ensureInitialized()
        _ = git_coord_opts_enable_fsync(enabled ? 1 : 0)
    }

    /// Turns libgit2's check that a repository belongs to the current user on or off (for a
    /// repository the user's `safe.directory` trusts in a way libgit2 1.5 does not read, `*`).
    public static func setOwnerValidation(_ enabled: Bool) {
        ensureInitialized()
        _ = git_coord_opts_owner_validation(enabled ? 1 : 0)
    }

    /// The values of a multi-valued key in the user's and the system's git config (no repository).
    public static func globalConfigValues(_ key: String) -> [String] {
        ensureInitialized()
        var config: OpaquePointer?
        guard git_config_open_default(&config) == 0, let config else { return [] }
        defer { git_config_free(config) }
        return Repository.values(of: key, in: config)
    }

    /// How many times libgit2's start-up load of the CA certificate bundle was skipped in this
    /// process: 1 where libgit2 uses mbedTLS and the loader could be replaced, else 0.
    public static var skippedCertificateLoads: Int {
        ensureInitialized()
        return Int(git_coord_skipped_ca_loads())
    }

    /// The libgit2 version linked into this process, as "major.minor.patch".
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
        git_libgit2_version(&major, &minor, &rev)
        return "\(major).\(minor).\(rev)"
    }
}
