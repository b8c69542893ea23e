import CoordTestSupport
@testable import GitCoord
import Testing

/// What a command ends with when the library, not the command line, decides it: the refusals
/// (exit 1) and defaults that the CLI and the MCP server share.
@Suite struct CommandOutcomeTests {
    @Test func gettingAKeyThatIsNotSetIsARefusal() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        try coord.join("w1", role: "worker")
        #expect(throws: CoordError.refused("gate.pr-12 is not set in w1's state")) { try coord.requiredStateEntry("gate.pr-12", of: "w1") }
        try coord.setState("gate.pr-12", "pass")
        #expect(try coord.requiredStateEntry("gate.pr-12", of: "w1").value == "pass")
    }

    @Test func aSyncThatLeftRefsBehindIsARefusalNamingThem() {
        var report = SyncReport(remote: "origin")
        #expect(report.incompleteError == nil)
        report.pushFailures = [PushFailure(ref: "refs/coord/board", reason: "stale info"), PushFailure(ref: "refs/coord/mail/bob", reason: "rejected")]
        #expect(report.incompleteError == CoordError.refused("not everything reached origin: refs/coord/board, refs/coord/mail/bob"))
    }

    @Test func onlyAProblemThatWasNotFixedFailsTheDoctor() {
        var problem = Finding("refs", .problem, "refs/coord/board is foreign")
        #expect(problem.isOpenProblem)
        problem.fixed = true
        #expect(!problem.isOpenProblem)
        #expect(!Finding("growth", .warning, "many loose objects").isOpenProblem)
    }

    @Test func aHeartbeatBeatsThreeTimesPerTTLAndAtMostOncePerSecond() throws {
        let repo = try TempRepo()
        let coord = try repo.coord("w1")
        #expect(coord.defaultHeartbeatInterval == 20_000, "default TTL 60 s")
        try Shell.git(["-C", repo.path, "config", "coord.heartbeatTTL", "2s"])
        #expect(try repo.coord("w1").defaultHeartbeatInterval == 1_000)
    }

    /// `report --html FILE` refuses a missing folder before reading anything, and writes the page.
    @Test func anHTMLReportNeedsAnExistingFolderAndIsWrittenWhole() throws {
        let repo = try TempRepo()
        let missing = Files.join(repo.root, "no-such-folder", "night.html")
        #expect(throws: CoordError.usage("cannot write \(missing): there is no folder \(Files.parent(of: missing)); create it or choose another path")) {
            try Report.checkHTMLDestination(missing)
        }
        let path = Files.join(repo.root, "night.html")
        try Report.checkHTMLDestination(path)
        let report = try repo.coord(nil).report(ReportQuery(now: Clock.nowMilliseconds()))
        let page = try report.writeHTML(to: path)
        #expect(Files.readString(path) == page && page.hasPrefix("<!DOCTYPE html>"))
    }
}
