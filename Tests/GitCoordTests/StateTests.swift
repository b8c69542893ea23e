import CoordTestSupport
import GitCoord
import GitCoordStore
import PropertyBased
import Testing

@Suite struct StateTests {
    @Test func setThenGetGivesTheValueAndShowListsEveryKeySorted() throws {
        let repo = try TempRepo()
        let c = try repo.coord("worker-1")
        try c.setState("gate.pr-12", "pass")
        try c.setState("plan.next", .object(["task": "T-4k2m", "step": 3]))
        #expect(try c.stateEntry("gate.pr-12", of: "worker-1")?.text == "pass")
        #expect(try c.stateEntry("plan.next", of: "worker-1")?.text == #"{"step":3,"task":"T-4k2m"}"#)
        #expect(try c.stateEntries(of: "worker-1").map(\.key) == ["gate.pr-12", "plan.next"])
    }

    @Test func lastWriterWinsPerKeyAndEveryChangeIsAnAuditedCommit() throws {
        let repo = try TempRepo()
        let c = try repo.coord("coordinator")
        try c.setState("gate.pr-12", "fail")
        try c.setState("gate.pr-12", "pass")
        #expect(try c.stateEntry("gate.pr-12", of: "coordinator")?.text == "pass")
        let log = try Shell.git(["-C", repo.path, "log", "--format=%s", "refs/coord/state/coordinator"])
        #expect(log == "state: set gate.pr-12 = \"pass\" by coordinator\nstate: set gate.pr-12 = \"fail\" by coordinator\n")
    }

    @Test func unsetWritesATombstoneKeepsThePathAndGetSaysUnset() throws {
        let repo = try TempRepo()
        let c = try repo.coord("w")
        try c.setState("a", "1")
        #expect(try c.unsetState("a"))
        #expect(try c.stateEntry("a", of: "w") == nil)
        #expect(try c.stateEntries(of: "w").isEmpty)
        let tree = try Shell.git(["-C", repo.path, "ls-tree", "-r", "--name-only", "refs/coord/state/w"])
        #expect(tree.contains("keys/a.lww"))
        #expect(try c.unsetState("a") == false, "unsetting an unset key writes nothing")
        try c.setState("a", "2")
        #expect(try c.stateEntry("a", of: "w")?.text == "2")
    }

    @Test func invalidKeysAreRefusedWithTheRuleAndNothingIsWritten() throws {
        let repo = try TempRepo()
        let c = try repo.coord("w")
        try c.setState("ok", "1")
        let before = try repo.store().tip(DocumentID(.state, "w"))
        for bad in ["", ".hidden", "-x", "a/b", "a b", "é", String(repeating: "k", count: 129), "x.lock"] {
            #expect(throws: CoordError.self) { try c.setState(bad, "v") }
            do { try c.setState(bad, "v") } catch { #expect(error.exitCode == 2 && error.message.contains("at most 128")) }
        }
        #expect(try repo.store().tip(DocumentID(.state, "w")) == before)
        #expect(StateKey.isValid(String(repeating: "k", count: 128)) && StateKey.isValid("Gate.PR_12-b"))
    }

    /// Whatever the order of sets and unsets, each key ends with the last operation on it.
    @Test func afterAnySequenceOfSetsAndUnsetsEachKeyHoldsItsLastWrite() async throws {
        let repo = try TempRepo()
        var round = 0
        await forAll(count: 15, input: Gen.int(in: 0...29).array(of: 1...12)) { ops in
            round += 1
            let session = "p\(round)"
            let c = Coord(store: try repo.store(session))
            var model: [String: String] = [:]
            for op in ops {
                let key = "k\(op % 3)"
                if op % 5 == 0 { try c.unsetState(key); model[key] = nil } else { try c.setState(key, .string("v\(op)")); model[key] = "v\(op)" }
            }
            let got = Dictionary(uniqueKeysWithValues: try c.stateEntries(of: session).map { ($0.key, $0.text) })
            #expect(got == model)
        }
    }

    @Test func writesFromTwoWorktreesToOneSessionsStateAllLand() throws {
        let repo = try TempRepo()
        let wt = try repo.addWorktree("other")
        let a = try repo.coord("w")
        let b = try repo.coord("w", at: wt)
        try a.setState("x", "1")
        try b.setState("y", "2")
        try a.setState("x", "3")
        #expect(try b.stateEntries(of: "w").map { "\($0.key)=\($0.text)" } == ["x=3", "y=2"])
    }
}
