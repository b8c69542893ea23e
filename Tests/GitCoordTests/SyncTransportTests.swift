import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct SyncTransportTests {
    @Test func porcelainLinesAreReadPerRef() {
        let text = """
            To /tmp/r.git
            *\tabc:refs/coord/mail/a\t[new reference]
             \t0123abc:refs/coord/board\t1111111..2222222
            +\tdef:refs/coord/beat/a\t1111111...2222222 (forced update)
            =\tdef:refs/coord/seen/a\t[up to date]
            !\tdef:refs/coord/mail/b\t[rejected] (fetch first)
            !\tdef:refs/coord/mail/c\t[rejected] (stale info)
            !\tdef:refs/coord/mail/d\t[remote rejected] (pre-receive hook declined)
            Done
            """
        let s = PushStatus.parsePorcelain(text)
        #expect(s.map(\.ref) == ["refs/coord/mail/a", "refs/coord/board", "refs/coord/beat/a", "refs/coord/seen/a",
                                 "refs/coord/mail/b", "refs/coord/mail/c", "refs/coord/mail/d"])
        #expect(s.map(\.outcome) == [.updated, .updated, .updated, .upToDate, .behind, .behind, .refused])
    }

    /// A ref the server refuses for good (an update hook) is reported, not retried, and the other
    /// refs still go through.
    @Test func aRefTheServerRefusesIsReportedAndTheRestIsPushed() async throws {
        let f = try SyncFixture(clones: 1)
        let hook = f.bare + "/hooks/update"
        Files.writeAtomically(hook, "#!/bin/sh\n[ \"$1\" = refs/coord/mail/locked ] && { echo no >&2; exit 1; }\nexit 0\n")
        _ = Shell.run(["chmod", "+x", hook])
        try f.send(from: 0, to: "locked")
        try f.send(from: 0, to: "open")
        let report = try await f.coords[0].sync()
        #expect(report.rounds == 1)
        #expect(report.pushFailures.map(\.ref) == ["refs/coord/mail/locked"])
        #expect(report.pushFailures.first?.reason.contains("hook declined") == true)
        #expect(report.pushed.map(\.ref) == ["refs/coord/mail/open"])
        #expect(!report.complete)
        Files.remove(hook)
        let again = try await f.coords[0].sync()
        #expect(again.complete)
        #expect(again.pushed.map(\.ref) == ["refs/coord/mail/locked"])
    }
}
