import GitCoord
import Testing

@Suite struct RemoteRefsTests {
    /// A remote's `refs/coord/X` is tracked as `refs/coord-remotes/REMOTE/X`, and back.
    @Test func aDocumentRefAndItsTrackingRefMapToEachOther() {
        let refs = RemoteRefs(remote: "origin")
        #expect(refs.tracking("refs/coord/mail/worker-1") == "refs/coord-remotes/origin/mail/worker-1")
        #expect(refs.local("refs/coord-remotes/origin/mail/worker-1") == "refs/coord/mail/worker-1")
        #expect(refs.local(refs.tracking("refs/coord/board")) == "refs/coord/board")
        #expect(refs.document("refs/coord-remotes/origin/mail/worker-1") == DocumentID(.mail, "worker-1"))
        #expect(refs.document("refs/coord-remotes/origin/nonsense") == nil)
        #expect(refs.fetchRefspec == "+refs/coord/*:refs/coord-remotes/origin/*")
        #expect(Coord.fetchRefspec(remote: "origin") == refs.fetchRefspec)
    }

    /// `doctor` reads any tracking ref back into its remote and document.
    @Test func aTrackingRefNamesItsRemoteAndDocument() throws {
        let (refs, doc) = try #require(RemoteRefs.parse("refs/coord-remotes/peer/board"))
        #expect(refs.remote == "peer")
        #expect(doc == .board)
        #expect(RemoteRefs.parse("refs/coord/board") == nil)
        #expect(RemoteRefs(remote: "bad name").isValid == false)
    }
}
