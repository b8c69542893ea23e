import CLibgit2

/// Process-wide libgit2 set-up, done once before the first repository is opened.
public enum Libgit2 {
    private static let initialized: Bool = {
        git_libgit2_init()
        // Objects we create are always well-formed; checking every referenced id on creation costs
        // a lookup per tree entry and is what makes a write into a big tree slow.
        _ = git_coord_opts_strict_object_creation(0)
        return true
    }()

    /// Initializes libgit2 once for this process. Safe to call any number of times.
    public static func ensureInitialized() { _ = initialized }

    /// Turns fsync of objects and refs on (durability across power loss) or off.
    public static func setFsync(_ enabled: Bool) {
        ensureInitialized()
        _ = git_coord_opts_enable_fsync(enabled ? 1 : 0)
    }

    /// The libgit2 version linked into this process, as "major.minor.patch".
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
        git_libgit2_version(&major, &minor, &rev)
        return "\(major).\(minor).\(rev)"
    }
}
