import GitCoordStore

extension Coord {
    /// The remote `sync` uses when none is named: `coord.remote`, else `origin`.
    public func defaultSyncRemote() -> String {
        if let configured = store.config("coord.remote"), !configured.isEmpty { return configured }
        return "origin"
    }

    /// Checks that `name` (or the default) is a configured remote and returns it.
    public func syncRemote(_ name: String?) throws(CoordError) -> String {
        let remote = name ?? defaultSyncRemote()
        guard !remote.isEmpty, !remote.hasPrefix("-"), RemoteRefs(remote: remote).isValid else {
            throw CoordError.usage("invalid remote name '\(remote)': name a remote that `git remote` lists")
        }
        guard store.config("remote.\(remote).url") != nil else {
            if name == nil {
                throw CoordError.usage("no remote to sync with: add one with `git remote add origin URL`, or name one with `git config coord.remote NAME`")
            }
            throw CoordError.usage("no remote named '\(remote)': add it with `git remote add \(remote) URL` first, or pick one of `git remote`")
        }
        return remote
    }

    /// A transport to `remote` running git in this repository.
    func transport(_ remote: String) -> GitTransport {
        GitTransport(remote: remote, directory: store.workDir ?? store.commonDir)
    }

    /// Fetches, merges every document, pushes what the remote lacks; on a push that lost a race,
    /// fetches, merges and pushes again, at most `maxRounds` times.
    ///
    /// The remote is untrusted: documents it holds that this build cannot read are skipped,
    /// cells that fail ``PeerPolicy`` are left out, and both are listed in the report. Throws
    /// ``CoordError/refused(_:)`` when the remote cannot be reached.
    public func sync(remote name: String? = nil, maxRounds: Int = 10, policy: PeerPolicy? = nil) async throws(CoordError) -> SyncReport {
        try await sync(remote: name, maxRounds: maxRounds, policy: policy, beforePush: nil)
    }

    /// ``sync(remote:maxRounds:policy:)`` with a hook run before each push (tests use it to make
    /// another clone push first).
    func sync(remote name: String?, maxRounds: Int, policy: PeerPolicy?, beforePush: ((Int) async -> Void)?) async throws(CoordError) -> SyncReport {
        let remote = try syncRemote(name)
        let transport = transport(remote)
        var report = SyncReport(remote: remote)
        var behind: [PushFailure] = []
        for round in 1...max(1, maxRounds) {
            report.rounds = round
            var t0 = Clock.monotonicNanoseconds()
            do { try await transport.fetch() } catch { throw CoordError(.refused, error.description + " (check `git remote -v` and that you can `git fetch \(remote)`)", cause: error) }
            report.fetchMs += Coord.msSince(&t0)
            let merged = try mergeTracked(transport, policy: policy ?? PeerPolicy(now: store.now()), into: &report)
            report.mergeMs += Coord.msSince(&t0)
            let items = try pushItems(transport, skipping: merged.skipped, replacing: merged.replacing)
            if items.isEmpty { behind = []; break }
            await beforePush?(round)
            let statuses: [PushStatus]
            do { statuses = try await transport.push(items.map(\.item)) } catch {
                throw CoordError(.refused, error.description + " (fetched and merged; nothing pushed)", cause: error)
            }
            report.pushMs += Coord.msSince(&t0)
            behind = []
            for status in statuses {
                guard let sent = items.first(where: { $0.item.ref == status.ref }) else { continue }
                switch status.outcome {
                case .updated, .upToDate:
                    if status.outcome == .updated {
                        report.pushed.append(PushedRef(ref: sent.item.ref, from: sent.previous, to: sent.target, forced: sent.item.lease != nil))
                    }
                    // Compare-and-swap from what this sync fetched: a second sync in this clone that
                    // fetched meanwhile holds a tracking ref at least as fresh, and keeps it.
                    try? store.compareAndSwapReference(transport.refs.tracking(sent.item.ref), to: sent.target, expected: sent.previous, message: "coord sync: pushed")
                case .behind:
                    behind.append(PushFailure(ref: status.ref, reason: "still behind \(remote) after \(round) rounds: \(status.summary)"))
                case .refused:
                    if !report.pushFailures.contains(where: { $0.ref == status.ref }) {
                        report.pushFailures.append(PushFailure(ref: status.ref, reason: status.summary))
                    }
                }
            }
            if behind.isEmpty { break }
            // Racing writers: a short random pause, growing with the round, spreads them apart.
            Clock.sleep(milliseconds: Double.random(in: 0...(20 * Double(round))))
        }
        report.pushFailures.append(contentsOf: behind)
        // Each refusal is printed once: on the sync that first meets it (Sync/PeerFindings.swift).
        report.rejectedCells = recordPeerFindings(report.rejectedCells, remote: remote)
        return report
    }

