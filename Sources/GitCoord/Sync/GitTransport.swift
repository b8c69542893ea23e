import GitCoordStore

/// Fetch, push and ls-remote through the user's own `git`, so their ssh keys, credential helpers
/// and `insteadOf` rules apply. Never prompts (`GIT_TERMINAL_PROMPT=0`), never runs the user's
/// `pre-push` hook (`--no-verify`: coordination data is not code), never changes config.
public struct GitTransport: Sendable {
    /// The remote's name, as `git remote` lists it.
    public let remote: String
    /// A folder inside the repository (git runs there).
    public let directory: String

    public init(remote: String, directory: String) {
        self.remote = remote
        self.directory = directory
    }

    /// Where the remote's documents are tracked locally (``RemoteRefs``).
    public var refs: RemoteRefs { RemoteRefs(remote: remote) }

    static let environment = ["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"]

    private func git(_ args: [String]) async throws(SyncTransportError) -> ProcessRunner.Output {
        do {
            return try await ProcessRunner.run(["git"] + args, in: directory, environment: GitTransport.environment)
        } catch {
            throw SyncTransportError(remote: remote, detail: "cannot run git: \(error)")
        }
    }

    /// `git fetch --prune --no-tags REMOTE +refs/coord/*:refs/coord-remotes/REMOTE/*`.
    ///
    /// A second sync in this clone fetching at the same moment holds the tracking refs' locks
    /// (git's compare-and-swap on each ref): that fetch is retried, a few times with a short
    /// random pause, since the other fetch brings the same refs.
    public func fetch() async throws(SyncTransportError) {
        var attempt = 0
        while true {
            attempt += 1
            let out = try await git(["fetch", "--quiet", "--prune", "--no-tags", "--no-write-fetch-head", remote, refs.fetchRefspec])
            if out.succeeded { return }
            guard attempt < 8, Self.isLocalRefRace(out.stderr) else {
                throw SyncTransportError(remote: remote, detail: Self.cause(out.stderr))
            }
            Clock.sleep(milliseconds: Double.random(in: 5...(40 * Double(attempt))))
        }
    }

    /// Whether git failed only because another process held a local ref's lock.
    static func isLocalRefRace(_ stderr: String) -> Bool {
        ["cannot lock ref", "Unable to create", "unable to update local ref", "some local refs could not be updated"].contains { stderr.contains($0) }
    }

    /// The remote's document refs (`git ls-remote REMOTE refs/coord/*`): ref name → id.
    public func listRemote() async throws(SyncTransportError) -> [String: ObjectID] {
        let out = try await git(["ls-remote", "--refs", remote, "refs/coord/*"])
        guard out.succeeded else { throw SyncTransportError(remote: remote, detail: Self.cause(out.stderr)) }
        var refs: [String: ObjectID] = [:]
        for line in out.stdout.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, let id = ObjectID(hex: String(parts[0])), parts[1].hasPrefix("refs/coord/") else { continue }
            refs[String(parts[1])] = id
        }
        return refs
    }

    /// One ref to push: the remote's `ref` set to `source` (an id, so what is pushed is exactly
    /// what was planned even if a local writer moves the ref meanwhile). `lease` set: a forced push
    /// that holds only while the remote still points where we last saw it (`--force-with-lease`);
    /// `.some(nil)` means "must not exist yet".
    public struct PushItem: Sendable, Equatable {
        public let ref: String
        public let source: ObjectID
        public let lease: ObjectID??

        public init(ref: String, source: ObjectID, lease: ObjectID?? = nil) {
            self.ref = ref
            self.source = source
            self.lease = lease
        }
    }

    /// Pushes refs to the same names on the remote and returns git's verdict per ref.
    public func push(_ items: [PushItem]) async throws(SyncTransportError) -> [PushStatus] {
        guard !items.isEmpty else { return [] }
        var results: [PushStatus] = []
        // Keep command lines well under the kernel's limit.
        var start = 0
        while start < items.count {
            let chunk = Array(items[start..<min(start + 500, items.count)])
            start += chunk.count
            var args = ["push", "--porcelain", "--no-verify", "--no-follow-tags"]
            for item in chunk {
                if let lease = item.lease { args.append("--force-with-lease=\(item.ref):\(lease?.hex ?? "")") }
            }
            args.append(remote)
            args.append(contentsOf: chunk.map { "\($0.source.hex):\($0.ref)" })
            let out = try await git(args)
            let parsed = PushStatus.parsePorcelain(out.stdout)
            if parsed.isEmpty && !out.succeeded {
                throw SyncTransportError(remote: remote, detail: Self.cause(out.stderr))
            }
            results.append(contentsOf: parsed)
        }
        return results
    }

    /// git's whole error output on one line: every non-empty line, in order, joined by `; `, so
    /// the cause (`ssh: Could not resolve hostname …`) stays beside git's verdict
    /// (`fatal: Could not read from remote repository.`). Capped at 2,000 characters.
    static func cause(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return "git failed without a message" }
        let text = lines.joined(separator: "; ")
        return text.count > 2000 ? String(text.prefix(2000)) + "…" : text
    }
}

/// The remote could not be reached or git failed before any ref was exchanged.
public struct SyncTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let remote: String
    public let detail: String
    public var description: String { "cannot reach \(remote): \(detail)" }
}

/// git's verdict on one pushed ref, from `git push --porcelain`.
public struct PushStatus: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Fast-forward, new ref, or forced update that held its lease.
        case updated
        /// Already there.
        case upToDate
        /// Someone pushed first (`fetch first`, `non-fast-forward`, `stale info`), or the remote's
        /// ref was locked or moved while it was being updated (`[remote rejected] (failed to
        /// update ref)`, `cannot lock ref`): fetch, merge, retry.
        case behind
        /// Refused for another reason (a server hook, permissions): retrying will not help.
        case refused
    }

    public let ref: String
    public let outcome: Outcome
    /// git's summary, e.g. `[rejected] (fetch first)`.
    public let summary: String

    /// Parses porcelain lines: `FLAG\tFROM:TO\tSUMMARY`.
    public static func parsePorcelain(_ text: String) -> [PushStatus] {
        var out: [PushStatus] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count >= 3, parts[0].count == 1, let flag = parts[0].first else { continue }
            let spec = parts[1]
            let to = spec.split(separator: ":", maxSplits: 1).last.map(String.init) ?? String(spec)
            let summary = parts[2...].joined(separator: "\t")
            let outcome: Outcome
            switch flag {
            case " ", "+", "*", "-": outcome = .updated
            case "=": outcome = .upToDate
            case "!":
                let retryable = ["fetch first", "non-fast-forward", "stale info", "already exists", "cannot lock ref",
                                 "failed to update ref", "failed to lock", "incorrect old value", "reference already exists"]
                outcome = retryable.contains(where: { summary.contains($0) }) ? .behind : .refused
            default: continue
            }
            out.append(PushStatus(ref: to, outcome: outcome, summary: summary))
        }
        return out
    }
}
