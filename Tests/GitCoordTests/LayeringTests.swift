import CoordTestSupport
import GitCoord
import Testing

/// The rules of Docs/ARCHITECTURE.md, checked on the source tree itself: the store is the only
/// door to the repository, and the folders of GitCoord depend one way, in the documented order.
@Suite struct LayeringTests {
    static let root = Files.parent(of: Files.parent(of: Files.parent(of: #filePath)))

    /// Outside `Store/`, no code of the library, the command line or the MCP server names
    /// `Repository` or reaches for a `.repository`: they read and write through the store.
    @Test func onlyTheStoreOpensTheRepository() throws {
        var found: [String] = []
        for target in ["GitCoord", "git-coord", "GitCoordMCP"] {
            for file in Self.swiftFiles(Files.join(Self.root, "Sources", target)) where !file.contains("/Sources/GitCoord/Store/") {
                let lines = try #require(Files.readString(file)).split(separator: "\n", omittingEmptySubsequences: false)
                for (n, line) in lines.enumerated() where Self.namesRepository(line) {
                    found.append("\(file.dropFirst(Self.root.count + 1)):\(n + 1): \(line.withoutIndent())")
                }
            }
        }
        #expect(found.isEmpty, "Repository used outside Store/ (add what is needed to the store instead):\n\(found.joined(separator: "\n"))")
    }

    /// Each folder uses only folders listed before it in Docs/ARCHITECTURE.md's layers, so the
    /// folder graph (scripts/folder-graph.sh) has no cycle.
    @Test func foldersDependOnlyOnTheLayersBelow() throws {
        let layers = try Self.documentedLayers()
        let graph = try Self.folderGraph()
        #expect(Set(graph.keys) == Set(layers), "the folders of Sources/GitCoord and the layers of Docs/ARCHITECTURE.md differ")
        var wrong: [String] = []
        for (folder, uses) in graph.sorted(by: { $0.key < $1.key }) {
            guard let level = layers.firstIndex(of: folder) else { continue }
            for used in uses.sorted() where (layers.firstIndex(of: used) ?? Int.max) >= level {
                wrong.append("\(folder) uses \(used), which is not below it")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))\n(scripts/folder-graph.sh --why names what each use is)")
        #expect(Self.knots(graph).isEmpty, "folders that use one another: \(Self.knots(graph).map { $0.joined(separator: ", ") })")
    }

    /// The graph sees a use across folders and ignores one inside a comment or a string.
    @Test func theFolderGraphSeesUsesAndSkipsCommentsAndStrings() throws {
        let repo = try TempRepo()
        let sources = Files.join(repo.root, "Sources")
        Files.makeFolders(Files.join(sources, "Low"))
        Files.makeFolders(Files.join(sources, "High"))
        Files.makeFolders(Files.join(sources, "Other"))
        Files.writeAtomically(Files.join(sources, "Low", "Low.swift"), "struct Cell {}\nextension Coord {\n    func lowRead() {}\n}\n")
        Files.writeAtomically(Files.join(sources, "High", "High.swift"), "extension Coord {\n    func highRead() -> Cell { lowRead(); return Cell() }\n}\n")
        Files.writeAtomically(Files.join(sources, "Other", "Other.swift"), "// Cell and lowRead() in a comment\nlet text = \"Cell \\(1) lowRead()\"\n")
        let graph = try Self.folderGraph(sources)
        #expect(graph == ["High": ["Low"], "Low": [], "Other": []])
    }

    // MARK: Reading the tree

    static func swiftFiles(_ folder: String) -> [String] {
        Files.list(folder).sorted().flatMap { name -> [String] in
            let path = Files.join(folder, name)
            if Files.isDirectory(path) { return swiftFiles(path) }
            return name.hasSuffix(".swift") ? [path] : []
        }
    }

    /// Whether a line's code (comments left out) names the type `Repository` or a member
    /// `.repository`.
    static func namesRepository(_ line: Substring) -> Bool {
        var code = Substring(line)
        if let comment = code.firstRange(of: "//") { code = code[..<comment.lowerBound] }
        let chars = Array(code.unicodeScalars)
        func isName(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c) }
        var i = 0
        while i < chars.count {
            guard isName(chars[i]) else { i += 1; continue }
            var j = i
            while j < chars.count, isName(chars[j]) { j += 1 }
            let word = String(String.UnicodeScalarView(chars[i..<j]))
            if word == "Repository" || (word == "repository" && i > 0 && chars[i - 1] == ".") { return true }
            i = j
        }
        return false
    }

    /// The layers listed in Docs/ARCHITECTURE.md between `<!-- layers -->` and `<!-- /layers -->`,
    /// bottom first: the first `Name` in backticks on each numbered line.
    static func documentedLayers() throws -> [String] {
        let doc = try #require(Files.readString(Files.join(root, "Docs", "ARCHITECTURE.md")))
        let start = try #require(doc.firstRange(of: "<!-- layers -->"))
        let end = try #require(doc.firstRange(of: "<!-- /layers -->"))
        return doc[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
            guard line.first?.isNumber == true, let open = line.firstIndex(of: "`") else { return nil }
            let rest = line[line.index(after: open)...]
            return rest.firstIndex(of: "`").map { String(rest[..<$0]) }
        }
    }

    /// scripts/folder-graph.sh on `sources`: folder → the folders it uses.
    static func folderGraph(_ sources: String = Files.join(root, "Sources", "GitCoord")) throws -> [String: Set<String>] {
        let result = Shell.run(["sh", Files.join(root, "scripts", "folder-graph.sh"), sources])
        #expect(result.status == 0, "folder-graph.sh failed: \(result.stderr)")
        var graph: [String: Set<String>] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            graph[String(parts[0])] = Set(parts[1].split(separator: " ").map(String.init))
        }
        #expect(!graph.isEmpty, "folder-graph.sh printed nothing: \(result.stderr)")
        return graph
    }

    /// The groups of folders that reach one another: each holds a cycle.
    static func knots(_ graph: [String: Set<String>]) -> [[String]] {
        func reach(_ from: String) -> Set<String> {
            var seen = Set<String>(), todo = [from]
            while let node = todo.popLast() {
                for next in graph[node] ?? [] where seen.insert(next).inserted { todo.append(next) }
            }
            return seen
        }
        let reaches = Dictionary(uniqueKeysWithValues: graph.keys.map { ($0, reach($0)) })
        var out: [[String]] = [], placed = Set<String>()
        for node in graph.keys.sorted() where !placed.contains(node) && reaches[node]!.contains(node) {
            let knot = reaches[node]!.filter { reaches[$0]?.contains(node) == true }.sorted()
            placed.formUnion(knot)
            out.append(knot)
        }
        return out
    }
}

extension Substring {
    fileprivate func withoutIndent() -> String {
        String(drop(while: { $0 == " " }))
    }
}