    /// Milliseconds since `t0`, which moves to now.
    static func msSince(_ t0: inout UInt64) -> Int64 {
        let now = Clock.monotonicNanoseconds()
        defer { t0 = now }
        return Int64((now - t0) / 1_000_000)
    }

    /// Merges every document the remote has (as last fetched) into the local ones. Returns the
    /// refs that were skipped, which must not be pushed, and the remote tips that local history
    /// keeps out, which the push replaces (ref → the remote tip as fetched).
    func mergeTracked(_ transport: GitTransport, policy: PeerPolicy, into report: inout SyncReport) throws(CoordError) -> (skipped: Set<String>, replacing: [String: ObjectID]) {
        let reconciler = Reconciler(store: store, policy: policy)
        var skipped = Set<String>()
        var replacing: [String: ObjectID] = [:]
        let tracked: [(name: String, target: ObjectID)]
        do { tracked = try store.references(matching: transport.refs.glob) } catch {
            throw CoordError.data("cannot list \(transport.refs.glob)", cause: error, mend: "run `git coord doctor`")
        }
        for (name, target) in tracked {
            let local = transport.refs.local(name)
            guard let doc = transport.refs.document(name) else {
                report.skipped.append(SkippedDocument(ref: local, reason: "not a document this git-coord knows"))
                skipped.insert(local)
                continue
            }
            let before = try store.tip(doc)
            let outcome: Reconciler.Outcome
            var replaces = false
            do { outcome = try reconciler.reconcile(doc, remote: target, rejected: &report.rejectedCells, replaces: &replaces) } catch {
                // One document that cannot be merged never stops the others.
                report.skipped.append(SkippedDocument(ref: local, reason: error.message))
                skipped.insert(local)
                continue
            }
            if replaces { replacing[local] = target }
            switch outcome {
            case .unchanged: break
            case .skipped(let reason):
                report.skipped.append(SkippedDocument(ref: local, reason: reason))
                skipped.insert(local)
            case .moved(let moved):
                report.moved.append(moved)
                if doc == .board { notifyLostClaims(before: before, after: moved.to, into: &report) }
                if doc == .leases { notifyLostLeases(before: before, after: moved.to, into: &report) }
            }
        }
        return (skipped, replacing)
    }

    struct PlannedPush {
        let item: GitTransport.PushItem
        let previous: ObjectID?
        var target: ObjectID { item.source }
    }

    /// The local documents the remote lacks or holds older: pushed without force when they
    /// descend from the remote's tip; heartbeats and read marks (single writer, no history) with
    /// a lease on the tip last fetched. A remote tip that local history keeps out (`replacing`) is
    /// replaced with a lease on it, so only the tip that was judged is overwritten.
    func pushItems(_ transport: GitTransport, skipping skipped: Set<String>, replacing: [String: ObjectID] = [:]) throws(CoordError) -> [PlannedPush] {
        var out: [PlannedPush] = []
        do {
            var tracked: [String: ObjectID] = [:]
            for (name, target) in try store.references(matching: transport.refs.glob) {
                tracked[transport.refs.local(name)] = target
            }
            for (name, target) in try store.references(matching: "refs/coord/*") where !skipped.contains(name) {
                guard let doc = DocumentID(refName: name) else { continue }
                let theirs = tracked[name]
                if theirs == target { continue }
                if doc.kind.keepsHistory {
                    if let theirs, !(try store.isDescendant(target, of: theirs)) {
                        if replacing[name] == theirs {
                            out.append(PlannedPush(item: .init(ref: name, source: target, lease: .some(theirs)), previous: theirs))
                        }
                        continue
                    }
                    out.append(PlannedPush(item: .init(ref: name, source: target), previous: theirs))
                } else {
                    out.append(PlannedPush(item: .init(ref: name, source: target, lease: .some(theirs)), previous: theirs))
                }
            }
        } catch {
            throw CoordError.data("cannot plan the push", cause: error, mend: "run `git coord doctor`")
        }
        return out
    }
}
