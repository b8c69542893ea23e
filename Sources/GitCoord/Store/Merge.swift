import GitCoordStore

/// A cell a merge added or changed in the local tree.
public struct AppliedCell: Sendable, Equatable {
    public let path: String
    public let isNew: Bool
}

/// How a merge resolves two live claims of one task in one epoch held by different sessions.
public enum ClaimOrder: Sendable, Equatable {
    /// The cell join: the earliest stamp wins. Symmetric; for merges where neither side is the
    /// shared remote.
    case earliestStamp
    /// Sync's rule (Docs/Sync.md, "Concurrent claims"): `theirs` is the remote, `base` the tree of
    /// the merge base. A claim the other side's writer had already seen (it is in `base`) wins;
    /// between claims neither writer saw, the remote's wins, because it reached the shared remote
    /// first. Clocks play no part, so a skewed clock cannot win a claim.
    case arrival(base: ObjectID?)
}

/// The join of a peer's document tree into ours, with what was refused.
public struct PeerJoin: Sendable {
    /// The joined tree.
    public let tree: ObjectID
    /// The cells that differ from `ours`.
    public let applied: [AppliedCell]
    /// The peer's cells left out.
    public let rejected: [RejectedCell]
    /// The largest stamp of a cell taken from the peer.
    public let maxAcceptedStamp: Stamp?

    /// Whether the peer's commit must stay out of local history: some of its objects are refused
    /// whatever the time.
    public var keepsPeerOut: Bool { rejected.contains { $0.lasting } }
}

extension CoordStore {
    /// The pathwise join of two document trees: every path of either, each cell the join of both.
    ///
    /// Only the paths where the trees differ are read, so the cost follows the difference. With a
    /// policy, cells that `theirs` adds or changes are checked first, and refused ones are left
    /// out and returned. This is the one join: sync and the merge-law tests both call it.
    public func joinTrees(ours: ObjectID?, theirs: ObjectID?, document: String = "", policy: PeerPolicy? = nil, claims: ClaimOrder = .earliestStamp) throws(CoordError) -> PeerJoin {
        let repo = repository
        do {
            var updates: [TreeUpdate] = []
            var applied: [AppliedCell] = []
            var rejected: [RejectedCell] = []
            var maxAccepted: Stamp? = nil
            var claimJoin = ClaimJoin(order: claims, repository: repo)
            for change in try repo.diffTrees(ours, theirs) {
                guard let newID = change.new else { continue } // only ours has it: keep
                if let policy, let refusal = policy.refusal(document: document, path: change.path, id: newID, repository: repo) {
                    rejected.append(refusal)
                    continue
                }
                if policy != nil, CellKind.of(path: change.path) == .fields, let s = try Self.maxStamp(path: change.path, repo.readBlob(newID)), maxAccepted.map({ $0 < s }) ?? true {
                    maxAccepted = s
                }
                guard let oldID = change.old else {
                    updates.append(.blob(change.path, newID))
                    applied.append(AppliedCell(path: change.path, isNew: true))
                    continue
                }
                let joined = try claimJoin.join(path: change.path, try repo.readBlob(oldID), try repo.readBlob(newID))
                let joinedID = try repo.writeBlob(joined)
                if joinedID != oldID {
                    updates.append(.blob(change.path, joinedID))
                    applied.append(AppliedCell(path: change.path, isNew: false))
                }
            }
            let tree = updates.isEmpty && ours != nil ? ours! : try repo.updateTree(base: ours, updates)
            return PeerJoin(tree: tree, applied: updates.isEmpty ? [] : applied, rejected: rejected, maxAcceptedStamp: maxAccepted)
        } catch {
            throw CoordError.data("cannot merge \(document)", cause: error, mend: "run `git coord doctor`")
        }
    }

    static func maxStamp(path: String, _ bytes: [UInt8]) -> Stamp? {
        guard CellKind.of(path: path) == .fields else { return nil }
        return (try? FieldMap(bytes: bytes))?.maxStamp
    }

    /// The deterministic merge commit of the local tip `ours` with the peer's tip `theirs`, whose
    /// trees joined to `join`.
    ///
    /// Fixed author, the later of the two commit times, a fixed message, sorted parents: two
    /// replicas merging the same two tips make the same commit id, so syncs never bounce new
    /// merges back and forth. Two rules keep peer data in its place:
    /// - **The stamp clamp.** The `Coord-Stamp` trailer (the clock every later local write
    ///   starts from) is the larger of ours and theirs only when theirs is within the policy's
    ///   skew; a stamp further ahead is replaced by the largest stamp of a cell actually taken.
    ///   A forged or skewed peer thus never drags this replica's clock ahead.
    /// - **Refused objects stay out.** When the join refused a cell whatever the time
    ///   (``PeerJoin/keepsPeerOut``) or the peer's new history holds a strange tree, the peer
    ///   commit is not made a parent: the merge adopts the accepted cells into a commit whose only
    ///   parent is `ours` and names the peer commit in a `Coord-Adopted` trailer.
    public func mergeCommit(_ doc: DocumentID, ours: CommitInfo?, theirs: CommitInfo, join: PeerJoin, policy: PeerPolicy?, adopt: Bool) throws(CoordError) -> ObjectID {
        var stamps: [Stamp] = []
        if let ours, let s = Trailers.parse(ours.message)["Coord-Stamp"].flatMap(Stamp.init) { stamps.append(s) }
        if let s = Trailers.parse(theirs.message)["Coord-Stamp"].flatMap(Stamp.init) {
            if let policy, s.milliseconds > policy.latestAccepted {
                if let taken = join.maxAcceptedStamp { stamps.append(taken) }
            } else {
                stamps.append(s)
            }
        }
        var trailers: [(String, String)] = [("Coord-Op", "merge")]
        if let s = stamps.max() { trailers.append(("Coord-Stamp", s.description)) }
        if adopt { trailers.append(("Coord-Adopted", theirs.id.hex)) }
        // git takes times up to the year 9999; a forged time beyond stays out of the commit.
        let theirTime = min(max(theirs.committer.time, 0), 253_402_300_799)
        let time = max(ours?.committer.time ?? 0, theirTime)
        let sig = Signature(name: "git-coord", email: "merge@git-coord.invalid", time: time)
        let parents: [ObjectID]
        if !doc.kind.keepsHistory {
            parents = []
        } else if adopt {
            parents = ours.map { [$0.id] } ?? []
        } else {
            parents = [ours?.id, theirs.id].compactMap { $0 }.sorted()
        }
        let subject = adopt ? "\(doc.kind.rawValue): merge, refused cells left out" : "\(doc.kind.rawValue): merge"
        do {
            return try repository.createCommit(tree: join.tree, parents: parents, message: Trailers.message(subject: subject, trailers), author: sig)
        } catch {
            throw CoordError.data("cannot merge \(doc.refName)", cause: error, mend: "check the free space and the permissions of the git directory")
        }
    }

