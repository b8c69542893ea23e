internal import CLibgit2

/// The kind of a tree entry, as far as the store cares.
public enum EntryKind: Sendable, Equatable {
    case blob
    case tree
    case other
}

/// One entry of a tree: a name, the object it names and that object's kind.
public struct TreeEntry: Sendable, Equatable {
    public let name: String
    public let id: ObjectID
    public let kind: EntryKind
}

/// One change to make to a tree: put a blob at a path (creating folders), or remove a path.
public struct TreeUpdate: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case upsertBlob(ObjectID)
        case remove
    }

    public let path: String
    public let action: Action

    public init(path: String, action: Action) {
        self.path = path
        self.action = action
    }

    public static func blob(_ path: String, _ id: ObjectID) -> TreeUpdate { TreeUpdate(path: path, action: .upsertBlob(id)) }
}

/// Who made a commit and when: name, email, seconds since 1970 and the zone offset in minutes.
public struct Signature: Sendable, Equatable {
    public let name: String
    public let email: String
    public let time: Int64
    public let offsetMinutes: Int32

    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}

/// A commit read back from the object store.
public struct CommitInfo: Sendable, Equatable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    public let message: String
    public let author: Signature
    public let committer: Signature
}

extension Repository {
    // MARK: Blobs

    /// Stores `bytes` as a blob and returns its id (writing nothing if it already exists).
    public func writeBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let result = bytes.withUnsafeBytes { git_blob_create_from_buffer(&oid, handle, $0.baseAddress, $0.count) }
        try check(result, "write blob")
        return ObjectID(oid)
    }

    /// The bytes of a blob.
    public func readBlob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var blob: OpaquePointer?
        try id.withRaw { (p) throws(GitError) in try check(git_blob_lookup(&blob, handle, p), "read blob \(id)") }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// The size in bytes of a blob, read from its header without loading its content.
    public func blobSize(_ id: ObjectID) throws(GitError) -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, handle), "open object database")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_ANY
        try id.withRaw { (p) throws(GitError) in try check(git_odb_read_header(&size, &type, odb, p), "read header of \(id)") }
        return size
    }

    /// Whether the object store holds an object with this id.
    public func contains(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0 else { return false }
        defer { git_odb_free(odb) }
        return id.withRaw { git_odb_exists(odb, $0) } == 1
    }

    // MARK: Trees

    /// The entries of a tree, in git's order.
    public func treeEntries(_ id: ObjectID) throws(GitError) -> [TreeEntry] {
        var tree: OpaquePointer?
        try id.withRaw { (p) throws(GitError) in try check(git_tree_lookup(&tree, handle, p), "read tree \(id)") }
        defer { git_tree_free(tree) }
        let count = git_tree_entrycount(tree)
        var out: [TreeEntry] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let e = git_tree_entry_byindex(tree, i) else { continue }
            let kind: EntryKind
            switch git_tree_entry_type(e) {
            case GIT_OBJECT_BLOB: kind = .blob
            case GIT_OBJECT_TREE: kind = .tree
            default: kind = .other
            }
            out.append(TreeEntry(name: String(cString: git_tree_entry_name(e)), id: ObjectID(git_tree_entry_id(e)), kind: kind))
        }
        return out
    }

    /// The entry at a slash-separated path inside a tree, or nil when there is none.
    public func treeEntry(_ tree: ObjectID, path: String) throws(GitError) -> TreeEntry? {
        var t: OpaquePointer?
        try tree.withRaw { (p) throws(GitError) in try check(git_tree_lookup(&t, handle, p), "read tree \(tree)") }
        defer { git_tree_free(t) }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, t, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "look up \(path) in tree \(tree)")
        defer { git_tree_entry_free(entry) }
        let kind: EntryKind
        switch git_tree_entry_type(entry) {
        case GIT_OBJECT_BLOB: kind = .blob
        case GIT_OBJECT_TREE: kind = .tree
        default: kind = .other
        }
        let name = String(cString: git_tree_entry_name(entry))
        return TreeEntry(name: name, id: ObjectID(git_tree_entry_id(entry)), kind: kind)
    }

    /// The id of the empty tree, written to the object store if missing.
    public func emptyTree() throws(GitError) -> ObjectID {
        try updateTree(base: nil, [])
    }

    /// Builds a new tree from `base` (nil for empty) with `updates` applied, writing only the
    /// trees on the changed paths; no index or work tree is involved.
    public func updateTree(base: ObjectID?, _ updates: [TreeUpdate]) throws(GitError) -> ObjectID {
        var baseTree: OpaquePointer?
        if let base {
            try base.withRaw { (p) throws(GitError) in try check(git_tree_lookup(&baseTree, handle, p), "read tree \(base)") }
        }
        defer { if baseTree != nil { git_tree_free(baseTree) } }
        // Keep the C path strings alive for the duration of the call.
        let cPaths: [UnsafeMutablePointer<CChar>] = updates.map { Repository.cString($0.path) }
        defer { cPaths.forEach { $0.deallocate() } }
        var raw: [git_tree_update] = []
        raw.reserveCapacity(updates.count)
        for (i, u) in updates.enumerated() {
            var upd = git_tree_update()
            upd.path = UnsafePointer(cPaths[i])
            switch u.action {
            case .upsertBlob(let id):
                upd.action = GIT_TREE_UPDATE_UPSERT
                upd.id = id.raw
                upd.filemode = GIT_FILEMODE_BLOB
            case .remove:
                upd.action = GIT_TREE_UPDATE_REMOVE
            }
            raw.append(upd)
        }
        var oid = git_oid()
        let rc = raw.withUnsafeBufferPointer { git_tree_create_updated(&oid, handle, baseTree, $0.count, $0.baseAddress) }
        try check(rc, "build tree")
        return ObjectID(oid)
    }

    /// A NUL-terminated copy of `text` that outlives the call; the caller deallocates it.
    private static func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
        let bytes = text.utf8CString
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        bytes.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: $0.count) }
        return copy
    }

    // MARK: Commits

    /// Creates a commit object without moving any ref, HEAD, index or work tree.
    public func createCommit(tree: ObjectID, parents: [ObjectID], message: String, author: Signature, committer: Signature? = nil) throws(GitError) -> ObjectID {
        var treeObj: OpaquePointer?
        try tree.withRaw { (p) throws(GitError) in try check(git_tree_lookup(&treeObj, handle, p), "read tree \(tree)") }
        defer { git_tree_free(treeObj) }
        var parentObjs: [OpaquePointer?] = []
        defer { parentObjs.forEach { git_commit_free($0) } }
        for parent in parents {
            var c: OpaquePointer?
            try parent.withRaw { (p) throws(GitError) in try check(git_commit_lookup(&c, handle, p), "read commit \(parent)") }
            parentObjs.append(c)
        }
        let authorSig = try makeSignature(author)
        defer { git_signature_free(authorSig) }
        let committerSig = try makeSignature(committer ?? author)
        defer { git_signature_free(committerSig) }
        var oid = git_oid()
        let rc = parentObjs.withUnsafeMutableBufferPointer { buf in
            git_commit_create(&oid, handle, nil, authorSig, committerSig, "UTF-8", message, treeObj, buf.count, buf.baseAddress)
        }
        try check(rc, "create commit")
        return ObjectID(oid)
    }

    private func makeSignature(_ s: Signature) throws(GitError) -> UnsafeMutablePointer<git_signature>? {
        var sig: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&sig, s.name, s.email, git_time_t(s.time), s.offsetMinutes), "make signature for \(s.name)")
        return sig
    }

    /// Reads a commit: its tree, parents, message and signatures.
    public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
        var c: OpaquePointer?
        try id.withRaw { (p) throws(GitError) in try check(git_commit_lookup(&c, handle, p), "read commit \(id)") }
        defer { git_commit_free(c) }
        var parents: [ObjectID] = []
        for i in 0..<git_commit_parentcount(c) {
            if let p = git_commit_parent_id(c, i) { parents.append(ObjectID(p)) }
        }
        func sig(_ p: UnsafePointer<git_signature>?) -> Signature {
            guard let p else { return Signature(name: "", email: "", time: 0) }
            return Signature(name: String(cString: p.pointee.name), email: String(cString: p.pointee.email), time: Int64(p.pointee.when.time), offsetMinutes: p.pointee.when.offset)
        }
        let message = git_commit_message(c).map { String(cString: $0) } ?? ""
        return CommitInfo(id: id, tree: ObjectID(git_commit_tree_id(c)), parents: parents, message: message, author: sig(git_commit_author(c)), committer: sig(git_commit_committer(c)))
    }

    /// The tree id of a commit, without reading the rest of it.
    public func treeOfCommit(_ id: ObjectID) throws(GitError) -> ObjectID {
        var c: OpaquePointer?
        try id.withRaw { (p) throws(GitError) in try check(git_commit_lookup(&c, handle, p), "read commit \(id)") }
        defer { git_commit_free(c) }
        return ObjectID(git_commit_tree_id(c))
    }
}
