/// The local (never synced) files hooks keep under `<commondir>/coord/hooks/`.
///
/// - `<SESSION>/told`: ids of the messages the agent has been told about, one per line, so each
///   message is announced once.
/// - `<SESSION>/waiter.pid`: the pid of the one Stop-hook waiter of that session.
/// - `installs.json`: for each settings file `hooks install` edited from this repository, what it
///   held before (``ClaudeSettings/Receipt``), so that `hooks uninstall` gives back its bytes.
public struct HookFiles {
    public let folder: String

    public init(coord: Coord) { folder = Files.join(coord.store.localFolder, "hooks") }

    var installsFile: String { Files.join(folder, "installs.json") }

    /// The receipt `hooks install` left for the settings file at `path`.
    public func installReceipt(for path: String) -> ClaudeSettings.Receipt? {
        guard let bytes = Files.read(installsFile), let all = try? JSONValue.parse(bytes),
              let entry = all[Self.absolute(path)] else { return nil }
        return ClaudeSettings.Receipt(json: entry)
    }

    /// Records (or, with nil, forgets) the receipt for the settings file at `path`.
    public func setInstallReceipt(_ receipt: ClaudeSettings.Receipt?, for path: String) {
        var all = Files.read(installsFile).flatMap { try? JSONValue.parse($0) }?.objectValue ?? [:]
        all[Self.absolute(path)] = receipt?.json
        Files.writeAtomically(installsFile, JSONValue.object(all).canonicalString + "\n")
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : Files.join(Files.currentDirectory(), path)
    }

    func toldFile(_ session: String) -> String { Files.join(folder, session, "told") }

    /// The ids already announced to `session`'s agent.
    public func told(_ session: String) -> Set<String> {
        guard let text = Files.readString(toldFile(session)) else { return [] }
        return Set(text.split(separator: "\n").map(String.init))
    }

    /// Records ids as announced (one append: concurrent hooks never lose each other's lines).
    public func markTold(_ ids: [String], session: String) {
        guard !ids.isEmpty else { return }
        Files.append(toldFile(session), Array(ids.map { $0 + "\n" }.joined().utf8))
    }

    /// Rewrites the announced ids (pruning).
    func replaceTold(_ ids: Set<String>, session: String) {
        Files.writeAtomically(toldFile(session), Array(ids.sorted().map { $0 + "\n" }.joined().utf8))
    }

    public func waiterPidFile(_ session: String) -> String { Files.join(folder, session, "waiter.pid") }

    /// The pid recorded as `session`'s waiter.
    public func waiterPid(_ session: String) -> Int32? { waiter(session)?.pid }

    /// The pid recorded as `session`'s waiter and its start (``ProcessIdentity``), when recorded.
    public func waiter(_ session: String) -> (pid: Int32, start: String?)? {
        guard let text = Files.readString(waiterPidFile(session)) else { return nil }
        let lines = text.split(separator: "\n").map { String($0).trimmingSpaces() }
        guard let first = lines.first, let pid = Int32(first) else { return nil }
        return (pid, lines.count > 1 && !lines[1].isEmpty ? lines[1] : nil)
    }
}
