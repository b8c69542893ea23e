import CoordTestSupport
import GitCoord
import GitCoordStore
import PropertyBased
import Testing

@Suite struct StateBriefTests {
    static func fixture() throws -> (TempRepo, Coord, Coord) {
        let repo = try TempRepo()
        let coordinator = try repo.coord("coordinator")
        try coordinator.join("coordinator", role: "coordinator")
        let worker = try repo.coord("worker-1")
        try worker.join("worker-1", role: "worker")
        return (repo, coordinator, worker)
    }

    @Test func briefShowsIdentityStateUnreadUrgentMailAndCoordinatorDecisions() throws {
        let (repo, coordinator, worker) = try Self.fixture()
        defer { withExtendedLifetime(repo) {} }
        try worker.setState("gate.pr-12", "pass")
        try coordinator.setState("review.t-1", "approved")
        let m = try coordinator.send(Outgoing(to: ["worker-1"], body: "stop pushing to main", subject: "freeze", urgent: true))
        _ = try coordinator.send(Outgoing(to: ["worker-1"], body: "later: T-2"))
        let brief = try worker.brief()
        let text = brief.text
        #expect(text.hasPrefix("# git coord brief for worker-1\n## You\n- You are worker-1, role worker"))
        #expect(text.contains("- gate.pr-12 = pass (set by worker-1 "))
        #expect(text.contains("## Unread messages: 2, 1 urgent"))
        #expect(text.contains("- URGENT \(m.id) from coordinator, just now: freeze — stop pushing to main\n"))
        #expect(text.contains("state: set review.t-1 = \"approved\" by coordinator"))
        #expect(text.contains("## Other sessions\n- coordinator (coordinator): "))
        let order = ["## You", "## Your state", "## Unread messages", "## Coordinator's", "## Other sessions"].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        let urgent = text.range(of: "URGENT")!.lowerBound
        #expect(urgent < text.range(of: "later: T-2")!.lowerBound, "urgent first")
        #expect(text.utf8.count <= Brief.defaultMaxBytes)
    }

    /// The rule: after `state set`, a claim, an unread urgent message and a finished job,
    /// the brief holds each, within the bound, and cuts from the least important end.
    @Test func briefHoldsStateClaimUrgentMessageAndFinishedJobAndCutsFromTheEnd() throws {
        let (repo, coordinator, worker) = try Self.fixture()
        defer { withExtendedLifetime(repo) {} }
        try worker.setState("gate.pr-12", "pass")
        let held = try coordinator.addTask(TaskDraft(title: "fix flaky sync test", priority: 1))
        let ready = try coordinator.addTask(TaskDraft(title: "write the state docs", assign: "worker-1"))
        try worker.claim(held.id)
        let m = try coordinator.send(Outgoing(to: ["worker-1"], body: "stop pushing to main", subject: "freeze", urgent: true))
        let job = try worker.runJob(JobSpec(command: ["sh", "-c", "echo compiling; echo 'error: 3 tests failed' >&2; exit 3"], name: "tests"))
        #expect(job.state == .exited && job.exitCode == 3)
        let text = try worker.brief().text
        #expect(text.utf8.count <= Brief.defaultMaxBytes)
        let expected = [
            "- gate.pr-12 = pass (set by worker-1 just now)\n",
            "## Your tasks: 1 held, 1 ready\n- held \(held.id) P1 \"fix flaky sync test\" (claimed just now)\n- ready \(ready.id) P2 \"write the state docs\" (assigned to you)\n",
            "- URGENT \(m.id) from coordinator, just now: freeze — stop pushing to main\n",
            "board: add \(ready.id)",
            "## Your jobs: 0 running, 1 ended\n- \(job.id) tests: exited 3 just now: error: 3 tests failed\n",
            "- coordinator (coordinator): alive",
        ]
        for part in expected { #expect(text.contains(part), "missing \(part)") }
        let positions = ["## You", "## Your state", "## Unread messages", "## Your tasks", "## Your jobs", "## Coordinator's", "## Other sessions"].map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted())
        // Cut to a bound that cannot hold everything: the first sections stay whole, the last go.
        let full = try worker.brief(maxBytes: 100_000)
        let bound = full.text.utf8.count - 150
        let cut = try worker.brief(maxBytes: bound)
        #expect(cut.text.utf8.count <= bound)
        #expect(cut.text.contains("gate.pr-12 = pass") && cut.text.contains("URGENT \(m.id)") && cut.text.contains("held \(held.id)") && cut.text.contains("\(job.id) tests: exited 3"))
        #expect(!cut.text.contains("## Other sessions"))
    }

    @Test func aTightBoundCutsTheLeastImportantSectionsFirstAndNeverGoesOver() throws {
        let (repo, coordinator, worker) = try Self.fixture()
        defer { withExtendedLifetime(repo) {} }
        for i in 0..<20 { try worker.setState("key.\(i)", .string(String(repeating: "v", count: 40))) }
        _ = try coordinator.send(Outgoing(to: ["worker-1"], body: "urgent thing", urgent: true))
        let full = try worker.brief(maxBytes: 100_000)
        #expect(full.droppedSections.isEmpty)
        for bound in [60, 200, 400, 700, 1200, 2000] {
            let b = try worker.brief(maxBytes: bound)
            #expect(b.text.utf8.count <= bound)
            // What is kept is a prefix of the full list of sections, in order.
            let kept = b.sections.map(\.0.name)
            #expect(kept == Array(full.sections.map(\.0.name).prefix(kept.count)))
        }
        let cut = try worker.brief(maxBytes: 700)
        #expect(cut.text.contains("## Your state"))
        #expect(cut.text.contains("… ") && cut.text.contains(" more"))
        #expect(!cut.text.contains("urgent thing"), "state comes before messages, so the message is what goes")
    }

    /// The layout never exceeds its bound, keeps sections in order and marks every cut.
    @Test func layoutStaysWithinAnyBoundAndKeepsAPrefixOfSections() async {
        await forAll(count: 300, input: Gen.int(in: 0...12).array(of: 0...6), Gen.int(in: 1...600)) { counts, bound in
            let sections = counts.enumerated().map { i, n in
                BriefSection(name: "s\(i)", title: "Section \(i)", lines: (0..<n).map { "line \($0) of section \(i) é…" })
            }
            let b = Brief(session: "w", sections: sections, maxBytes: bound)
            #expect(b.text.utf8.count <= bound)
            #expect(b.sections.map(\.0.name) == Array(sections.map(\.name).prefix(b.sections.count)))
            for (s, omitted) in b.sections where omitted > 0 { #expect(b.text.contains("## \(s.title)\n")) }
            // Only the last kept section may be cut short.
            #expect(b.sections.dropLast().allSatisfy { $0.omitted == 0 })
            #expect(b.sections.count + b.droppedSections.count == sections.count)
        }
    }

    @Test func briefOfASessionThatNeverJoinedSaysHowToJoin() throws {
        let repo = try TempRepo()
        let b = try repo.coord("ghost").brief()
        #expect(b.text.contains("has not joined: run `git coord join ghost --role ROLE`"))
    }
}
