import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// `git coord report` from the command line, on a small night that ended a minute ago.
@Suite struct ReportCLITests {
    static func night() throws -> (TempRepo, NightTruth) {
        let repo = try TempRepo()
        let spec = NightSpec(start: Clock.nowMilliseconds() - 2 * 3_600_000, hours: 2, tasks: 30, jobs: 8, messages: 60, seed: 5)
        return (repo, try NightFixture.generate(at: repo.path, spec))
    }

    static func refs(_ repo: TempRepo) throws -> String {
        try Shell.git(["-C", repo.path, "for-each-ref", "--format=%(refname) %(objectname)", "refs/coord"])
    }

    @Test func textAndJSONTellTheNightsFigures() throws {
        let (repo, t) = try ReportCLITests.night()
        let before = try ReportCLITests.refs(repo)
        let text = CLI.run(["report"], in: repo.path)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Tasks: \(t.added) added, \(t.claims) claimed, \(t.done) done"))
        #expect(text.stdout.contains("\(t.killed) dead at \(TimeText.utc(t.killedAt))"))
        let json = CLI.run(["report", "--since", "3h", "--json"], in: repo.path)
        #expect(json.status == 0, "\(json.stderr)")
        let v = try JSONValue.parse(json.stdout)
        #expect(v["operations"]?.intValue == Int64(t.operations))
        #expect(v["messages"]?["count"]?.intValue == Int64(t.messages))
        #expect(v["jobs"]?.arrayValue?.count == t.jobs.count)
        #expect(v["tasks"]?["done"]?.intValue == Int64(t.done))
        #expect(try ReportCLITests.refs(repo) == before, "reading a report writes nothing")
    }

    @Test func htmlIsWrittenToAFileOrStandardOutput() throws {
        let (repo, t) = try ReportCLITests.night()
        let file = repo.root + "/night.html"
        let r = CLI.run(["report", "--html", file], in: repo.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("wrote \(file) ("))
        let page = Files.readString(file) ?? ""
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        for job in t.jobs { #expect(page.contains("id=\"job-\(job.id)\"")) }
        let out = CLI.run(["report", "--html", "-"], in: repo.path)
        #expect(out.status == 0 && out.stdout.hasPrefix("<!DOCTYPE html>"))
        let both = CLI.run(["report", "--html", file, "--json"], in: repo.path)
        #expect(both.status == 0, "\(both.stderr)")
        #expect(try JSONValue.parse(both.stdout)["schema"]?.intValue == 1)
    }

    /// Bad input: one line saying what was wrong, exit 2, nothing written.
    @Test func badInputIsRefusedWithOneLineAndNothingWritten() throws {
        let repo = try TempRepo()
        #expect(CLI.run(["join", "lead"], in: repo.path).status == 0)
        let before = try ReportCLITests.refs(repo)
        let missing = repo.root + "/no/such/folder/x.html"
        let cases: [([String], String)] = [
            (["report", "--since", "yesterday"], "invalid --since 'yesterday'"),
            (["report", "--from", "2026-13-01"], "invalid --from '2026-13-01'"),
            (["report", "--until", "soon"], "invalid --until 'soon'"),
            (["report", "--since", "2h", "--from", "2026-11-30"], "--since and --from both give the start"),
            (["report", "--from", "2026-12-01", "--until", "2026-11-30"], "the period is empty"),
            (["report", "--html", missing], "cannot write \(missing): there is no folder"),
        ]
        for (args, message) in cases {
            let r = CLI.run(args, in: repo.path)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("git coord: " + message), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stdout.isEmpty, "\(args)")
        }
        #expect(!Files.exists(repo.root + "/no"))
        #expect(try ReportCLITests.refs(repo) == before)
        let outside = CLI.run(["report"], in: repo.root)
        #expect(outside.status == 2 && outside.stderr.contains("not in a git repository"))
    }

    @Test func helpTeachesThePeriodAndTheForms() throws {
        let r = CLI.run(["report", "--help"], in: "/")
        #expect(r.status == 0)
        for word in ["--since", "--from", "--until", "--html", "--json", "git coord report --since 10h --html night.html"] {
            #expect(r.stdout.contains(word), "\(word)")
        }
    }
}
