import GitCoordStore

/// Brings one local document up to date with the remote's copy: the plan (skip, fast-forward or
/// merge) and the ref move. The join, the peer policy and the merge commit are the store's
/// (``CoordStore/joinTrees(ours:theirs:document:policy:claims:)``,
/// ``CoordStore/mergeCommit(_:ours:theirs:join:policy:adopt:)``), the one merge every caller shares.
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
/// - When the remote holds a cell no honest writer makes, or a strange tree in its new history,
///   `R` never becomes an ancestor: the merge adopts `J` into a commit whose only parent is `L`,
///   naming `R` in a `Coord-Adopted` trailer, and the push replaces `R` (with a lease on `R`).
///
/// The local ref moves by compare-and-swap; when a local writer moved it meanwhile, the document
/// is reconciled again from the new tip.
struct Reconciler {
    let store: CoordStore
    let policy: PeerPolicy

    enum Outcome: Equatable {
        case unchanged
        case moved(MovedDocument)
        case skipped(String)
    }

    /// Reconciles `doc` with remote tip `remote`; appends cells refused to `rejected`. `replaces`
    /// is set when the local tip holds everything sound of `remote` without descending from it
    /// (the remote's commit was kept out of local history): the push then replaces it, with a
    /// lease on `remote`.
    func reconcile(_ doc: DocumentID, remote: ObjectID, rejected: inout [RejectedCell], replaces: inout Bool) throws(CoordError) -> Outcome {
        for _ in 0..<50 {
            var refused: [RejectedCell] = []
            let local = try store.tip(doc)
            let plan = try plan(doc, local: local, remote: remote, rejected: &refused)
            replaces = plan.replaces
            switch plan.step {
            case .nothing:
                rejected.append(contentsOf: refused)
                return .unchanged
            case .skip(let reason):
                return .skipped(reason)
            case .move(let target, let how, let applied):
                do {
                    try store.compareAndSwapReference(doc.refName, to: target, expected: local, message: "coord sync: \(how.rawValue)")
                } catch {
                    switch error.code {
                    case .modified, .exists, .notFound:
                        continue // a local writer moved it: reconcile again from the new tip
                    case .locked:
                        _ = LockRecovery.recover(ref: doc.refName, commonDir: store.commonDir, staleAfter: store.staleLockSeconds)
                        Clock.sleep(milliseconds: Double.random(in: 1...20))
                        continue
                    default:
                        throw CoordError.data("cannot update \(doc.refName)", cause: error, mend: "run `git coord doctor`")
                    }
                }
                rejected.append(contentsOf: refused)
                return .moved(describe(doc, from: local, to: target, how: how, applied: applied))
            }
        }
        throw CoordError.data("gave up merging \(doc.refName): local writers kept moving it", mend: "run the sync again")
    }

    /// What to do with one document: nothing, skip it, or move the local ref.
    struct Plan {
        enum Step {
            case nothing
            /// Move to a commit; `applied` are the cells that differ from the local tree.
            case move(ObjectID, MovedDocument.How, [AppliedCell])
            case skip(String)
        }
        var step: Step
        var replaces = false
    }

    private func plan(_ doc: DocumentID, local: ObjectID?, remote: ObjectID, rejected: inout [RejectedCell]) throws(CoordError) -> Plan {
        if local == remote { return Plan(step: .nothing) }
        let history = doc.kind.keepsHistory
        if history, let local, try descends(local, from: remote) { return Plan(step: .nothing) }
        let theirs: CommitInfo
        do { theirs = try store.commit(remote) } catch { return Plan(step: .skip("\(remote.hex) is not a readable commit")) }
        if let problem = store.markerProblem(doc, tree: theirs.tree) { return Plan(step: .skip(problem)) }
        let remoteStamp = Trailers.parse(theirs.message)["Coord-Stamp"].flatMap(Stamp.init)
        var stampTrusted = true
        if let s = remoteStamp, s.milliseconds > policy.latestAccepted {
            stampTrusted = false
            rejected.append(RejectedCell(document: doc.refName, path: "Coord-Stamp", reason: "commit stamp \(s) is \((s.milliseconds - policy.now) / 1000) s ahead of this clock (forged or skewed); not trusted", lasting: false, object: remote.hex))
        }
        let ours = try local.map { (c) throws(CoordError) in try store.commitInfo(c, doc) }
        let join = try store.joinTrees(ours: ours?.tree, theirs: theirs.tree, document: doc.refName, policy: policy, claims: try claimOrder(doc, local: local, remote: remote))
        rejected.append(contentsOf: join.rejected)
        var adopt = join.keepsPeerOut
        if history, !adopt, let problem = try store.peerHistoryProblem(doc, local: local, remote: remote) {
            rejected.append(problem)
            adopt = true
        }
        let applied = join.applied
        if !adopt, join.tree == theirs.tree, stampTrusted {
            if local == nil { return Plan(step: .move(remote, .created, applied)) }
            if !history, let ours {
                // Equal trees: the larger id wins, so two clones holding different commits agree.
                if join.tree != ours.tree || remote > ours.id { return Plan(step: .move(remote, .fastForward, applied)) }
                return Plan(step: .nothing)
            }
            if let local, try descends(remote, from: local) { return Plan(step: .move(remote, .fastForward, applied)) }
        }
        if let ours, join.tree == ours.tree {
            // Local already holds everything sound of the remote: keep it (the push replaces the remote's).
            if !history || adopt { return Plan(step: .nothing, replaces: adopt) }
            // The remote only added what this clone refuses (a skewed clone's cells): a merge
            // would bring nothing, and the writer would merge its cells back, round after round.
            if let local, try descends(remote, from: local) { return Plan(step: .nothing) }
        }
        let merge = try store.mergeCommit(doc, ours: ours, theirs: theirs, join: join, policy: policy, adopt: adopt)
        if merge == local { return Plan(step: .nothing) }
        return Plan(step: .move(merge, local == nil ? .created : .merged, applied), replaces: adopt)
    }

    /// Claims on the board resolve by arrival and causal knowledge (``ClaimOrder/arrival(base:)``),
    /// which needs the tree both sides last shared.
    func claimOrder(_ doc: DocumentID, local: ObjectID?, remote: ObjectID) throws(CoordError) -> ClaimOrder {
        guard doc.kind == .board else { return .earliestStamp }
        guard let local else { return .arrival(base: nil) }
        do {
            let base = try store.mergeBase(local, remote)
            return .arrival(base: try base.map { (b) throws(GitError) in try store.treeOfCommit(b) })
        } catch {
            throw CoordError.data("cannot find what \(doc.refName) shares with the remote", cause: error, mend: "run `git coord doctor`")
        }
    }

    func descends(_ commit: ObjectID, from ancestor: ObjectID) throws(CoordError) -> Bool {
        do { return try store.isDescendant(commit, of: ancestor) } catch {
            throw CoordError.data("cannot compare history of \(commit) and \(ancestor)", cause: error, mend: "run `git coord doctor`")
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
