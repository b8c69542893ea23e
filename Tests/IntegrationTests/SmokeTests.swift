import CoordTestSupport
import GitCoord
import Testing

@Suite struct SmokeTests {
    @Test func joinRecordsTheSessionAndWhoamiReadsItBack() throws {
        let repo = try TempRepo()
        let r = CLI.run(["join", "worker-1", "--role", "worker"], in: repo.path)
        #expect(r.status == 0, "\(r.stderr)")
        let who = CLI.run(["whoami"], in: repo.path)
        #expect(who.stdout == "worker-1 (worker)\n")
    }
}
