import GitCoordStore

/// A document as it stood at one commit: read-only access to its cells.
public struct Snapshot {
    let repository: Repository
    public let document: DocumentID
    /// The commit read, nil for a document that does not exist yet.
    public let commit: ObjectID?
    /// That commit's tree.
    public let tree: ObjectID?

    init(repository: Repository, document: DocumentID, commit: ObjectID?) throws(CoordError) {
        self.repository = repository
        self.document = document
        self.commit = commit
        do {
            self.tree = try commit.map { (c) throws(GitError) in try repository.treeOfCommit(c) }
        } catch {
            // A history-less document (a beat, read marks) is replaced whole at every write, so one
            // whose commit is gone reads as empty and the next write mends it, instead of blocking
            // join, heartbeat and alive until someone repairs the ref by hand.
            guard document.kind.keepsHistory else {
                self.tree = nil
                self.damaged = true
                return
            }
            throw CoordError(.data, "\(document.refName) points at \(commit?.hex ?? "?"), which is not a readable commit (\(error.message)): run `git coord doctor`", cause: error)
        }
        self.damaged = false
        guard let tree else { return }
        guard let marker = try? repository.treeEntry(tree, path: DocumentMarker.path), marker.kind == .blob else {
            // Without its marker the tree is not a git-coord document (an ordinary project commit
            // pushed here by mistake): reading it as empty and writing over it would lose it.
            throw Snapshot.foreign(document, commit: commit)
        }
        let bytes = (try? repository.readBlob(marker.id)) ?? []
        if let problem = DocumentMarker.check(bytes, document: document) { throw problem }
    }

    /// The error for a ref under `refs/coord/` whose commit is not a git-coord document.
    static func foreign(_ document: DocumentID, commit: ObjectID?) -> CoordError {
        CoordError.data("\(document.refName) points at \(commit?.hex.prefix(12) ?? "?"), which is not a git-coord document (its tree has no .coord file); nothing was written. Run `git coord doctor --fix` to move it aside to \(CoordStore.asideRef(document.refName))")
    }

    /// Whether the commit the ref names could not be read (only history-less documents get here;
    /// they read as empty).
    public let damaged: Bool

    public var exists: Bool { commit != nil }

    /// The bytes at a path, nil when absent.
    public func bytes(_ path: String) throws(CoordError) -> [UInt8]? {
        guard let tree else { return nil }
        do {
            guard let e = try repository.treeEntry(tree, path: path), e.kind == .blob else { return nil }
            return try repository.readBlob(e.id)
        } catch {
            throw CoordError.data("cannot read \(path) in \(document.refName)", cause: error, mend: "run `git coord doctor`")
        }
    }

    /// The `.lww` cell at a path; nil when absent or malformed.
    public func fields(_ path: String) throws(CoordError) -> FieldMap? {
        guard let b = try bytes(path) else { return nil }
        return try? FieldMap(bytes: b)
    }

    /// The `.rec` cell at a path; nil when absent or malformed.
    public func record(_ path: String) throws(CoordError) -> JSONValue? {
        guard let b = try bytes(path) else { return nil }
        return try? JSONValue.parse(b)
    }

    /// Every blob under a folder (or the whole tree), with its path.
    public func blobs(under folder: String? = nil) throws(CoordError) -> [TreeChange] {
        guard let tree else { return [] }
        do { return try repository.allBlobs(in: tree, under: folder) } catch {
            throw CoordError.data("cannot list \(folder ?? "/") in \(document.refName)", cause: error, mend: "run `git coord doctor`")
        }
    }

    /// The entries of one folder of the tree.
    public func entries(_ folder: String) throws(CoordError) -> [TreeEntry] {
        guard let tree else { return [] }
        do {
            if folder.isEmpty { return try repository.treeEntries(tree) }
            guard let e = try repository.treeEntry(tree, path: folder), e.kind == .tree else { return [] }
            return try repository.treeEntries(e.id)
        } catch {
            throw CoordError.data("cannot list \(folder) in \(document.refName)", cause: error, mend: "run `git coord doctor`")
        }
    }

    /// The id of a folder's tree, nil when the folder is absent: equal ids, equal contents.
    public func folderID(_ folder: String) throws(CoordError) -> ObjectID? {
        do {
            guard let e = try entry(folder), e.kind == .tree else { return nil }
            return e.id
        } catch {
            throw CoordError.data("cannot read \(folder) in \(document.refName)", cause: error)
        }
    }

