import CoordTestSupport
import GitCoordStore
import Testing

@Suite struct RepositoryTests {
    @Test func opensFromAnySubfolderAndFromALinkedWorktreeSharingTheCommonDir() throws {
        let repo = try TempRepo()
        #expect(Shell.run(["mkdir", "-p", repo.path + "/a/b"]).status == 0)
        let wt = try repo.addWorktree("wt")
        let main = try Repository.open(at: repo.path + "/a/b")
        let linked = try Repository.open(at: wt)
        #expect(main.commonDir == linked.commonDir)
        #expect(main.gitDir != linked.gitDir)
        #expect(linked.workDir?.hasSuffix("/wt/") == true)
    }

    @Test func notARepositoryIsAnErrorCarryingLibgit2sMessage() {
        #expect(throws: GitError.self) { try Repository.open(at: "/proc") }
        do { _ = try Repository.open(at: "/proc") } catch {
            #expect(error.code == .notFound)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func blobsRoundTripAndHashLikeGitHashObject() throws {
        let repo = try TempRepo()
        let r = try Repository.open(at: repo.path)
        let bytes = Array("hello\n".utf8)
        let id = try r.writeBlob(bytes)
        #expect(try r.readBlob(id) == bytes)
        #expect(try r.blobSize(id) == 6)
        let git = try Shell.git(["hash-object", "--stdin"], in: repo.path, input: "hello\n")
        #expect(id.hex == git.trimmingCharacters())
        #expect(ObjectID.hashBlob(bytes) == id)
    }

    @Test func nestedTreesAreBuiltFromPathsWithoutAnIndexAndDiffShowsOnlyChanges() throws {
        let repo = try TempRepo()
        let r = try Repository.open(at: repo.path)
        let a = try r.writeBlob(Array("a".utf8)), b = try r.writeBlob(Array("b".utf8))
        let t1 = try r.updateTree(base: nil, [.blob("x/1/a.rec", a), .blob("x/2/b.rec", b), .blob("top", a)])
        #expect(try r.treeEntry(t1, path: "x/2/b.rec")?.id == b)
        #expect(try r.treeEntry(t1, path: "x/3") == nil)
        let t2 = try r.updateTree(base: t1, [.blob("x/2/b.rec", a), .blob("x/9/new.rec", b), TreeUpdate(path: "top", action: .remove)])
        let changes = try r.diffTrees(t1, t2)
        let byPath = Dictionary(uniqueKeysWithValues: changes.map { ($0.path, $0) })
        #expect(byPath.count == 3)
        #expect(byPath["top"]?.old == a && byPath["top"]?.new == nil)
        #expect(byPath["x/2/b.rec"]?.old == b && byPath["x/2/b.rec"]?.new == a)
        #expect(byPath["x/9/new.rec"]?.old == nil && byPath["x/9/new.rec"]?.new == b)
        #expect(try r.diffTrees(t2, t2).isEmpty)
        #expect(try r.allBlobs(in: t2).count == 3)
        // git sees the same tree.
        let listing = try Shell.git(["ls-tree", "-r", "--name-only", t2.hex], in: repo.path)
        #expect(listing.split(separator: "\n").sorted() == ["x/1/a.rec", "x/2/b.rec", "x/9/new.rec"])
    }

    @Test func commitsDoNotTouchHeadIndexOrWorkTree() throws {
        let repo = try TempRepo()
        let r = try Repository.open(at: repo.path)
        let head = try Shell.git(["rev-parse", "HEAD"], in: repo.path)
        let tree = try r.updateTree(base: nil, [.blob("f", try r.writeBlob([1, 2, 3]))])
        let sig = Signature(name: "s", email: "s@x.invalid", time: 1_700_000_000)
        let c1 = try r.createCommit(tree: tree, parents: [], message: "one\n", author: sig)
        let c2 = try r.createCommit(tree: tree, parents: [c1], message: "two\n\nKey: v\n", author: sig)
        let info = try r.commit(c2)
        #expect(info.parents == [c1])
        #expect(info.tree == tree)
        #expect(info.message == "two\n\nKey: v\n")
        #expect(try Shell.git(["rev-parse", "HEAD"], in: repo.path) == head)
        #expect(try Shell.git(["status", "--porcelain"], in: repo.path).isEmpty)
        #expect(try r.mergeBase(c2, c1) == c1)
        #expect(try r.isDescendant(c2, of: c1))
        #expect(try !r.isDescendant(c1, of: c2))
    }

    @Test func compareAndSwapRefusesAStaleExpectationAndACreateOverAnExistingRef() throws {
        let repo = try TempRepo()
        let r = try Repository.open(at: repo.path)
        let tree = try r.emptyTree()
        let sig = Signature(name: "s", email: "s@x.invalid", time: 1_700_000_000)
        let c1 = try r.createCommit(tree: tree, parents: [], message: "1\n", author: sig)
        let c2 = try r.createCommit(tree: tree, parents: [c1], message: "2\n", author: sig)
        let c3 = try r.createCommit(tree: tree, parents: [c1], message: "3\n", author: sig)
        try r.compareAndSwapReference("refs/coord/test", to: c1, expected: nil, message: "create")
        #expect(throws: GitError.self) { try r.compareAndSwapReference("refs/coord/test", to: c2, expected: nil, message: "create again") }
        try r.compareAndSwapReference("refs/coord/test", to: c2, expected: c1, message: "advance")
        do {
            try r.compareAndSwapReference("refs/coord/test", to: c3, expected: c1, message: "stale")
            Issue.record("a stale compare-and-swap succeeded")
        } catch { #expect(error.code == .modified) }
        #expect(try r.referenceTarget("refs/coord/test") == c2)
        #expect(try r.references(matching: "refs/coord/*").map(\.name) == ["refs/coord/test"])
        try r.deleteReference("refs/coord/test")
        #expect(try r.referenceTarget("refs/coord/test") == nil)
    }

    @Test func aHeldLockFailsAtOnceWithLocked() throws {
        let repo = try TempRepo()
        let r = try Repository.open(at: repo.path)
        let c = try r.createCommit(tree: try r.emptyTree(), parents: [], message: "1\n", author: Signature(name: "s", email: "e", time: 1))
        try r.compareAndSwapReference("refs/coord/locked", to: c, expected: nil, message: "m")
        let lock = r.commonDir + "refs/coord/locked.lock"
        #expect(Shell.run(["touch", lock]).status == 0)
        do {
            try r.compareAndSwapReference("refs/coord/locked", to: c, expected: c, message: "m")
            Issue.record("wrote through a held lock")
        } catch { #expect(error.code == .locked) }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.last == "\n" || s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
