import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

/// The HTML form of the report: one valid, self-contained page that shows every job, death and
/// task of the night, with peer text escaped.
@Suite struct ReportHTMLTests {
    static let checker = Files.join(Files.parent(of: Files.parent(of: Files.parent(of: #filePath))), "scripts", "check-report-html.py")

    /// A Python with html5lib, in a virtual environment kept under the temporary folder;
    /// installs html5lib from PyPI the first time, and skips the test when PyPI is unreachable.
    static func python() throws -> String {
        let base = ProcessEnvironment.get("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let venv = base + "/git-coord-html5lib-venv"
        let python = venv + "/bin/python"
        if Shell.run([python, "-c", "import html5lib"]).status == 0 { return python }
        let made = Shell.run(["python3", "-m", "venv", venv])
        try #require(made.status == 0, "python3 -m venv failed: \(made.stderr)")
        let pip = Shell.run([venv + "/bin/pip", "install", "-q", "--disable-pip-version-check", "html5lib"])
        if pip.status != 0 {
            let reach = Shell.run([python, "-c", "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/html5lib/', timeout=10)"])
            if reach.status != 0 { try Test.cancel("PyPI is unreachable, so html5lib cannot be installed: \(pip.stderr.prefix(200))") }
            Issue.record("pip install html5lib failed although PyPI answers: \(pip.stderr)")
        }
        return python
    }

    /// Runs the checker on `html`; returns its JSON summary.
    static func check(_ html: String) throws -> JSONValue {
        let dir = try TempRepo("page")
        let file = dir.root + "/report.html"
        #expect(Files.writeAtomically(file, html))
        let r = Shell.run([try python(), checker, file])
        try #require(r.status == 0, "the page failed its check: \(r.stderr)")
        return try JSONValue.parse(r.stdout)
    }

    @Test func thePageParsesAsHTML5AndItsTimelineAsXMLWithEveryLinkResolved() throws {
        let summary = try ReportHTMLTests.check(try FixtureNight.report().html)
        #expect((summary["svgTitles"]?.intValue ?? 0) > 2_000, "every message, job, claim and death has a title")
        #expect(summary["title"]?.stringValue?.hasPrefix("git coord report 2026-11-30 21:59:00Z") == true)
    }

    @Test func everyJobDeathAndTaskOfTheNightIsOnThePage() throws {
        let t = FixtureNight.truth
        let summary = try ReportHTMLTests.check(try FixtureNight.report().html)
        let ids = Set(summary["ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let svgLinks = Set(summary["svgLinks"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for job in t.jobs {
            #expect(ids.contains("job-" + job.id), "\(job.id) has a row")
            #expect(svgLinks.contains("#job-" + job.id), "\(job.id) has a bar linking to its row")
        }
        #expect(ids.contains("end-" + t.killed) && svgLinks.contains("#end-" + t.killed))
        for task in t.taskIDs { #expect(ids.contains("task-" + task), "\(task) has a row") }
        #expect(t.taskIDs.count == 200)
    }

    /// Task titles and message subjects are peer data: they are shown, escaped, never run.
    @Test func peerTextIsEscaped() throws {
        let t = FixtureNight.truth
        let html = try FixtureNight.report().html
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("Fix &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"))
        #expect(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &lt;/title&gt;&lt;/svg&gt;"))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(!t.hostileSubject.isEmpty && !t.hostileTitle.isEmpty)
    }

    @Test func thePageIsSelfContainedAndSmall() throws {
        let html = try FixtureNight.report().html
        for outside in ["<link", "src=", "url(", "@import", "https://", "<iframe"] {
            #expect(!html.contains(outside), "\(outside)")
        }
        #expect(html.contains("prefers-color-scheme: dark") && html.contains("@media print"))
        #expect(html.utf8.count < 2_000_000)
    }

    /// A report of an empty period is still a valid page.
    @Test func anEmptyPeriodGivesAValidPage() throws {
        let repo = try TempRepo()
        let r = try repo.coord().report(ReportQuery(from: 0, until: 3_600_000, now: 3_600_000))
        #expect(r.eventCount == 0 && r.sessions.isEmpty)
        _ = try ReportHTMLTests.check(r.html)
        #expect(r.text.hasPrefix("Report 1970-01-01 00:00:00Z to 1970-01-01 01:00:00Z (1 h): 0 operations by 0 sessions"))
    }
}
