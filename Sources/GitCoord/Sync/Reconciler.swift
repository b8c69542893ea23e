import GitCoordStore

/// Brings one local document up to date with the remote's copy: take it, fast-forward, or the
/// deterministic merge; all checked against a ``PeerPolicy`` first, since the remote is untrusted.
///
/// The rules, for local tip `L` and remote tip `R` (`J` is the pathwise join of their trees with
/// the remote's cells checked):
/// - `L == R`, or (history kinds) `L` descends from `R`: nothing to do.
/// - The remote commit is unreadable, or its `.coord` marker is bad or from a newer format: the
///   document is skipped and reported; the local copy is left alone and not pushed.
/// - `J` equals `R`'s tree, `R`'s stamp is trusted, and (history kinds) `R` descends from `L` or `L`
///   is absent: the local ref moves to `R` (fast-forward).
/// - History-less kinds (beat, seen), `J` equals `L`'s tree: keep `L` (ties between two commits with
///   equal trees go to the larger id, so both ends pick the same).
/// - Otherwise: a merge commit of tree `J` (sorted parents; none for history-less kinds).
///
/// The local ref moves by compare-and-swap; when a local writer moved it meanwhile, the document
/// is reconciled again from the new tip.
struct Reconciler {
    let store: CoordStore
    let policy: PeerPolicy
    var repo: Repository { store.repository }

    enum Outcome: Equatable {
        case unchanged
        case moved(MovedDocument)
        case skipped(String)
    }

    /// Reconciles `doc` with remote tip `remote`; appends cells refused to `rejected`.
    func reconcile(_ doc: DocumentID, remote: ObjectID, rejected: inout [RejectedCell]) throws(CoordError) -> Outcome {
        for _ in 0..<50 {
            var refused: [RejectedCell] = []
            let local = try store.tip(doc)
            guard let plan = try plan(doc, local: local, remote: remote, rejected: &refused) else {
                rejected.append(contentsOf: refused)
                return .unchanged
            }
            if case .skip(let reason) = plan { return .skipped(reason) }
            guard case .move(let target, let how, let applied) = plan else { return .unchanged }
            do {
                try repo.compareAndSwapReference(doc.refName, to: target, expected: local, message: "coord sync: \(how.rawValue)")
            } catch {
                switch error.code {
                case .modified, .exists, .notFound:
                    continue // a local writer moved it: reconcile again from the new tip
                case .locked:
                    _ = LockRecovery.recover(ref: doc.refName, commonDir: repo.commonDir, staleAfter: store.staleLockSeconds)
                    Clock.sleep(milliseconds: Double.random(in: 1...20))
                    continue
                default:
                    throw CoordError.data("cannot update \(doc.refName): \(error.message)")
                }
            }
            rejected.append(contentsOf: refused)
            return .moved(describe(doc, from: local, to: target, how: how, applied: applied))
        }
        throw CoordError.data("gave up merging \(doc.refName): local writers kept moving it")
    }

    enum Plan {
        /// Move to a commit; `applied` are the cells that differ from the local tree.
        case move(ObjectID, MovedDocument.How, [AppliedCell])
        case skip(String)
    }

    private func plan(_ doc: DocumentID, local: ObjectID?, remote: ObjectID, rejected: inout [RejectedCell]) throws(CoordError) -> Plan? {
        if local == remote { return nil }
        let history = doc.kind.keepsHistory
        if history, let local, try descends(local, from: remote) { return nil }
        let theirs: CommitInfo
        do { theirs = try repo.commit(remote) } catch { return .skip("\(remote.hex) is not a readable commit") }
        if let problem = markerProblem(doc, tree: theirs.tree) { return .skip(problem) }
        let remoteStamp = Trailers.parse(theirs.message)["Coord-Stamp"].flatMap(Stamp.init)
        var stampTrusted = true
        if let s = remoteStamp, s.milliseconds > policy.now + policy.maxClockSkewMilliseconds {
            stampTrusted = false
            rejected.append(RejectedCell(document: doc.refName, path: "Coord-Stamp", reason: "commit stamp \(s) is \((s.milliseconds - policy.now) / 1000) s ahead of this clock (forged or skewed); not trusted"))
        }
        let ours: CommitInfo?
        do { ours = try local.map { (c) throws(GitError) in try repo.commit(c) } } catch {
            throw CoordError.data("cannot read \(doc.refName): \(error.message)")
        }
        let (joined, applied) = try join(doc, ours: ours?.tree, theirs: theirs.tree, rejected: &rejected)
        if joined == theirs.tree && stampTrusted {
            if local == nil { return .move(remote, .created, applied) }
            if !history, let ours {
                // Equal trees: the larger id wins, so two clones holding different commits agree.
                if joined != ours.tree || remote > ours.id { return .move(remote, .fastForward, applied) }
                return nil
            }
            if let local, try descends(remote, from: local) { return .move(remote, .fastForward, applied) }
        }
        // History-less and local already holds everything: keep it (the push replaces the remote's).
        if !history, let ours, joined == ours.tree { return nil }
        let merge = try mergeCommit(doc, ours: ours, theirs: theirs, tree: joined, trustTheirStamp: stampTrusted)
        if merge == local { return nil }
        return .move(merge, local == nil ? .created : .merged, applied)
    }

