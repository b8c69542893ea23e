import CoordTestSupport
import GitCoord
import GitCoordStore

/// A clone that forges coordination data with git's plumbing (hash-object, mktree, commit-tree,
/// update-ref) and publishes it with a plain `git push`, as a hostile or buggy peer would.
struct HostilePeer {
    let dir: String

    /// Clones the fixture's remote as `name` and fetches its documents into `refs/coord/*`.
    init(_ f: SyncFixture, as name: String = "mallory") throws {
        dir = try f.repo.clone(f.bare, as: name)
        try fetch()
    }

    @discardableResult
    func git(_ args: [String], input: String? = nil, environment: [String: String] = [:]) throws -> String {
        let r = Shell.run(["git"] + args, in: dir, input: input, environment: environment)
        guard r.status == 0 else { throw CoordError.data("git \(args.joined(separator: " ")) failed: \(r.stderr)") }
        var out = Substring(r.stdout)
        while out.last == "\n" { out = out.dropLast() }
        return String(out)
    }

    func fetch() throws { try git(["fetch", "-q", "origin", "+refs/coord/*:refs/coord/*"]) }

    func tip(_ ref: String) throws -> String { try git(["rev-parse", ref]) }

    /// Writes a blob and returns its id.
    func blob(_ bytes: [UInt8]) throws -> String {
        try git(["hash-object", "-w", "--stdin"], input: String(decoding: bytes, as: UTF8.self))
    }

    /// The bytes of `path` in `commit`.
    func cell(_ commit: String, _ path: String) throws -> [UInt8] {
        Array(try git(["cat-file", "blob", "\(commit):\(path)"]).utf8)
    }

    /// The tree of `commit` with blobs put at paths (replacing whatever is in the way, so a file
    /// can become a folder) and paths removed, built in a private index.
    func edit(_ commit: String, put: [(path: String, blob: String)] = [], remove: [String] = []) throws -> String {
        let env = ["GIT_INDEX_FILE": dir + "/.git/forge-index"]
        try git(["read-tree", commit], environment: env)
        for path in remove { try git(["update-index", "--force-remove", path], environment: env) }
        for (path, blob) in put {
            try git(["update-index", "--add", "--replace", "--cacheinfo", "100644,\(blob),\(path)"], environment: env)
        }
        return try git(["write-tree"], environment: env)
    }

    /// `tree` with extra root entries named as given (git's own checks are skipped by mktree, so
    /// names such as `..` and `.git` get in).
    func withRootEntries(_ tree: String, _ names: [String], blob: String) throws -> String {
        var listing = try git(["ls-tree", tree])
        for name in names { listing += "\n100644 blob \(blob)\t\(name)" }
        return try git(["mktree"], input: listing + "\n")
    }

    /// A commit of `tree` on `parent`, with a `Coord-Stamp` trailer when given.
    func commit(_ tree: String, parent: String?, stamp: Stamp? = nil, message: String = "board: forged") throws -> String {
        let body = message + (stamp.map { "\n\nCoord-Stamp: \($0)" } ?? "")
        return try git(["commit-tree", tree] + (parent.map { ["-p", $0] } ?? []) + ["-m", body])
    }

    /// Moves `ref` to `commit` and publishes it with a plain `git push` (no force).
    func push(_ commit: String, to ref: String = "refs/coord/board") throws {
        try git(["update-ref", ref, commit])
        try git(["push", "-q", "origin", "\(ref):\(ref)"])
    }

    /// Rewrites the `.lww` cell at `path` of the remote's board as `change` says and pushes it on
    /// top of the board's tip.
    func rewriteBoardCell(_ path: String, _ change: (inout FieldMap) -> Void) throws {
        let tip = try tip("refs/coord/board")
        var map = try FieldMap(bytes: cell(tip, path))
        change(&map)
        try push(try commit(try edit(tip, put: [(path, try blob(map.bytes))]), parent: tip))
    }

    /// Every object reachable from the documents of the repository at `path`.
    static func reachableObjects(at path: String) throws -> Set<String> {
        let out = try Shell.git(["rev-list", "--objects", "--glob=refs/coord/*"], in: path)
        return Set(out.split(separator: "\n").map { String($0.prefix(40)) })
    }
}

/// `faketime` (Debian package `faketime`), installed on first use when missing (CI runs as root).
enum FakeTime {
    static let available: Bool = {
        if Shell.run(["faketime", "-f", "+0", "true"]).status == 0 { return true }
        _ = Shell.run(["apt-get", "update", "-q"])
        _ = Shell.run(["apt-get", "install", "-y", "-q", "faketime"])
        return Shell.run(["faketime", "-f", "+0", "true"]).status == 0
    }()

    /// Runs `git-coord ARGS` in `dir` as `session` with the clock moved by `offset` (faketime's
    /// syntax: `-300s`, `+3d`). Monotonic clocks are left alone, so timeouts still hold.
    static func coord(_ offset: String, _ args: [String], in dir: String, session: String) -> Shell.Result {
        Shell.run(["faketime", "-f", offset, CLI.binary] + args, in: dir,
                  environment: ["GIT_COORD_SESSION": session, "FAKETIME_DONT_FAKE_MONOTONIC": "1"])
    }
}
