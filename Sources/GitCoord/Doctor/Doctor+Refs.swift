import GitCoordStore

/// Checks of the data: every ref under `refs/coord/` read as a document, and the peers' copies.
extension Doctor {
    /// Foreign refs (an ordinary commit under `refs/coord/`), broken ones (a missing object),
    /// unreadable markers and newer formats. `--fix` moves foreign refs aside (never deletes them)
    /// and drops a broken history-less document (a beat, read marks), which its next write rebuilds.
    static func checkRefs(_ coord: Coord, _ fix: Bool) -> [Finding] {
        let store = coord.store
        guard let refs = try? store.references(matching: "refs/coord/*") else {
            return [Finding("refs", .problem, "cannot list refs/coord/*", mend: "git fsck; check the permissions of \(store.commonDir)refs")]
        }
        var out: [Finding] = []
        for ref in refs {
            guard let doc = DocumentID(refName: ref.name) else {
                out.append(Finding("refs", .warning, "\(ref.name) is not a name git-coord uses; it is ignored",
                                   mend: "git update-ref -d \(ref.name) if nothing else needs it"))
                continue
            }
            out += checkDocument(coord, doc, target: ref.target, fix: fix)
        }
        if out.isEmpty { out.append(Finding("refs", .ok, "\(refs.count) document\(refs.count == 1 ? "" : "s") read")) }
        return out
    }

    static func checkDocument(_ coord: Coord, _ doc: DocumentID, target: ObjectID, fix: Bool) -> [Finding] {
        let snap: Snapshot
        do { snap = try coord.store.snapshot(doc, at: target) } catch {
            if !coord.store.contains(target) {
                return [Finding("refs", .problem, "\(doc.refName) points at \(target.hex.prefix(12)), which is missing from the object store",
                                mend: "git coord sync to fetch it from a peer, or git update-ref -d \(doc.refName) to give it up")]
            }
            guard error.message.contains("not a git-coord document") else {
                return [Finding("refs", .problem, error.message, mend: "upgrade git-coord, or move the ref aside")]
            }
            var f = Finding("refs", .problem, "\(doc.refName) points at \(target.hex.prefix(12)), an ordinary commit, not a git-coord document",
                            mend: "git coord doctor --fix moves it to \(CoordStore.asideRef(doc.refName))")
            if fix { f.fixed = (try? coord.store.moveAside(doc.refName, target)) != nil }
            return [f]
        }
        guard snap.damaged else { return [] }
        var f = Finding("refs", .problem, "\(doc.refName) points at \(target.hex.prefix(12)), which is missing; it reads as empty",
                        mend: "git coord doctor --fix drops it; its next write rebuilds it")
        if fix {
            do { try coord.store.deleteReference(doc.refName); f.fixed = true } catch {}
        }
        return [f]
    }

    /// The peers' copies (`refs/coord-remotes/REMOTE/…`) that cannot be read: sync skips them.
    /// Refused peer cells and clock skew come from the sync layer's own findings when it exposes
    /// them; this check reads what the refs themselves show.
    static func checkPeerRefs(_ coord: Coord, _ fix: Bool) -> [Finding] {
        guard let refs = try? coord.store.references(matching: RemoteRefs.root + "*") else { return [] }
        var out: [Finding] = []
        for ref in refs {
            guard let (peer, document) = RemoteRefs.parse(ref.name), let doc = document else { continue }
            do { _ = try coord.store.snapshot(doc, at: ref.target) } catch {
                out.append(Finding("peers", .warning, "\(peer.remote)'s copy of \(doc.refName) cannot be read (\(error.message)); sync skips it",
                                   mend: "mend it on that peer (git coord doctor there)"))
            }
        }
        if out.isEmpty { out.append(Finding("peers", .ok, "\(refs.count) peer document\(refs.count == 1 ? "" : "s") read")) }
        return out
    }

    /// What sync refused from peers (``Coord/peerFindings()``): forged or strange data, and stamps
    /// from clocks too far ahead, per remote, with where the full record is.
    static func checkPeerFindings(_ coord: Coord, _ fix: Bool) -> [Finding] {
        let findings = coord.peerFindings()
        guard !findings.isEmpty else { return [Finding("peer-data", .ok, "sync has refused nothing from peers")] }
        var out: [Finding] = []
        for remote in Set(findings.map(\.remote)).sorted() {
            let mine = findings.filter { $0.remote == remote }
            let lasting = mine.filter(\.lasting).count
            let skewed = mine.filter { !$0.lasting && $0.reason.contains("ahead") }.count
            let other = mine.count - lasting - skewed
            var parts: [String] = []
            if lasting > 0 { parts.append("\(lasting) forged or malformed cell\(lasting == 1 ? "" : "s") kept out of history") }
            if skewed > 0 { parts.append("\(skewed) stamp\(skewed == 1 ? "" : "s") too far ahead of this clock (a clock off on that peer?)") }
            if other > 0 { parts.append("\(other) over this clone's limits") }
            out.append(Finding("peer-data", .warning, "from \(remote): " + parts.joined(separator: "; ") + "; the rest merged",
                               mend: "check that peer's clock and tools (git coord doctor there); every refusal is in \(coord.peerFindingsPath)"))
        }
        return out
    }
}
