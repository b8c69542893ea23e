import CoordTestSupport
import GitCoord
import GitCoordStore

/// Sync: the merge of two clones' offline work, with and without a long shared history, and the
/// latency of a message between two clones running `sync --watch`.
enum SyncBench {
    static func run(_ bench: Bench) throws {
        if ProcessEnvironment.get("SYNC_BENCH_WATCH_ONLY") != nil {
            bench.section("sync: `sync --watch --interval 1s` in two clones; `send` in A until `inbox --wait` returns in B")
            return try watchLatency(bench, rounds: bench.quick ? 5 : 15)
        }
        bench.section("sync: two clones each send 1,000 messages offline, then sync (git-coord sync --json, merge in the second clone)")
        let offline = bench.quick ? 300 : 1000
        var merges: [Int: Int64] = [:]
        for history in bench.quick ? [0, 10_000] : [0, 10_000, 100_000] {
            let r = try offlineMerge(bench, history: history, offline: offline)
            merges[history] = r
        }
        let sizes = merges.keys.sorted()
        if let small = merges[sizes.first!], let big = merges[sizes.last!], small > 0 {
            bench.line("ratio              merge with \(sizes.last!) messages of history costs \(bench.fmt(Double(big) / Double(small), 2))x the merge with none")
        }

        bench.section("sync: `sync --watch --interval 1s` in two clones; `send` in A until `inbox --wait` returns in B")
        try watchLatency(bench, rounds: bench.quick ? 5 : 15)
    }

    /// Runs `git coord sync --json` and returns the parsed report and wall milliseconds.
    static func sync(_ dir: String) throws -> (JSONValue, Double) {
        let t0 = Clock.monotonicNanoseconds()
        let r = CLI.run(["sync", "--json"], in: dir)
        let ms = Double(Clock.monotonicNanoseconds() - t0) / 1e6
        guard r.status == 0 else { throw CoordError.data("sync failed in \(dir): \(r.stderr)") }
        return (try JSONValue.parse(r.stdout.trimmed), ms)
    }

    /// Builds `count` message commits in `doc` of the repository at `path` (one commit per
    /// message, as `send` makes them) with `git fast-import`, which writes them straight into a pack.
    static func buildHistory(_ path: String, _ doc: DocumentID, count: Int) throws {
        var stream: [UInt8] = []
        stream.reserveCapacity(count * 400)
        func data(_ bytes: [UInt8]) { stream += Array("data \(bytes.count)\n".utf8); stream += bytes; stream += [0x0a] }
        // Earlier mail, five minutes apart back from an hour ago (100,000 messages is about a year),
        // each with the id `send` would have given it at that time.
        let spacing: Int64 = 300_000
        let base = Clock.nowMilliseconds() - 3_600_000 - Int64(count) * spacing
        for i in 0..<count {
            let sentAt = base + Int64(i) * spacing
            let id = Mail.newID(now: sentAt)
            let stamp = Stamp(milliseconds: sentAt, counter: 0, session: "old")
            let who = "old <old@git-coord.invalid> \(stamp.milliseconds / 1000) +0000\n"
            stream += Array("commit \(doc.refName)\nauthor \(who)committer \(who)".utf8)
            data(Array(Trailers.message(subject: "mail: \(id)", [("Coord-Stamp", stamp.description)]).utf8))
            if i == 0 {
                stream += Array("M 100644 inline \(DocumentMarker.path)\n".utf8)
                data(DocumentMarker.bytes(for: doc.kind))
            }
            stream += Array("M 100644 inline \(Shard.path("msgs", id, ext: "rec"))\n".utf8)
            data(JSONValue.object(["id": .string(id), "from": "old", "body": .string("history \(i)")]).canonicalBytes)
            stream += [0x0a]
        }
        let r = Shell.run(["git", "fast-import", "--quiet"], in: path, input: String(decoding: stream, as: UTF8.self))
        guard r.status == 0 else { throw CoordError.data("fast-import failed: \(r.stderr)") }
    }

