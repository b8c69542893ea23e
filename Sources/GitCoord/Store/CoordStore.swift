import GitCoordStore

/// The coordination store of one repository: documents kept as commit chains under `refs/coord/`.
///
/// Writes build the changed blobs and only the trees on the changed paths, commit without touching
/// HEAD, the index or the work tree, and move the document's ref by compare-and-swap; when another
/// writer moved it first, the operation is redone on the new tip. Reads go through libgit2 each
/// time, so every worktree and process sees every acknowledged write.
public final class CoordStore {
    /// The open repository. Only the store's own files (Store/) use it: everything else reads
    /// and writes through the store (Docs/ARCHITECTURE.md).
    let repository: Repository
    /// The session this store writes as, when one is known.
    public let session: String?
    /// Wall-clock milliseconds; replaceable in tests.
    public var now: () -> Int64 = Clock.nowMilliseconds
    /// How old a ref lock must be before it counts as left behind by a crashed writer.
    public var staleLockSeconds: Double = 10
    /// How long a writer waits for a held ref lock before giving up. Longer than
    /// `staleLockSeconds`, so a lock left by a crash just now is waited out and then recovered.
    public var lockTimeoutSeconds: Double = 15
    /// How long a writer waits for the document's write lock (``WriteLock``) before writing
    /// without it.
    public var writeLockSeconds: Double = 15
    /// The most times an operation is redone after losing a race.
    public var maxAttempts = 500

    public init(repository: Repository, session: String?) {
        self.repository = repository
        self.session = session
    }

    /// Opens the store of the repository containing `path` (nil: current directory and `GIT_DIR`).
    public static func open(at path: String? = nil, session: String? = nil) throws(CoordError) -> CoordStore {
        let repo: Repository
        do { repo = try Repository.open(at: path) } catch {
            guard error.isOwnership else {
                throw CoordError(.usage, "not in a git repository (\(path ?? Files.currentDirectory())): run git coord inside a work tree or clone, or pass -C PATH (libgit2: \(error.message))", cause: error)
            }
            repo = try openTrusted(at: path, error)
        }
        if let fmt = repo.configString("extensions.refStorage"), fmt != "files" {
            throw CoordError.data("this repository stores refs as \(fmt), which libgit2 \(Libgit2.version) cannot read; git-coord needs the files ref store", mend: "convert it with `git refs migrate --ref-format=files` (git 2.46 or later)")
        }
        if repo.configString("coord.fsync") == "true" { Libgit2.setFsync(true) }
        return CoordStore(repository: repo, session: session)
    }

    /// Opens a repository owned by another user when the user's `safe.directory` trusts every
    /// repository (`*`), as git does (libgit2 1.5 does not read `*`); otherwise the error says
    /// what git would: dubious ownership, and how to trust it.
    private static func openTrusted(at path: String?, _ error: GitError) throws(CoordError) -> Repository {
        let place = path ?? Files.currentDirectory()
        if Libgit2.globalConfigValues("safe.directory").last(where: { $0 == "*" || $0.isEmpty }) == "*" {
            Libgit2.setOwnerValidation(false)
            if let repo = try? Repository.open(at: path) { return repo }
        }
        throw CoordError(.usage, "detected dubious ownership of the repository at \(place) (\(error.message)): it belongs to another user; if you trust it, run `git config --global --add safe.directory \(place)`", cause: error)
    }

    /// The folder under the common git dir where git-coord keeps local, unsynced files.
    public var localFolder: String { Files.join(repository.commonDir, "coord") }

    // MARK: Reading

    /// The document's tip commit, nil when it does not exist.
    public func tip(_ doc: DocumentID) throws(CoordError) -> ObjectID? {
        do { return try repository.referenceTarget(doc.refName) } catch {
            throw CoordError.data("cannot read \(doc.refName)", cause: error, mend: "run `git coord doctor`")
        }
    }

    /// The document as it stands now.
    public func snapshot(_ doc: DocumentID) throws(CoordError) -> Snapshot {
        try Snapshot(repository: repository, document: doc, commit: tip(doc))
    }

    /// The document as it stood at a given commit.
    public func snapshot(_ doc: DocumentID, at commit: ObjectID?) throws(CoordError) -> Snapshot {
        try Snapshot(repository: repository, document: doc, commit: commit)
    }

    /// The documents of one kind that exist, e.g. every mailbox.
    public func documents(_ kind: DocumentKind) throws(CoordError) -> [DocumentID] {
        let glob = kind.isPerSession ? "refs/coord/\(kind.rawValue)/*" : "refs/coord/\(kind.rawValue)"
        do {
            return try repository.references(matching: glob).compactMap { DocumentID(refName: $0.name) }
        } catch {
            throw CoordError.data("cannot list \(glob)", cause: error, mend: "run `git coord doctor`")
        }
    }

    // MARK: Writing

    /// What a successful write made.
    public struct WriteResult: Sendable {
        public let commit: ObjectID
        public let stamp: Stamp
        /// How many times the operation ran (1 when nobody raced it).
        public let attempts: Int
    }