    /// The deterministic merge commit, as ``CoordStore/mergeCommit(_:_:_:policy:oursIs:)`` makes it
    /// (sorted parents, fixed author, the later commit time, fixed message), except that a remote
    /// stamp too far ahead of the clock is clamped to the policy's limit in the `Coord-Stamp`
    /// trailer: otherwise the forged stamp would become this replica's clock and every later local
    /// write would carry it.
    func mergeCommit(_ doc: DocumentID, ours: CommitInfo?, theirs: CommitInfo, tree: ObjectID, trustTheirStamp: Bool) throws(CoordError) -> ObjectID {
        var stamps: [Stamp] = []
        if let ours, let s = Trailers.parse(ours.message)["Coord-Stamp"].flatMap(Stamp.init) { stamps.append(s) }
        if let s = Trailers.parse(theirs.message)["Coord-Stamp"].flatMap(Stamp.init) {
            // Clamped to the latest time the policy accepts: still past every cell taken.
            stamps.append(trustTheirStamp ? s : Stamp(milliseconds: policy.now + policy.maxClockSkewMilliseconds, counter: 0, session: s.session))
        }
        var trailers: [(String, String)] = [("Coord-Op", "merge")]
        if let s = stamps.max() { trailers.append(("Coord-Stamp", s.description)) }
        let time = max(ours?.committer.time ?? 0, theirs.committer.time)
        let sig = Signature(name: "git-coord", email: "merge@git-coord.invalid", time: time)
        let parents = doc.kind.keepsHistory ? ([ours?.id, theirs.id].compactMap { $0 }).sorted() : []
        let message = Trailers.message(subject: "\(doc.kind.rawValue): merge", trailers)
        do {
            return try repo.createCommit(tree: tree, parents: parents, message: message, author: sig)
        } catch {
            throw CoordError.data("cannot merge \(doc.refName): \(error.message)")
        }
    }

    /// Why the remote tree's `.coord` marker makes the document unreadable here, or nil.
    func markerProblem(_ doc: DocumentID, tree: ObjectID) -> String? {
        guard let entry = try? repo.treeEntry(tree, path: DocumentMarker.path), entry.kind == .blob else {
            return "no .coord marker: not a git-coord document"
        }
        guard let size = try? repo.blobSize(entry.id), size <= 4096, let bytes = try? repo.readBlob(entry.id) else {
            return "unreadable .coord marker"
        }
        return DocumentMarker.check(bytes, document: doc)?.message
    }

    func descends(_ commit: ObjectID, from ancestor: ObjectID) throws(CoordError) -> Bool {
        do { return try repo.isDescendant(commit, of: ancestor) } catch {
            throw CoordError.data("cannot compare history of \(commit) and \(ancestor): \(error.message)")
        }
    }

    /// The pathwise join of the local tree with the remote's, the remote's cells checked by the
    /// policy first: the same join as ``CoordStore/joinTrees(ours:theirs:document:policy:)``, done
    /// here so that its one tree diff also gives the report its counts (a second diff of a large
    /// mailbox costs as much as the first). Returns the tree and the cells that differ from `ours`.
    func join(_ doc: DocumentID, ours: ObjectID?, theirs: ObjectID, rejected: inout [RejectedCell]) throws(CoordError) -> (ObjectID, [AppliedCell]) {
        do {
            var updates: [TreeUpdate] = []
            var applied: [AppliedCell] = []
            for change in try repo.diffTrees(ours, theirs) {
                guard let newID = change.new else { continue } // only ours has it: keep
                if let problem = policy.check(path: change.path, id: newID, repository: repo) {
                    rejected.append(RejectedCell(document: doc.refName, path: change.path, reason: problem))
                    continue
                }
                guard let oldID = change.old else {
                    updates.append(.blob(change.path, newID))
                    applied.append(AppliedCell(path: change.path, isNew: true))
                    continue
                }
                let joinedID = try repo.writeBlob(CellJoin.join(path: change.path, try repo.readBlob(oldID), try repo.readBlob(newID)))
                if joinedID != oldID {
                    updates.append(.blob(change.path, joinedID))
                    applied.append(AppliedCell(path: change.path, isNew: false))
                }
            }
            if updates.isEmpty, let ours { return (ours, []) }
            return (try repo.updateTree(base: ours, updates), applied)
        } catch {
            throw CoordError.data("cannot merge \(doc.refName): \(error.message)")
        }
    }

    /// What changed in the document's tree, for the report.
    func describe(_ doc: DocumentID, from: ObjectID?, to: ObjectID, how: MovedDocument.How, applied: [AppliedCell]) -> MovedDocument {
        var added = 0, changed = 0, messages = 0
        var ids: [String] = []
        for change in applied where change.path != DocumentMarker.path {
            if change.isNew { added += 1 } else { changed += 1 }
            if change.isNew, doc.kind == .mail, change.path.hasPrefix("msgs/") { messages += 1 }
            let id = Shard.id(fromPath: change.path)
            if ids.count < 20, !ids.contains(id) { ids.append(id) }
        }
        return MovedDocument(document: doc, from: from, to: to, how: how, added: added, changed: changed, messages: messages, ids: ids)
    }
}

/// A cell a sync added or changed locally.
struct AppliedCell: Equatable {
    let path: String
    let isNew: Bool
}