    /// One scenario; returns the merge milliseconds of the merging sync.
    static func offlineMerge(_ bench: Bench, history: Int, offline: Int) throws -> Int64 {
        let repo = try TempRepo("sync-bench")
        let bare = try repo.addBareRemote()
        let a = try repo.clone(bare, as: "a"), b = try repo.clone(bare, as: "b")
        let doc = DocumentID(.mail, "coordinator")
        if history > 0 {
            let t0 = Clock.monotonicNanoseconds()
            try buildHistory(a, doc, count: history)
            let built = Double(Clock.monotonicNanoseconds() - t0) / 1e9
            let (_, pushMs) = try sync(a)
            let (first, firstMs) = try sync(b)
            bench.line("history            \(history) messages, one commit each (git fast-import): built in \(bench.fmt(built, 1)) s, pushed in \(bench.fmt(pushMs / 1000, 1)) s; first sync of the other clone \(bench.fmt(firstMs / 1000, 1)) s (merge \(first["ms"]?["merge"]?.intValue ?? -1) ms: every cell checked once)")
        }
        let sa = try repo.store("a", at: a), sb = try repo.store("b", at: b)
        var merges: [Int64] = []
        var total = history
        for round in 0..<(bench.quick ? 2 : 3) {
            for (store, who) in [(sa, "a"), (sb, "b")] {
                for i in 0..<offline {
                    let id = Mail.newID()
                    try store.update(doc) { (tx) throws(CoordError) in
                        tx.putRecord(Shard.path("msgs", id, ext: "rec"), ["id": .string(id), "from": .string(who), "body": .string("offline \(i)")])
                    }
                }
            }
            total += 2 * offline
            let (pushA, msA) = try sync(a)
            let (mergeB, msB) = try sync(b)
            let (ffA, msA2) = try sync(a)
            let count = try repo.store(nil, at: a).snapshot(doc).blobs(under: "msgs").count
            let countB = try repo.store(nil, at: b).snapshot(doc).blobs(under: "msgs").count
            guard count == total, countB == count else {
                throw CoordError.data("expected \(total) messages on both clones, found \(count) and \(countB)")
            }
            merges.append(mergeB["ms"]?["merge"]?.intValue ?? -1)
            func ms(_ j: JSONValue) -> String { "fetch \(j["ms"]?["fetch"]?.intValue ?? -1) ms, merge \(j["ms"]?["merge"]?.intValue ?? -1) ms, push \(j["ms"]?["push"]?.intValue ?? -1) ms" }
            let label = round == 0 ? "\(String(history).padded(7)) history" : "                 "
            bench.line("\(label)  round \(round + 1): A pushes \(offline): \(bench.fmt(msA, 0)) ms (\(ms(pushA)))")
            bench.line("                   B merges \(offline)+\(offline) and pushes: \(bench.fmt(msB, 0)) ms (\(ms(mergeB)))")
            bench.line("                   A fast-forwards: \(bench.fmt(msA2, 0)) ms (\(ms(ffA)));  both hold \(count) messages")
        }
        let merge = merges.sorted()[merges.count / 2]
        bench.line("                   median merge \(merge) ms")
        return merge
    }

    /// Median time from `send` in A to `inbox --wait` returning in B, with watchers on both.
    static func watchLatency(_ bench: Bench, rounds: Int) throws {
        let repo = try TempRepo("sync-watch-bench")
        let bare = try repo.addBareRemote()
        let a = try repo.clone(bare, as: "a"), b = try repo.clone(bare, as: "b")
        _ = CLI.run(["join", "alice"], in: a)
        _ = CLI.run(["join", "bob"], in: b)
        _ = try sync(a); _ = try sync(b); _ = try sync(a)
        var pids: [Int32] = []
        defer { for pid in pids { try? OS.send(.terminate, to: pid) } }
        for (dir, name) in [(a, "a"), (b, "b")] {
            guard let pid = ProcessRunner.spawnDetached([CLI.binary, "sync", "--watch", "--interval", "1s"], logTo: repo.root + "/watch-\(name).log", in: dir) else {
                throw CoordError.data("cannot start sync --watch")
            }
            pids.append(pid)
        }
        Clock.sleep(milliseconds: 1500)
        var samples: [Double] = []
        for i in 0..<rounds {
            let t0 = Clock.monotonicNanoseconds()
            let sent = CLI.run(["send", "bob", "--allow-unknown", "-m", "ping \(i)"], in: a)
            guard sent.status == 0 else { throw CoordError.data("send failed: \(sent.stderr)") }
            let got = CLI.run(["inbox", "--wait", "--timeout", "30s"], in: b)
            guard got.status == 0 else {
                let logs = ["a", "b"].map { "watch-\($0).log: " + (Files.readString(repo.root + "/watch-\($0).log") ?? "") }.joined(separator: "\n")
                throw CoordError.data("inbox --wait in round \(i) exited \(got.status): \(got.stderr)\n\(logs)")
            }
            samples.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
            Clock.sleep(milliseconds: Double.random(in: 100...700))
        }
        bench.line("send → inbox --wait  \(bench.summary(samples))")
        bench.line("                     (A pushes on its ref change; B checks ls-remote every 1 s, so about 0.5 s of waiting is expected)")
    }
}
