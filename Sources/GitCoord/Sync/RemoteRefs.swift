/// Where one remote's coordination data is kept in this clone: the remote's `refs/coord/X` is
/// tracked here as `refs/coord-remotes/REMOTE/X`. The one place that maps between the two names;
/// fetch, merge, push, `sync --watch`, `init --remote` and `doctor` all go through it.
public struct RemoteRefs: Sendable, Equatable {
    /// The folder under which every remote's tracking refs live.
    public static let root = "refs/coord-remotes/"
    /// Where the documents themselves live, here and on the remote.
    static let localRoot = "refs/coord/"

    /// The remote's name, as `git remote` lists it.
    public let remote: String

    public init(remote: String) {
        self.remote = remote
    }

    /// The prefix under which the remote's documents are tracked: `refs/coord-remotes/REMOTE/`.
    public var prefix: String { RemoteRefs.root + remote + "/" }

    /// The glob that lists the tracking refs: `refs/coord-remotes/REMOTE/*`.
    public var glob: String { prefix + "*" }

    /// The refspec that fetches every document into the prefix:
    /// `+refs/coord/*:refs/coord-remotes/REMOTE/*`.
    public var fetchRefspec: String { "+\(RemoteRefs.localRoot)*:\(glob)" }

    /// Whether the remote's name makes well-formed tracking ref names.
    public var isValid: Bool { CoordStore.isValidReferenceName(prefix + "x") }

    /// The tracking ref of a document ref: `refs/coord/X` → `refs/coord-remotes/REMOTE/X`.
    public func tracking(_ localRef: String) -> String {
        prefix + localRef.dropFirst(RemoteRefs.localRoot.count)
    }

    /// The document ref a tracking ref stands for: `refs/coord-remotes/REMOTE/X` → `refs/coord/X`.
    public func local(_ trackingRef: String) -> String {
        RemoteRefs.localRoot + trackingRef.dropFirst(prefix.count)
    }

    /// The document a tracking ref holds, nil when its name is not one this build knows.
    public func document(_ trackingRef: String) -> DocumentID? {
        DocumentID(refName: trackingRef, prefix: prefix)
    }

    /// The remote of any tracking ref (`refs/coord-remotes/REMOTE/…`, REMOTE its first part) and
    /// the document it holds (nil when the rest names none); nil for a ref outside the root.
    public static func parse(_ trackingRef: String) -> (refs: RemoteRefs, document: DocumentID?)? {
        let parts = trackingRef.split(separator: "/")
        guard trackingRef.hasPrefix(root), parts.count >= 3 else { return nil }
        let refs = RemoteRefs(remote: String(parts[2]))
        return (refs, refs.document(trackingRef))
    }
}
