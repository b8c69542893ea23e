/// Claude Code's PreToolUse hook on the file-writing tools: a write to a path another live session
/// leases exclusively is denied before it happens.
///
/// Per Claude Code's hooks reference (PreToolUse, "PreToolUse decision control"), the hook answers
/// `{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny",
/// "permissionDecisionReason":…}}` with exit status 0; the reason is shown to Claude. Any other
/// case prints nothing, which leaves the decision to the usual permission flow.
public enum LeaseGuardTool {
    /// The tools that write files, and the `tool_input` field naming the file.
    public static let fileFields: [String: String] = [
        "Edit": "file_path",
        "Write": "file_path",
        "MultiEdit": "file_path",
        "NotebookEdit": "notebook_path",
    ]

    /// The matcher the settings entry uses.
    public static let matcher = "Edit|Write|MultiEdit|NotebookEdit"

    /// The tool name and the file it would write, nil for another tool or a payload without one.
    public static func target(_ bytes: [UInt8]) -> (tool: String, path: String)? {
        guard let root = try? JSONSpan.parse(bytes), let tool = root["tool_name"]?.stringValue,
              let field = fileFields[tool], let path = root["tool_input"]?[field]?.stringValue, !path.isEmpty else { return nil }
        return (tool, path)
    }
}

extension HookResult {
    /// The documented PreToolUse answer that denies the tool call, with the reason Claude reads.
    static func deny(_ reason: String) -> HookResult {
        let json = JSONValue.object(["hookSpecificOutput": .object([
            "hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": .string(reason)])])
        return HookResult(stdout: json.canonicalString + "\n", stderr: "", exitCode: 0)
    }
}

extension Coord {
    /// PreToolUse: denies an Edit, Write, MultiEdit or NotebookEdit of a path that another live
    /// session leases exclusively; silent for every other call, for paths outside the repository
    /// and for this session's own leases.
    public func runLeaseGuardHook(_ bytes: [UInt8], payload: HookPayload) throws(CoordError) -> HookResult {
        guard let (tool, raw) = LeaseGuardTool.target(bytes) else { return .silent }
        let me = session
        var file = raw
        if !file.hasPrefix("/"), let cwd = payload.cwd, cwd.hasPrefix("/") { file = Files.join(cwd, file) }
        guard file.hasPrefix("/") else { return .silent }
        // The file's own work tree: it may be another worktree of this repository.
        var coord = self, root = store.workDir
        if let r = root, LeasePaths.relative(file, root: r) == nil {
            guard let other = try? Coord.open(at: LeasePaths.resolve(Files.parent(of: file)).existingAncestor, session: me) else { return .silent }
            coord = other
            root = other.store.workDir
        }
        guard let root, let path = LeasePaths.relative(file, root: root) else { return .silent }
        // `coord` acts as `me` already: this `Coord`, or the other worktree's opened as `me`.
        let hits = try coord.leaseHits([path])
        guard let hit = hits.first else { return .silent }
        let others = hits.dropFirst().map(\.lease.id)
        let reason = "git coord: \(tool) refused. \(hit.line)\(others.isEmpty ? "" : "; also \(others.joined(separator: ", "))"). "
            + "Do not change this path: pick other work, or ask \(hit.lease.holder) to release it "
            + "(git coord send --lease \(hit.lease.id) -m \"...\"), and see git coord lease list."
        return .deny(reason)
    }
}

extension String {
    /// The longest leading part of this path that exists.
    var existingAncestor: String {
        var p = self
        while !p.isEmpty && p != "/" && !Files.exists(p) { p = Files.parent(of: p) }
        return p.isEmpty ? "/" : p
    }
}
