internal import CLibgit2

extension Repository {
    /// The object a ref points at (peeled through symbolic refs), or nil when the ref is absent.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let rc = git_reference_name_to_id(&oid, handle, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "read ref \(name)")
        return ObjectID(oid)
    }

    /// Moves `name` to `target` only if it still points at `expected` (compare-and-swap under the
    /// ref's lock). `expected` nil means the ref must not exist yet.
    ///
    /// Throws ``GitError`` with code `.modified` or `.exists` when another writer moved the ref
    /// first, `.notFound` when it was deleted meanwhile, `.locked` while another writer holds
    /// the lock (or a crashed one left it behind).
    public func compareAndSwapReference(_ name: String, to target: ObjectID, expected: ObjectID?, message: String) throws(GitError) {
        var ref: OpaquePointer?
        // "Must not exist yet" is a compare against the zero id, which libgit2 checks under the
        // ref's lock. git_reference_create(force: 0) checks existence before taking the lock, so
        // two concurrent creators could both succeed and one write would be lost.
        let rc = target.withRaw { t in (expected ?? .zero).withRaw { e in git_reference_create_matching(&ref, handle, name, t, 1, e, message) } }
        try check(rc, "update ref \(name)")
        git_reference_free(ref)
    }

    /// Points `name` at `target` whatever it pointed at before.
    public func forceReference(_ name: String, to target: ObjectID, message: String) throws(GitError) {
        var ref: OpaquePointer?
        let rc = target.withRaw { t in git_reference_create(&ref, handle, name, t, 1, message) }
        try check(rc, "update ref \(name)")
        git_reference_free(ref)
    }

    /// Deletes a ref; nothing happens when it does not exist.
    public func deleteReference(_ name: String) throws(GitError) {
        let rc = git_reference_remove(handle, name)
        if rc == GIT_ENOTFOUND.rawValue { return }
        try check(rc, "delete ref \(name)")
    }

    /// Refs whose names match a glob (`refs/coord/mail/*`), with the ids they point at, sorted by name.
    public func references(matching glob: String) throws(GitError) -> [(name: String, target: ObjectID)] {
        var iter: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iter, handle, glob), "list refs \(glob)")
        defer { git_reference_iterator_free(iter) }
        var out: [(name: String, target: ObjectID)] = []
        var ref: OpaquePointer?
        while true {
            let rc = git_reference_next(&ref, iter)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "list refs \(glob)")
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            if let t = git_reference_target(ref) { out.append((name, ObjectID(t))) }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// Whether `name` is a well-formed ref name.
    public static func isValidReferenceName(_ name: String) -> Bool {
        // libgit2 allocates while it checks: without its set-up (no repository opened yet in this
        // process) the allocator is not there and the call crashes.
        Libgit2.ensureInitialized()
        var valid: Int32 = 0
        return git_reference_name_is_valid(&valid, name) == 0 && valid == 1
    }
}