    /// Runs `body` against the document's current state and commits what it asks for, atomically.
    ///
    /// `body` may run several times: when another writer moves the ref between the read and the
    /// compare-and-swap, the state is read again and `body` runs again on it. It must therefore be
    /// a function of the snapshot, and throw to refuse (nothing is then written). Returns nil when
    /// the operation changed nothing.
    @discardableResult
    public func update(_ doc: DocumentID, as writer: String? = nil, _ body: (inout Transaction) throws(CoordError) -> Void) throws(CoordError) -> WriteResult? {
        guard let who = writer ?? session else {
            throw CoordError.usage("no session: run `git coord join NAME` in this worktree, or pass --session NAME or set GIT_COORD_SESSION")
        }
        // Queue behind other git-coord writers of this document (see ``WriteLock``). Time spent
        // queued does not count against the ref lock's time-out below.
        let queued = WriteLock.acquire(doc, folder: localFolder, seconds: writeLockSeconds)
        defer { queued?.release() }
        let started = Clock.monotonicNanoseconds()
        var backoff = 0.05
        var attempt = 0
        var objectFailures = 0
        while attempt < maxAttempts {
            attempt += 1
            let snap = try snapshot(doc)
            let stamp = Stamp.next(after: try snap.stamp(), session: who, now: now())
            var tx = Transaction(snapshot: snap, stamp: stamp)
            try body(&tx)
            guard !tx.isEmpty else { return nil }
            let commit: ObjectID
            do {
                guard let made = try makeCommit(tx, writer: who) else { return nil }
                commit = made
            } catch {
                // `git gc` may remove an empty objects/XX folder between libgit2's mkdir and its
                // rename of the new object into it; that is transient, so try a few more times.
                objectFailures += 1
                if objectFailures < 5 { Clock.sleep(milliseconds: 5); continue }
                throw CoordError.data("cannot write \(doc.refName)", cause: error, mend: "check the free space and the permissions of the git directory")
            }
            do {
                try repository.compareAndSwapReference(doc.refName, to: commit, expected: snap.commit, message: tx.subject)
                Housekeeping.noteWrite(self)
                return WriteResult(commit: commit, stamp: stamp, attempts: attempt)
            } catch {
                switch error.code {
                case .modified, .exists, .notFound:
                    // Lost the race: read again and redo.
                    backoff = min(backoff * 1.5, 5)
                    Clock.sleep(milliseconds: Double.random(in: 0...backoff))
                case .locked:
                    let waited = Double(Clock.monotonicNanoseconds() - started) / 1e9
                    attempt -= 1  // waiting on a lock is not a lost race
                    if !LockRecovery.recover(ref: doc.refName, commonDir: repository.commonDir, staleAfter: staleLockSeconds),
                       waited > lockTimeoutSeconds {
                        throw CoordError(.data, "\(doc.refName) is locked by another writer (\(Files.join(repository.commonDir, doc.refName)).lock) and has been for \(Int(waited)) s; if no git process is running, remove that file", cause: error)
                    }
                    Clock.sleep(milliseconds: Double.random(in: 1...20))
                default:
                    throw CoordError.data("cannot update \(doc.refName)", cause: error, mend: "run `git coord doctor`")
                }
            }
        }
        throw CoordError.data("gave up writing \(doc.refName) after \(maxAttempts) attempts lost to other writers", mend: "nothing was written; run the command again")
    }

    /// Builds blobs, trees and the commit of a transaction; nil when the tree does not change.
    private func makeCommit(_ tx: Transaction, writer: String) throws(GitError) -> ObjectID? {
        let snap = tx.snapshot
        var updates: [TreeUpdate] = []
        updates.reserveCapacity(tx.edits.count + 1)
        if snap.tree == nil {
            updates.append(.blob(DocumentMarker.path, try repository.writeBlob(DocumentMarker.bytes(for: snap.document.kind))))
        }
        for (path, bytes) in tx.edits.sorted(by: { $0.key < $1.key }) {
            var merged = bytes
            if let tree = snap.tree, let old = try repository.treeEntry(tree, path: path), old.kind == .blob {
                let oldBytes = try repository.readBlob(old.id)
                merged = CellJoin.join(path: path, oldBytes, bytes)
                if merged == oldBytes { continue }
            }
            updates.append(.blob(path, try repository.writeBlob(merged)))
        }
        guard !updates.isEmpty else { return nil }
        let tree = try repository.updateTree(base: snap.tree, updates)
        if tree == snap.tree { return nil }
        var trailers: [(String, String)] = [("Coord-Session", writer), ("Coord-Op", tx.operation.isEmpty ? "\(snap.document.kind.rawValue).write" : tx.operation)]
        trailers.append(("Coord-Stamp", tx.stamp.description))
        trailers.append(contentsOf: tx.trailers)
        let subject = tx.subject.isEmpty ? "\(snap.document.kind.rawValue): write by \(writer)" : tx.subject
        let sig = Signature(name: writer, email: "\(writer)@git-coord.invalid", time: tx.stamp.milliseconds / 1000)
        let parents = snap.document.kind.keepsHistory ? (snap.commit.map { [$0] } ?? []) : []
        return try repository.createCommit(tree: tree, parents: parents, message: Trailers.message(subject: subject, trailers), author: sig)
    }
}
