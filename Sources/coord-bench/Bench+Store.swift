import CoordTestSupport
import GitCoord
import GitCoordStore

/// The store's write path against git's plumbing, and the cost of a write as a document grows.
enum StoreBench {
    static func run(_ bench: Bench) throws {
        bench.section("store: one write = blob + trees + commit + compare-and-swap of the ref")
        let n = bench.quick ? 300 : 2000
        let repo = try TempRepo("store-bench")
        let store = try repo.store("bench")

        // In-process writes through the store.
        let storeMs = try bench.samples(n) { i in
            try store.update(.board) { (tx) throws(CoordError) in
                tx.putRecord(Shard.path("recs", "r-\(i)", ext: "rec"), ["i": .int(Int64(i))])
            }
        }
        let storeOps = Double(n) / (storeMs.reduce(0, +) / 1000)

        // The same writes with git's plumbing: hash-object, mktree, commit-tree, update-ref OLD.
        let m = min(n, bench.quick ? 100 : 300)
        var parent = try Shell.git(["rev-parse", "HEAD"], in: repo.path).trimmed
        var tree = try Shell.git(["rev-parse", "HEAD^{tree}"], in: repo.path).trimmed
        try Shell.git(["update-ref", "refs/coord/plumbing", parent], in: repo.path)
        let plumbingMs = try bench.samples(m) { i in
            let blob = try Shell.git(["hash-object", "-w", "--stdin"], in: repo.path, input: "{\"i\":\(i)}").trimmed
            let listing = try Shell.git(["ls-tree", tree], in: repo.path)
            tree = try Shell.git(["mktree"], in: repo.path, input: listing + "100644 blob \(blob)\tr-\(i).rec\n").trimmed
            let commit = try Shell.git(["commit-tree", tree, "-p", parent, "-m", "record \(i)"], in: repo.path).trimmed
            try Shell.git(["update-ref", "refs/coord/plumbing", commit, parent], in: repo.path)
            parent = commit
        }
        let plumbingOps = Double(m) / (plumbingMs.reduce(0, +) / 1000)
        bench.line("store in-process   \(bench.fmt(storeOps, 0)) writes/s   \(bench.summary(storeMs))")
        bench.line("git plumbing (4 processes per write: hash-object, ls-tree+mktree, commit-tree, update-ref OLD)")
        bench.line("                   \(bench.fmt(plumbingOps, 0)) writes/s   \(bench.summary(plumbingMs))")
        bench.line("ratio              store is \(bench.fmt(storeOps / plumbingOps, 1))x faster than plumbing")

        // The cost of one write as the document grows.
        bench.section("store: one write into a document already holding N records")
        var medians: [Int: Double] = [:]
        for size in [100, bench.quick ? 20_000 : 100_000] {
            let doc = DocumentID(.state, "size-\(size)")
            try fill(store, doc, records: size)
            let ms = try bench.samples(bench.quick ? 100 : 300) { i in
                try store.update(doc) { (tx) throws(CoordError) in
                    tx.putRecord(Shard.path("recs", IDGenerator.make("r-", length: 12), ext: "rec"), ["i": .int(Int64(i))])
                }
            }
            medians[size] = Bench.percentile(ms, 50)
            bench.line("\(String(size).padded(7)) records   \(bench.summary(ms))")
        }
        let sizes = medians.keys.sorted()
        bench.line("ratio              a write at \(sizes.last!) records costs \(bench.fmt(medians[sizes.last!]! / medians[sizes.first!]!, 2))x one at \(sizes.first!) (p50)")

        // A whole CLI write process.
        bench.section("store: one whole `git coord` write process (start, open, write, exit)")
        let cliMs = bench.samples(bench.quick ? 20 : 100) { i in
            _ = CLI.run(["join", "cli-\(i % 5)"], in: repo.path)
        }
        bench.line("git coord join     \(bench.summary(cliMs))")
        let gitMs = bench.samples(bench.quick ? 20 : 100) { _ in
            _ = Shell.run(["git", "rev-parse", "HEAD"], in: repo.path)
        }
        bench.line("git rev-parse HEAD \(bench.summary(gitMs))   (process baseline)")
    }

    /// Puts `records` records into `doc` quickly: trees built in batches of 2,000 paths, one commit
    /// (written below the store, through the repository of its common git dir).
    static func fill(_ store: CoordStore, _ doc: DocumentID, records: Int) throws {
        let repo = try Repository.open(at: store.commonDir)
        let blob = try repo.writeBlob(JSONValue.object(["fill": true]).canonicalBytes)
        var tree = try repo.updateTree(base: nil, [.blob(DocumentMarker.path, try repo.writeBlob(DocumentMarker.bytes(for: doc.kind)))])
        var i = 0
        while i < records {
            let batch = (i..<min(records, i + 2000)).map { TreeUpdate.blob(Shard.path("recs", "f-\(IDGenerator.make("", length: 10))\($0)", ext: "rec"), blob) }
            tree = try repo.updateTree(base: tree, batch)
            i += batch.count
        }
        let stamp = Stamp(milliseconds: Clock.nowMilliseconds(), counter: 0, session: "bench")
        let commit = try repo.createCommit(tree: tree, parents: [], message: Trailers.message(subject: "\(doc.kind.rawValue): fill", [("Coord-Stamp", stamp.description)]), author: Signature(name: "bench", email: "bench@git-coord.invalid", time: stamp.milliseconds / 1000))
        try repo.forceReference(doc.refName, to: commit, message: "fill")
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == " " { s = s.dropLast() }
        return String(s)
    }

    func padded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
