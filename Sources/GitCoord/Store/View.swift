#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GitCoordStore

/// A materialized view of a document, kept in a local cache and brought up to date incrementally.
///
/// The cache file (`coord/cache/NAME.json` under the common git dir, never synced) records the tree
/// the view was built from. Reading the view diffs that tree against the document's current tree
/// and applies only the changed cells, so "what is new" costs what is new. The cache is only an
/// accelerator: a missing, corrupt or stale cache is rebuilt from the document, and every answer
/// stays the same.
public struct View<State: Codable> {
    public let name: String
    public let document: DocumentID
    public let initial: State
    /// Bumped when `State`'s shape changes, so older caches are rebuilt rather than misread.
    public let version: Int

    public init(_ name: String, document: DocumentID, version: Int = 1, initial: State) {
        self.name = name
        self.document = document
        self.initial = initial
        self.version = version
    }

    private struct CacheFile: Codable {
        var version: Int
        var tree: String
        var state: State
    }

    /// The path of the cache file.
    public func cachePath(_ store: CoordStore) -> String {
        Files.join(store.localFolder, "cache", name + ".json")
    }

    /// Brings the view up to date with the document and returns it with the snapshot read.
    ///
    /// `apply` receives the changed cells (path, old id, new id) since the cached tree; on a
    /// rebuild, every cell of the document.
    public func read(_ store: CoordStore, apply: (inout State, [TreeChange], Snapshot) throws(CoordError) -> Void) throws(CoordError) -> (State, Snapshot) {
        let snap = try store.snapshot(document)
        var state = initial
        var base: ObjectID? = nil
        let path = cachePath(store)
        if let bytes = Files.read(path),
           let cached = try? JSONDecoder().decode(CacheFile.self, from: Data(bytes)),
           cached.version == version,
           let tree = ObjectID(hex: cached.tree),
           tree.isZero || store.contains(tree) {
            state = cached.state
            base = tree.isZero ? nil : tree
        }
        if base == snap.tree && (base != nil || snap.tree == nil) && Files.exists(path) { return (state, snap) }
        let changes: [TreeChange]
        do { changes = try snap.changes(since: base) } catch {
            throw CoordError.data("cannot read \(document.refName)", cause: error, mend: "run `git coord doctor`")
        }
        try apply(&state, changes, snap)
        save(store, state: state, tree: snap.tree)
        return (state, snap)
    }

    /// Writes the cache for `tree`.
    public func save(_ store: CoordStore, state: State, tree: ObjectID?) {
        let file = CacheFile(version: version, tree: (tree ?? .zero).hex, state: state)
        if let data = try? JSONEncoder().encode(file) {
            Files.writeAtomically(cachePath(store), Array(data))
        }
    }
}
