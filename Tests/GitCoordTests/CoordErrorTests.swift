import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct CoordErrorTests {
    /// A failure of libgit2 under the store keeps libgit2's error as the cause, and the line the
    /// user reads still shows libgit2's message, then how to mend.
    @Test func aWrappedGitErrorIsKeptAsTheCauseAndShownInTheLine() throws {
        let repo = try TempRepo()
        Files.makeFolders(Files.join(repo.path, ".git", "refs", "coord"))
        Files.writeAtomically(Files.join(repo.path, ".git", "refs", "coord", "board"), "not a commit id\n")
        let store = try repo.store("s")
        var caught: CoordError?
        do throws(CoordError) { _ = try store.tip(.board) } catch { caught = error }
        let error = try #require(caught)
        let git = try #require(error.cause as? GitError, "the cause is libgit2's error, not a string")
        #expect(error.kind == .data && error.exitCode == 3)
        #expect(error.message == "cannot read refs/coord/board: \(git.message); run `git coord doctor`")
    }

    /// Outside a repository the sentence places libgit2's message where it always did, and the
    /// error still carries it.
    @Test func aSentenceThatPlacesTheCauseItselfKeepsItToo() throws {
        let repo = try TempRepo()
        let outside = Files.join(repo.root, "not-a-repo")
        Files.makeFolders(outside)
        var caught: CoordError?
        do throws(CoordError) { _ = try CoordStore.open(at: outside) } catch { caught = error }
        let error = try #require(caught)
        let git = try #require(error.cause as? GitError)
        #expect(error.exitCode == 2)
        #expect(error.message.hasPrefix("not in a git repository (\(outside)): run git coord inside a work tree or clone"))
        #expect(error.message.hasSuffix("(libgit2: \(git.message))"))
    }

    @Test func anInternalInvariantIsABugWithItsOwnExitStatusNotADataFault() {
        let error = CoordError.invariant("claim of T-4k2mxq ended without an outcome")
        #expect(error.kind == .invariant && error.exitCode == 70)
        #expect(error.message.hasPrefix("internal error: claim of T-4k2mxq ended without an outcome (a bug in git-coord"))
        #expect(error.message.contains("report"))
        #expect(CoordError.data("x").exitCode == 3)
    }

    /// Equality compares kind and message: tests written against the line keep working whatever
    /// the cause.
    @Test func equalityComparesKindAndMessageNotTheCause() {
        let cause = GitError(code: -3, message: "reference 'refs/coord/board' not found", operation: "read")
        #expect(CoordError.data("cannot read refs/coord/board", cause: cause) == CoordError.data("cannot read refs/coord/board: reference 'refs/coord/board' not found"))
        #expect(CoordError.data("cannot read refs/coord/board", cause: cause).cause != nil)
        #expect(CoordError.usage("x") != CoordError.refused("x"))
        #expect(CoordError.refused("gone", mend: "join again").message == "gone; join again")
    }

    @Test func anExitStatusNamesItsKind() {
        #expect(CoordError("held", exitCode: 1).kind == .refused)
        #expect(CoordError("bad", exitCode: 2).kind == .usage)
        #expect(CoordError("broken", exitCode: 3).kind == .data)
        #expect(CoordError("bug", exitCode: 70).kind == .invariant)
        #expect(CoordError("job J-1 still running after --timeout", exitCode: 124).kind == .status(124))
    }
}
