import CoordTestSupport
@testable import GitCoord
import Testing

/// The C edges stay where they are: system calls only in `Sources/GitCoord/System/`, libgit2
/// only in GitCoordStore behind `internal import`; and a failing system call says what it was
/// doing, on which file, and why.
@Suite struct SystemCallTests {
    /// The repository's `Sources` folder, found from this file.
    static let sources = Files.join(Files.parent(of: Files.parent(of: Files.parent(of: #filePath))), "Sources")
    /// The only folder whose files may import the C library.
    static let systemFolder = "GitCoord/System/"

    /// Every Swift file under `Sources`, as its path relative to `Sources` and its lines.
    static func swiftFiles() -> [(path: String, lines: [Substring])] {
        var out: [(String, [Substring])] = []
        func walk(_ rel: String) {
            for name in Files.list(Files.join(sources, rel)) {
                let child = rel.isEmpty ? name : rel + "/" + name
                if Files.isDirectory(Files.join(sources, child)) {
                    walk(child)
                } else if name.hasSuffix(".swift"), let text = Files.readString(Files.join(sources, child)) {
                    out.append((child, text.split(separator: "\n", omittingEmptySubsequences: false)))
                }
            }
        }
        walk("")
        return out
    }

    /// The access level and module of an import line (`internal import CLibgit2` gives
    /// `("internal", "CLibgit2")`), nil for any other line.
    static func imported(_ line: Substring) -> (access: String?, module: String)? {
        var words = line.split(separator: " ").drop { $0.hasPrefix("@") }
        var access: String?
        if let first = words.first, ["public", "package", "internal", "fileprivate", "private"].contains(first) {
            access = String(first)
            words = words.dropFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        var module = words[words.startIndex + 1]
        let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
        if kinds.contains(module), words.count >= 3 { module = words[words.startIndex + 2] }
        return (access, String(module.split(separator: ".").first ?? module))
    }

    /// The code of a line, without a `//` comment after it.
    static func code(_ line: Substring) -> Substring {
        guard let comment = line.firstRange(of: "//") else { return line }
        return line[..<comment.lowerBound]
    }

    @Test func onlyTheSystemFolderImportsTheCLibraryOrCallsItByName() {
        let files = Self.swiftFiles()
        #expect(files.count > 100, "the source tree was found (\(Self.sources))")
        var offences: [String] = []
        var systemFiles = 0
        for (path, lines) in files {
            let isSystem = path.hasPrefix(Self.systemFolder)
            if isSystem { systemFiles += 1 }
            for (i, line) in lines.enumerated() {
                let where_ = "\(path):\(i + 1): \(String(line).trimmingSpaces())"
                if let imp = Self.imported(line), imp.module == "Glibc" || imp.module == "Darwin" {
                    if !isSystem { offences.append(where_) } else if imp.access != "internal" { offences.append(where_ + " (not internal)") }
                }
                let body = Self.code(line)
                if !isSystem, body.contains("Glibc.") || body.contains("Darwin.") { offences.append(where_) }
            }
        }
        #expect(systemFiles > 0, "the system-call folder \(Self.systemFolder) was found")
        #expect(offences.isEmpty, "C library used outside \(Self.systemFolder):\n\(offences.joined(separator: "\n"))")
    }

    @Test func libgit2IsImportedOnlyByTheStoreModuleAndNeverPublicly() {
        var offences: [String] = []
        var storeImports = 0
        for (path, lines) in Self.swiftFiles() {
            for (i, line) in lines.enumerated() {
                guard let imp = Self.imported(line), imp.module == "CLibgit2" || imp.module == "CLibgit2Init" else { continue }
                let where_ = "\(path):\(i + 1): \(String(line).trimmingSpaces())"
                if !path.hasPrefix("GitCoordStore/") {
                    offences.append(where_ + " (outside GitCoordStore)")
                } else if imp.access != "internal" && imp.access != "private" && imp.access != "fileprivate" {
                    offences.append(where_ + " (not internal)")
                } else {
                    storeImports += 1
                }
            }
        }
        #expect(storeImports > 0)
        #expect(offences.isEmpty, "libgit2 imported where its types could leak:\n\(offences.joined(separator: "\n"))")
    }

    @Test func openingAMissingFileNamesThePathAndTheSystemsReason() throws {
        let dir = try OS.makeTemporaryDirectory(prefix: "/tmp/git-coord-syscall-")
        defer { Files.removeTree(dir) }
        let missing = Files.join(dir, "missing.txt")
        do {
            _ = try OS.readFile(missing)
            Issue.record("reading a missing file succeeded")
        } catch {
            #expect(error.operation == "open")
            #expect(error.path == missing)
            #expect(error.errno == .noSuchFileOrDirectory)
            #expect(error.description == "cannot open \(missing): No such file or directory (errno 2)")
        }
        #expect(Files.read(missing) == nil, "the nil-returning helper is built on the same call")
    }

    @Test func aFailedRenameNamesBothFilesAndAMissingProgramFailsToStartWithENOENT() throws {
        let dir = try OS.makeTemporaryDirectory(prefix: "/tmp/git-coord-syscall-")
        defer { Files.removeTree(dir) }
        let from = Files.join(dir, "a"), to = Files.join(dir, "b")
        do {
            try OS.move(from, to: to)
            Issue.record("renaming a missing file succeeded")
        } catch {
            #expect(error.description.hasPrefix("cannot rename \(from) to \(to): "))
            #expect(error.errno == .noSuchFileOrDirectory)
        }
        let program = Files.join(dir, "no-such-program")
        do {
            _ = try OS.spawn([program], OS.SpawnOptions(searchPath: false))
            Issue.record("starting a missing program succeeded")
        } catch {
            #expect(error.operation == "start" && error.path == program)
            #expect(error.errno == .noSuchFileOrDirectory)
        }
    }

    @Test func aStatusOfAFileSaysWhatItIsAndWhenItChanged() throws {
        let dir = try OS.makeTemporaryDirectory(prefix: "/tmp/git-coord-syscall-")
        defer { Files.removeTree(dir) }
        let file = Files.join(dir, "f")
        #expect(Files.writeAtomically(file, "x"))
        try OS.setPermissions(file, 0o640)
        let st = try OS.status(file)
        #expect(!st.isDirectory && st.permissions == 0o640)
        #expect(abs(Double(Clock.nowMilliseconds()) / 1000 - st.modified) < 60)
        #expect(try OS.status(dir).isDirectory)
        #expect(throws: SystemError.self) { try OS.status(Files.join(dir, "none")) }
    }
}