    /// Reads a commit of `doc`.
    func commitInfo(_ id: ObjectID, _ doc: DocumentID) throws(CoordError) -> CommitInfo {
        do { return try repository.commit(id) } catch {
            throw CoordError.data("cannot read \(doc.refName) at \(id)", cause: error, mend: "run `git coord doctor`")
        }
    }

    /// The first strange tree entry in the commits `remote` has and `local` lacks, or nil.
    ///
    /// Only the trees that differ from a commit's first parent are read, each at most once, so
    /// the cost follows the new history. A strange name (`..`, `.git`, any name a writer never
    /// makes) or an entry that is neither blob nor tree would make `git fsck --strict` and a
    /// remote with `receive.fsckObjects` refuse every later push of local history holding it.
    public func peerHistoryProblem(_ doc: DocumentID, local: ObjectID?, remote: ObjectID) throws(CoordError) -> RejectedCell? {
        let repo = repository
        var seen = Set<ObjectID>()
        var found: RejectedCell? = nil
        do {
            try repo.walkHistory(from: [remote], hiding: local.map { [$0] } ?? []) { (id) throws(GitError) in
                let info = try repo.commit(id)
                let parentTree = try info.parents.first.map { (p) throws(GitError) in try repo.treeOfCommit(p) }
                if let problem = try Self.strangeEntry(repo, old: parentTree, new: info.tree, prefix: "", seen: &seen) {
                    found = RejectedCell(document: doc.refName, path: problem.path, reason: "commit \(id.hex) has \(problem.reason); its history is kept out", object: id.hex)
                    return false
                }
                return true
            }
        } catch {
            return RejectedCell(document: doc.refName, path: "history", reason: "unreadable history: \(error.message)", object: remote.hex)
        }
        return found
    }

    private static func strangeEntry(_ repo: Repository, old: ObjectID?, new: ObjectID, prefix: String, seen: inout Set<ObjectID>) throws(GitError) -> (path: String, reason: String)? {
        if old == new || !seen.insert(new).inserted { return nil }
        var before: [String: TreeEntry] = [:]
        for e in try old.map({ (id) throws(GitError) in try repo.treeEntries(id) }) ?? [] { before[e.name] = e }
        for e in try repo.treeEntries(new) {
            let path = prefix + e.name
            if let was = before[e.name], was.id == e.id, was.kind == e.kind { continue }
            if e.kind == .other { return (path, "an entry that is neither file nor folder") }
            if prefix.isEmpty && e.name == DocumentMarker.path && e.kind == .blob { continue }
            if let problem = PeerPolicy.nameProblem(e.name, isFolder: e.kind == .tree) { return (path, problem) }
            if e.kind == .tree {
                let was = before[e.name].flatMap { $0.kind == .tree ? $0.id : nil }
                if let found = try strangeEntry(repo, old: was, new: e.id, prefix: path + "/", seen: &seen) { return found }
            }
        }
        return nil
    }
}

/// The join of two cells with a claim order; the base tree is read only on a claim conflict.
struct ClaimJoin {
    let order: ClaimOrder
    let repository: Repository

    mutating func join(path: String, _ ours: [UInt8], _ theirs: [UInt8]) throws(GitError) -> [UInt8] {
        let joined = CellJoin.join(path: path, ours, theirs)
        guard case .arrival(let base) = order, CellKind.of(path: path) == .fields,
              let o = try? FieldMap(bytes: ours), let t = try? FieldMap(bytes: theirs)
        else { return joined }
        var out: FieldMap? = nil
        for (name, tf) in t.fields {
            guard case .claim(let e, _, .some) = tf, let of = o.fields[name], case .claim(e, _, .some) = of, of != tf else { continue }
            let seen = try baseField(base, path: path, name: name)
            // The claim the other writer had seen wins; otherwise the remote's, which got there first.
            let winner = seen == of ? of : tf
            if out == nil { out = (try? FieldMap(bytes: joined)) ?? FieldMap.join(o, t) }
            out?[name] = winner
        }
        return out?.bytes ?? joined
    }

    private func baseField(_ base: ObjectID?, path: String, name: String) throws(GitError) -> Field? {
        guard let base, let entry = try repository.treeEntry(base, path: path), entry.kind == .blob else { return nil }
        return (try? FieldMap(bytes: try repository.readBlob(entry.id)))?[name]
    }
}