    /// The bytes of a blob of this document, by the id ``blobs(under:)`` or ``changes(since:)``
    /// gave.
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        try repository.readBlob(id)
    }

    /// The blobs that differ between an earlier tree of this document (nil: the empty tree) and
    /// this one, in path order. Only the subtrees that differ are read.
    public func changes(since earlier: ObjectID?) throws(GitError) -> [TreeChange] {
        try repository.diffTrees(earlier, tree)
    }

    /// The entry at a path of the tree, nil when absent.
    public func entry(_ path: String) throws(GitError) -> TreeEntry? {
        guard let tree else { return nil }
        return try repository.treeEntry(tree, path: path)
    }

    /// The commit's metadata, nil for a missing document.
    public func commitInfo() throws(CoordError) -> CommitInfo? {
        guard let commit, !damaged else { return nil }
        do { return try repository.commit(commit) } catch {
            throw CoordError.data("cannot read commit \(commit) of \(document.refName)", cause: error, mend: "run `git coord doctor`")
        }
    }

    /// The `Coord-Stamp` of the commit: the largest stamp in the document.
    public func stamp() throws(CoordError) -> Stamp? {
        guard let info = try commitInfo() else { return nil }
        return Trailers.parse(info.message)["Coord-Stamp"].flatMap { Stamp($0) }
    }
}

/// The `Key: value` lines at the end of a commit message.
public enum Trailers {
    /// Parses the trailer block (the last paragraph) of a commit message. The first value of each
    /// key wins.
    public static func parse(_ message: String) -> [String: String] {
        if let parsed = parseBytes(message) { return parsed }
        return parseCharacters(message)
    }

    /// ``parse(_:)`` by characters: the reference, used for every message the byte parse declines.
    static func parseCharacters(_ message: String) -> [String: String] {
        let paragraphs = message.split(separator: "\n\n", omittingEmptySubsequences: true)
        guard paragraphs.count >= 2, let last = paragraphs.last else { return [:] }
        var out: [String: String] = [:]
        for line in last.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]).trimmingSpaces()
            let value = String(line[line.index(after: colon)...]).trimmingSpaces()
            if out[key] == nil { out[key] = value }
        }
        return out
    }

    /// ``parse(_:)`` on UTF-8 bytes, for the usual message: no CR anywhere (a line feed is then
    /// always a character of its own) and an ASCII trailer block (a byte is then a character), so
    /// it gives what ``parseCharacters(_:)`` gives, several times faster; nil for any other message.
    /// `git coord log` and `report` parse every commit of the history with it.
    static func parseBytes(_ message: String) -> [String: String]? {
        var text = message
        return text.withUTF8 { (b: UnsafeBufferPointer<UInt8>) -> [String: String]? in
            let lf: UInt8 = 10
            if b.contains(13) { return nil }
            // Paragraphs: split on "\n\n" from the left, empty ones left out; keep the last.
            var count = 0, start = 0, i = 0
            var last = 0..<0
            while i <= b.count {
                if i == b.count || (b[i] == lf && i + 1 < b.count && b[i + 1] == lf) {
                    if i > start { count += 1; last = start..<i }
                    if i == b.count { break }
                    i += 2
                    start = i
                } else {
                    i += 1
                }
            }
            guard count >= 2 else { return [:] }
            guard !b[last].contains(where: { $0 >= 0x80 }) else { return nil }
            func trimmed(_ r: Range<Int>) -> String {
                var lo = r.lowerBound, hi = r.upperBound
                while lo < hi, b[lo] == 32 || b[lo] == 9 { lo += 1 }
                while hi > lo, b[hi - 1] == 32 || b[hi - 1] == 9 { hi -= 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
            }
            var out: [String: String] = [:]
            var lineStart = last.lowerBound
            for j in last.lowerBound...last.upperBound where j == last.upperBound || b[j] == lf {
                defer { lineStart = j + 1 }
                guard j > lineStart, let colon = b[lineStart..<j].firstIndex(of: 58) else { continue }
                let key = trimmed(lineStart..<colon)
                if out[key] == nil { out[key] = trimmed((colon + 1)..<j) }
            }
            return out
        }
    }

    /// A commit message: subject line, blank line, trailers.
    public static func message(subject: String, _ trailers: [(String, String)]) -> String {
        let oneLine = subject.replacingNewlines()
        return oneLine + "\n\n" + trailers.map { "\($0.0): \($0.1.replacingNewlines())" }.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }

    func replacingNewlines() -> String {
        String(self.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
