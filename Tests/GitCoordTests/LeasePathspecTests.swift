import CoordTestSupport
import GitCoord
import PropertyBased
import Testing

@Suite struct LeasePathspecTests {
    func spec(_ s: String) throws -> Pathspec { try Pathspec(s) }

    @Test func specsMatchAsGitMatchesPathspecsWithoutMagic() throws {
        let cases: [(String, String, Bool)] = [
            ("src/net", "src/net", true),
            ("src/net", "src/net/tcp.c", true),
            ("src/net", "src/network.c", false),
            ("src/net/", "src/net/tcp.c", true),
            ("src/net/", "src/net", false),
            ("./src//net/", "src/net/a/b", true),
            ("*.c", "a.c", true),
            ("*.c", "lib/deep/x.c", true),         // * matches / without :(glob)
            ("*.c", "a.h", false),
            ("src/*", "src/a/b", true),
            ("src/*.c", "src/x.c/y", false),
            ("src/?.c", "src/a.c", true),
            ("src/?.c", "src/ab.c", false),
            ("src/[ab].c", "src/b.c", true),
            ("src/[!ab].c", "src/b.c", false),
            ("src/[a-c]x", "src/bx", true),
            ("docs/*/", "docs/api/x.md", true),
            ("docs/*/", "docs/x.md", false),
            ("a\\*b", "a*b", true),
            ("a\\*b", "axb", false),
        ]
        for (s, path, expected) in cases {
            #expect(try spec(s).matches(path) == expected, "\(s) ~ \(path)")
        }
    }

    @Test func overlapIsDecidedExactly() throws {
        let cases: [(String, String, Bool)] = [
            ("src/net/", "src/net/tcp.c", true),
            ("src/net", "src/network.c", false),
            ("src/*.c", "src/*.h", false),
            ("src/*.h", "src/net/", true),          // src/net/x.h
            ("*.md", "docs/", true),
            ("docs/a.md", "docs/b.md", false),
            ("lib/[ab]*", "lib/c.txt", false),
            ("lib/[ab]*", "lib/b.txt", true),
            ("a/*/c", "a/b/*", true),
            ("tests/", "src/", false),
        ]
        for (a, b, expected) in cases {
            #expect(try spec(a).overlaps(try spec(b)) == expected, "\(a) ∩ \(b)")
            #expect(try spec(b).overlaps(try spec(a)) == expected, "\(b) ∩ \(a)")
        }
    }

    @Test func badSpecsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("", "empty"), ("/etc/passwd", "absolute"), ("../x", "'..'"), (":(glob)**", "magic"),
            ("a/[bc", "not closed"), ("[z-a]", "backwards"), ("a\\", "lone"), (".", "whole repository"),
            ("x\ny", "control"), (".git/hooks", ".git"),
        ]
        for (s, text) in cases {
            #expect(throws: CoordError.self) { try Pathspec(s) }
            do { _ = try Pathspec(s) } catch {
                #expect(error.exitCode == 2 && error.message.contains(text), "\(s): \(error.message)")
            }
        }
    }

    /// Built from a tiny alphabet so that random specs and paths meet often.
    static let pieces = ["a", "b", "a/", "b/", "*", "?", "[ab]", "/"]
    static func make(_ xs: [Int]) -> String { xs.map { pieces[$0 % pieces.count] }.joined() }

    /// Overlap never misses: whenever some path (every short one is tried) matches both specs,
    /// they are said to overlap, which is what keeps two conflicting leases from both being
    /// granted. And it is symmetric.
    @Test func overlapAgreesWithMatching() async {
        var all: [String] = [""]
        var frontier = [""]
        for _ in 0..<6 {
            frontier = frontier.flatMap { p in ["a", "b", "/"].map { p + $0 } }
            all += frontier
        }
        let paths = all.filter { !$0.isEmpty && !$0.hasPrefix("/") && !$0.hasSuffix("/") && !$0.contains("//") }
        await forAll(count: 300, input: Gen.int(in: 0...63).array(of: 1...4).array(of: 2)) { xs in
            // Random specs are often invalid (refused by Pathspec): those inputs are skipped.
            guard let a = try? Pathspec(Self.make(xs[0])), let b = try? Pathspec(Self.make(xs[1])) else { return }
            let shared = paths.first { a.matches($0) && b.matches($0) }
            if shared != nil { #expect(a.overlaps(b), "\(a) and \(b) both match \(shared!)") }
            #expect(a.overlaps(b) == b.overlaps(a))
        }
    }

    @Test func theIndexFindsTheSameSpecsAsTestingEach() throws {
        let specs = try ["src/net/", "src/*.c", "*.md", "docs/api", "lib/[ab]*", "src/net/tcp.c"].map(spec)
        var index = PathspecIndex<Int>()
        for (i, s) in specs.enumerated() { index.add(s, i) }
        for path in ["src/net/tcp.c", "src/x.c", "README.md", "docs/api/x.md", "lib/b/c", "lib/c", "other"] {
            let expected = specs.indices.filter { specs[$0].matches(path) }
            #expect(index.matches(path).sorted() == expected, "\(path)")
        }
    }
}
