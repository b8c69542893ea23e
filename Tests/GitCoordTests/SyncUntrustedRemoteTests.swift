import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// The remote is untrusted: whatever it holds, a sync takes what is sound, reports the rest and
/// never crashes.
@Suite struct SyncUntrustedRemoteTests {
    static let forged = Stamp(milliseconds: 4_102_444_800_000, counter: 0, session: "mallory") // year 2100

    /// Writes a commit with `files` (path → bytes) to the bare remote under `ref`.
    static func plant(_ bare: String, _ ref: String, _ files: [String: [UInt8]], stamp: Stamp? = nil) throws {
        let r = try Repository.open(at: bare)
        var updates: [TreeUpdate] = []
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) { updates.append(.blob(path, try r.writeBlob(bytes))) }
        let tree = try r.updateTree(base: nil, updates)
        let trailers = stamp.map { [("Coord-Stamp", $0.description)] } ?? []
        let sig = Signature(name: "mallory", email: "m@example.invalid", time: 1_764_000_000)
        let commit = try r.createCommit(tree: tree, parents: [], message: Trailers.message(subject: "planted", trailers), author: sig)
        try r.forceReference(ref, to: commit, message: "planted")
    }

    static func marker(_ kind: DocumentKind) -> [UInt8] { DocumentMarker.bytes(for: kind) }

    static func cell(_ field: String, _ value: JSONValue, stamp: Stamp) -> [UInt8] {
        FieldMap([field: .register(stamp: stamp, value: value)]).bytes
    }

    @Test func aRemoteWithMalformedDocumentsSyncsEverythingElseAndReportsTheBadOnes() async throws {
        let f = try SyncFixture(clones: 1)
        let good = Stamp(milliseconds: 1_764_000_000_000, counter: 0, session: "s9")
        try Self.plant(f.bare, "refs/coord/mail/s1", [".coord": Self.marker(.mail), "msgs/a/b/m-ab.rec": Array(#"{"body":"hi"}"#.utf8)], stamp: good)
        try Self.plant(f.bare, "refs/coord/mail/newer", [".coord": Array(#"{"format":99,"kind":"mail"}"#.utf8), "x.rec": Array("{}".utf8)])
        try Self.plant(f.bare, "refs/coord/mail/junk", [".coord": Array("{{{".utf8)])
        try Self.plant(f.bare, "refs/coord/state/nomarker", ["a.lww": Self.cell("k", 1, stamp: good)])
        try Self.plant(f.bare, "refs/coord/sessions/wrongkind", [".coord": Self.marker(.board)])
        try Self.plant(f.bare, "refs/coord/unknown/thing", [".coord": Self.marker(.board)])
        let blob = try Repository.open(at: f.bare).writeBlob(Array("not a commit".utf8))
        try Repository.open(at: f.bare).forceReference("refs/coord/jobs/blob", to: blob, message: "planted")
        try Self.plant(f.bare, "refs/coord/board", [
            ".coord": Self.marker(.board),
            "tasks/g/o/T-good01.lww": Self.cell("title", "sound", stamp: good),
            "tasks/f/o/T-forged.lww": Self.cell("title", "forever", stamp: Self.forged),
            "tasks/b/a/T-bad001.lww": Array("not json".utf8),
            "tasks/h/u/T-huge01.rec": [UInt8](repeating: 0x20, count: 3 << 20),
            ".hidden/x.rec": Array("{}".utf8),
        ], stamp: Self.forged)

        let report = try await f.coords[0].sync()

        #expect(try f.recordIDs(0, DocumentID(.mail, "s1")) == ["m-ab"])
        let skipped = Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.ref, $0.reason) })
        #expect(Set(skipped.keys) == ["refs/coord/mail/newer", "refs/coord/mail/junk", "refs/coord/state/nomarker",
                                     "refs/coord/sessions/wrongkind", "refs/coord/unknown/thing", "refs/coord/jobs/blob"])
        #expect(skipped["refs/coord/mail/newer"]?.contains("format 99") == true)
        let refused = Dictionary(uniqueKeysWithValues: report.rejectedCells.map { ($0.path, $0.reason) })
        #expect(Set(refused.keys) == ["Coord-Stamp", "tasks/f/o/T-forged.lww", "tasks/b/a/T-bad001.lww", "tasks/h/u/T-huge01.rec", ".hidden/x.rec"])
        #expect(refused["tasks/h/u/T-huge01.rec"]?.contains("limit") == true)
        #expect(refused["tasks/f/o/T-forged.lww"]?.contains("ahead") == true)

        let board = try f.store(0).snapshot(.board)
        #expect(try board.fields("tasks/g/o/T-good01.lww")?.value("title") == "sound")
        #expect(try board.bytes("tasks/f/o/T-forged.lww") == nil)
        #expect(try board.bytes("tasks/h/u/T-huge01.rec") == nil)
        #expect(try board.stamp().map { $0 < Self.forged } == true)
        #expect(try f.store(0).tip(DocumentID(.mail, "newer")) == nil)
        #expect(report.lines.contains { $0.hasPrefix("skipped refs/coord/mail/newer from origin: ") })
        #expect(report.json["rejectedCells"]?.arrayValue?.count == 5)
    }

    /// A forged far-future stamp would win every register forever and drag this replica's clock
    /// along: it is refused, and later local writes keep real-time stamps and win over it.
    @Test func aForgedFarFutureStampIsRefusedAndDoesNotMoveTheLocalClock() async throws {
        let f = try SyncFixture(clones: 1)
        try f.setTask(from: 0, task: "T-abcdef", field: "title", value: "mine")
        _ = try await f.coords[0].sync()
        let remote = try Repository.open(at: f.bare)
        let tip = try #require(try remote.referenceTarget("refs/coord/board"))
        let path = Shard.path("tasks", "T-abcdef", ext: "lww")
        let tree = try remote.updateTree(base: try remote.treeOfCommit(tip), [.blob(path, try remote.writeBlob(Self.cell("title", "stolen", stamp: Self.forged)))])
        let sig = Signature(name: "mallory", email: "m@example.invalid", time: 1_764_000_000)
        let forgedCommit = try remote.createCommit(tree: tree, parents: [tip], message: Trailers.message(subject: "board: set", [("Coord-Stamp", Self.forged.description)]), author: sig)
        try remote.forceReference("refs/coord/board", to: forgedCommit, message: "forged")

        let report = try await f.coords[0].sync()
        #expect(report.rejectedCells.map(\.path).sorted() == ["Coord-Stamp", path])
        #expect(try f.store(0).snapshot(.board).fields(path)?.value("title") == "mine")
        let next = try #require(try f.setTask(from: 0, task: "T-abcdef", field: "title", value: "later"))
        #expect(next < Self.forged)
        #expect(try f.store(0).snapshot(.board).fields(path)?.value("title") == "later")
    }
}
