import GitCoordStore

/// The refs of the repository, for what works on refs rather than on one document: sync's
/// tracking refs and ref moves, `doctor`'s checks and repairs.
///
/// These hand back libgit2's ``GitError`` as it came, so the caller can say what it was doing and
/// tell a lost race (`.modified`, `.exists`, `.notFound`) or a held lock (`.locked`) apart.
extension CoordStore {
    /// Refs whose names match a glob (`refs/coord/*`), with the ids they point at, sorted by name.
    public func references(matching glob: String) throws(GitError) -> [(name: String, target: ObjectID)] {
        try repository.references(matching: glob)
    }

    /// The object a ref points at, or nil when the ref is absent.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        try repository.referenceTarget(name)
    }

    /// Moves `name` to `target` only if it still points at `expected` (nil: only if it does not
    /// exist yet), under the ref's lock.
    public func compareAndSwapReference(_ name: String, to target: ObjectID, expected: ObjectID?, message: String) throws(GitError) {
        try repository.compareAndSwapReference(name, to: target, expected: expected, message: message)
    }

    /// Deletes a ref; nothing happens when it does not exist.
    public func deleteReference(_ name: String) throws(GitError) {
        try repository.deleteReference(name)
    }

    /// Whether `name` is a well-formed ref name.
    public static func isValidReferenceName(_ name: String) -> Bool {
        Repository.isValidReferenceName(name)
    }

    /// Where `doctor --fix` moves a ref it cannot read as a git-coord document: kept, never
    /// deleted.
    public static func asideRef(_ refName: String) -> String {
        "refs/coord-aside/" + refName.dropFirst("refs/".count)
    }

    /// Moves `ref` (pointing at `target`) to ``asideRef(_:)``: the commit stays reachable there,
    /// and the document's name is free again.
    public func moveAside(_ ref: String, _ target: ObjectID) throws(GitError) {
        try repository.forceReference(CoordStore.asideRef(ref), to: target, message: "git coord doctor: moved aside from \(ref)")
        try repository.deleteReference(ref)
    }
}
