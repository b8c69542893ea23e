/// The settings file `hooks install claude` and `hooks uninstall claude` edit, and where their
/// install receipts are kept.
///
/// ```swift
/// let target = try HookSettingsTarget.resolve(scope: .project, settingsFile: nil)
/// try ClaudeSettings.installFile(target.path, binary: Executable.current, receipts: target.receipts)
/// ```
public struct HookSettingsTarget {
    public let path: String
    /// This repository's hooks folder; nil outside a repository (then uninstall removes the
    /// containers it empties, as it does without a receipt).
    public let receipts: HookFiles?

    public init(path: String, receipts: HookFiles?) {
        self.path = path
        self.receipts = receipts
    }

    /// `settingsFile` when given, else the file of `scope`, with the receipts of the repository
    /// at `repository` (nil: the current directory's), opened once for both. Only the project
    /// and local scopes need a repository; anywhere else the receipts are left out.
    public static func resolve(scope: HookScope, settingsFile: String?, home: String? = ProcessEnvironment.get("HOME"),
                               repository: String? = nil) throws(CoordError) -> HookSettingsTarget {
        let needsRepository = settingsFile == nil && scope != .user
        let coord: Coord?
        do { coord = try Coord.open(at: repository, agent: nil) } catch {
            if needsRepository { throw error }
            coord = nil
        }
        let receipts = coord.map { HookFiles(coord: $0) }
        if let settingsFile { return HookSettingsTarget(path: settingsFile, receipts: receipts) }
        return HookSettingsTarget(path: try scope.settingsFile(home: home, workDir: coord?.store.workDir), receipts: receipts)
    }
}

extension Coord {
    /// The settings files `hooks doctor` reads when none is named: those of every scope that can
    /// be named here.
    public func hookSettingsFiles(home: String? = ProcessEnvironment.get("HOME")) -> [String] {
        HookScope.allCases.compactMap { try? $0.settingsFile(home: home, workDir: store.workDir) }
    }
}
