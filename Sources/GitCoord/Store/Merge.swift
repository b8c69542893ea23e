import GitCoordStore

/// A cell from a peer that was not taken, and why.
public struct RejectedCell: Sendable, Equatable, CustomStringConvertible {
    public let document: String
    public let path: String
    public let reason: String
    public var description: String { "\(document): \(path): \(reason)" }
}

/// What a peer's cells must satisfy before they are joined into local documents.
public struct PeerPolicy: Sendable {
    /// Largest cell accepted, in bytes.
    public var maxCellBytes = 2 * 1024 * 1024
    /// How far past the local clock a stamp may be before it is refused, in milliseconds.
    public var maxClockSkewMilliseconds: Int64 = 10 * 60 * 1000
    /// The local wall clock in milliseconds.
    public var now: Int64

    public init(now: Int64) { self.now = now }

    /// Nil when the cell may be taken, else why not.
    public func check(path: String, id: ObjectID, repository: Repository) -> String? {
        if path == DocumentMarker.path { return nil }
        for part in path.split(separator: "/") where part == "." || part == ".." || part.hasPrefix(".") {
            return "strange path component '\(part)'"
        }
        guard let size = try? repository.blobSize(id) else { return "blob \(id) is missing" }
        if size > maxCellBytes { return "cell of \(size) bytes is over the \(maxCellBytes)-byte limit" }
        guard let bytes = try? repository.readBlob(id) else { return "blob \(id) is unreadable" }
        if let problem = CellJoin.validate(path: path, bytes) { return problem }
        if CellKind.of(path: path) == .fields, let map = try? FieldMap(bytes: bytes), let s = map.maxStamp,
           s.milliseconds > now + maxClockSkewMilliseconds {
            return "stamp \(s) is \((s.milliseconds - now) / 1000) s ahead of this clock (forged or skewed)"
        }
        return nil
    }
}

extension CoordStore {
    /// The pathwise join of two document trees: every path of either, each cell the join of both.
    ///
    /// Only the paths where the trees differ are read, so the cost follows the difference. With a
    /// policy, cells that `theirs` adds or changes are checked first, and rejected ones are left
    /// out and returned.
    public func joinTrees(ours: ObjectID?, theirs: ObjectID?, document: String = "", policy: PeerPolicy? = nil) throws(CoordError) -> (tree: ObjectID, rejected: [RejectedCell]) {
        let repo = repository
        do {
            var updates: [TreeUpdate] = []
            var rejected: [RejectedCell] = []
            for change in try repo.diffTrees(ours, theirs) {
                guard let newID = change.new else { continue } // only ours has it: keep
                if let policy, let problem = policy.check(path: change.path, id: newID, repository: repo) {
                    rejected.append(RejectedCell(document: document, path: change.path, reason: problem))
                    continue
                }
                guard let oldID = change.old else {
                    updates.append(.blob(change.path, newID))
                    continue
                }
                let joined = CellJoin.join(path: change.path, try repo.readBlob(oldID), try repo.readBlob(newID))
                let joinedID = try repo.writeBlob(joined)
                if joinedID != oldID { updates.append(.blob(change.path, joinedID)) }
            }
            if updates.isEmpty, let ours { return (ours, rejected) }
            return (try repo.updateTree(base: ours, updates), rejected)
        } catch {
            throw CoordError.data("cannot merge \(document): \(error.message)")
        }
    }

    /// The deterministic merge commit of two document tips: sorted parents, the joined tree, a
    /// fixed author, the later of the two commit times and a fixed message. Two replicas merging
    /// the same two tips make the same commit id, so syncs never bounce new merges back and forth.
    public func mergeCommit(_ doc: DocumentID, _ a: ObjectID, _ b: ObjectID, policy: PeerPolicy? = nil, oursIs ours: ObjectID? = nil) throws(CoordError) -> (commit: ObjectID, rejected: [RejectedCell]) {
        if a == b { return (a, []) }
        let repo = repository
        do {
            let ca = try repo.commit(a), cb = try repo.commit(b)
            let mine = ours ?? a
            let (oursInfo, theirsInfo) = mine == a ? (ca, cb) : (cb, ca)
            let (tree, rejected) = try joinTrees(ours: oursInfo.tree, theirs: theirsInfo.tree, document: doc.refName, policy: policy)
            let stamps = [ca, cb].compactMap { Trailers.parse($0.message)["Coord-Stamp"].flatMap(Stamp.init) }
            var trailers: [(String, String)] = [("Coord-Op", "merge")]
            if let s = stamps.max() { trailers.append(("Coord-Stamp", s.description)) }
            let time = max(ca.committer.time, cb.committer.time)
            let sig = Signature(name: "git-coord", email: "merge@git-coord.invalid", time: time)
            let parents = doc.kind.keepsHistory ? [a, b].sorted() : []
            let message = Trailers.message(subject: "\(doc.kind.rawValue): merge", trailers)
            let commit = try repo.createCommit(tree: tree, parents: parents, message: message, author: sig)
            return (commit, rejected)
        } catch let e as GitError {
            throw CoordError.data("cannot merge \(doc.refName): \(e.message)")
        } catch let e as CoordError {
            throw e
        } catch {
            throw CoordError.data("cannot merge \(doc.refName): \(error)")
        }
    }
}
