import CoordTestSupport
import GitCoord
import GitCoordStore
import Testing

@Suite struct StateCLITests {
    @Test func getPrintsTheBareValueAndExitsOneWhenUnset() throws {
        let repo = try TempRepo()
        #expect(CLI.run(["join", "coordinator", "--role", "coordinator"], in: repo.path).status == 0)
        #expect(CLI.run(["state", "set", "gate.pr-12", "pass with notes"], in: repo.path).status == 0)
        let got = CLI.run(["state", "get", "gate.pr-12"], in: repo.path)
        #expect(got.status == 0 && got.stdout == "pass with notes\n")
        #expect(CLI.run(["state", "set", "plan", "--json", #"{ "task": "T-1", "step": 2 }"#], in: repo.path).status == 0)
        #expect(CLI.run(["state", "get", "plan"], in: repo.path).stdout == #"{"step":2,"task":"T-1"}"# + "\n")
        let missing = CLI.run(["state", "get", "gate.pr-13"], in: repo.path)
        #expect(missing.status == 1 && missing.stdout.isEmpty && missing.stderr.contains("gate.pr-13 is not set"))
        #expect(CLI.run(["state", "unset", "gate.pr-12"], in: repo.path).status == 0)
        #expect(CLI.run(["state", "get", "gate.pr-12"], in: repo.path).status == 1)
        let other = CLI.run(["state", "get", "plan", "--of", "coordinator", "--session", "someone"], in: repo.path)
        #expect(other.stdout == #"{"step":2,"task":"T-1"}"# + "\n")
    }

    @Test func badKeysAndBadJSONExitTwoAndWriteNothing() throws {
        let repo = try TempRepo()
        try repo.coord("w").join("w", role: nil)
        #expect(CLI.run(["state", "set", "a", "1"], in: repo.path, session: "w").status == 0)
        let before = try Shell.git(["-C", repo.path, "rev-parse", "refs/coord/state/w"])
        for args in [["state", "set", "bad key", "x"], ["state", "set", ".x", "x"], ["state", "set", "k", "--json", "1.5"], ["state", "set", "k", "--json", "{"], ["state", "unset", "a/b"]] {
            let r = CLI.run(args, in: repo.path, session: "w")
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.hasPrefix("git coord: ") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(try Shell.git(["-C", repo.path, "rev-parse", "refs/coord/state/w"]) == before)
    }

    @Test func showListsKeysAsTextAndJSON() throws {
        let repo = try TempRepo()
        try repo.coord("w").join("w", role: nil)
        _ = CLI.run(["state", "set", "b", "2"], in: repo.path, session: "w")
        _ = CLI.run(["state", "set", "a", "1"], in: repo.path, session: "w")
        let text = CLI.run(["state", "show", "w"], in: repo.path)
        #expect(text.stdout.hasPrefix("KEY  VALUE  SET BY  WHEN\na    1      w       "))
        let json = CLI.run(["state", "show", "w", "--json"], in: repo.path)
        let v = try JSONValue.parse(json.stdout.trimmingSuffixNewline())
        #expect(v["state"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["a", "b"])
    }

    @Test func briefNeverPrintsMoreThanMaxBytes() throws {
        let repo = try TempRepo()
        _ = CLI.run(["join", "w", "--role", "worker"], in: repo.path)
        for i in 0..<30 { _ = CLI.run(["state", "set", "k\(i)", String(repeating: "x", count: 50)], in: repo.path) }
        for bound in [100, 500, 4096] {
            let r = CLI.run(["brief", "--max-bytes", "\(bound)"], in: repo.path)
            #expect(r.status == 0 && r.stdout.utf8.count <= bound && r.stdout.hasPrefix("# git coord brief for w\n"))
        }
        #expect(CLI.run(["brief", "--max-bytes", "0"], in: repo.path).status == 2)
        let json = CLI.run(["brief", "--json", "--max-bytes", "500"], in: repo.path)
        let v = try JSONValue.parse(json.stdout.trimmingSuffixNewline())
        #expect(v["session"] == "w" && v["maxBytes"] == 500)
        #expect(v["sections"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["identity", "state"])
        #expect(v["sections"]?.arrayValue?.last?["omitted"]?.intValue ?? 0 > 0)
        #expect((v["text"]?.stringValue?.utf8.count ?? 501) <= 500)
    }
}

extension String {
    func trimmingSuffixNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}
