#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GitCoordStore

/// The unread messages of one session, kept incrementally so `inbox --unread` costs what is
/// unread, not what the mailbox holds.
///
/// Unread is "in the mailbox and not in the read marks", a function of two documents
/// (`refs/coord/mail/NAME` and `refs/coord/seen/NAME`). The cache file
/// (`coord/cache/mail-unread-NAME.json` under the common git dir, local and never synced) keeps
/// the two trees it was built from and the unread ids with their sender, time and blob. Reading it
/// diffs each cached tree against the current one and applies only what changed: a new message
/// is unread unless marked, a new mark removes its message. A missing, corrupt or stale cache is
/// rebuilt from the two documents, and every answer stays the same.
struct UnreadIndex {
    static let version = 1

    struct Entry: Codable, Equatable {
        var from: String
        var sentAt: Int64
        /// The message record's blob id, so reading the message needs no tree walk.
        var blob: String
    }

    struct State: Codable {
        var version: Int
        var mailTree: String
        var seenTree: String
        var unread: [String: Entry]
    }

    let session: String

    func cachePath(_ store: CoordStore) -> String {
        Files.join(store.localFolder, "cache", "mail-unread-\(session).json")
    }

    /// The unread messages' ids with their entries, brought up to date with both documents.
    func read(_ store: CoordStore) throws(CoordError) -> (unread: [String: Entry], mailbox: Snapshot, seen: Snapshot) {
        let box = try store.snapshot(Mail.mailbox(session))
        let seen = try store.snapshot(Mail.seen(session))
        var state = State(version: Self.version, mailTree: ObjectID.zero.hex, seenTree: ObjectID.zero.hex, unread: [:])
        let path = cachePath(store)
        if let bytes = Files.read(path),
           let cached = try? JSONDecoder().decode(State.self, from: Data(bytes)),
           cached.version == Self.version,
           let m = ObjectID(hex: cached.mailTree), m.isZero || store.contains(m),
           let s = ObjectID(hex: cached.seenTree), s.isZero || store.contains(s) {
            state = cached
        }
        let baseMail = ObjectID(hex: state.mailTree).flatMap { $0.isZero ? nil : $0 }
        let baseSeen = ObjectID(hex: state.seenTree).flatMap { $0.isZero ? nil : $0 }
        if baseMail == box.tree && baseSeen == seen.tree { return (state.unread, box, seen) }
        do {
            try apply(&state.unread, box: box, seen: seen, baseMail: baseMail, baseSeen: baseSeen)
        } catch {
            throw CoordError.data("cannot read \(Mail.mailbox(session).refName)", cause: error, mend: "run `git coord doctor`")
        }
        state.mailTree = (box.tree ?? .zero).hex
        state.seenTree = (seen.tree ?? .zero).hex
        if let data = try? JSONEncoder().encode(state) { Files.writeAtomically(path, Array(data)) }
        return (state.unread, box, seen)
    }

    private func apply(_ unread: inout [String: Entry], box: Snapshot, seen: Snapshot,
                       baseMail: ObjectID?, baseSeen: ObjectID?) throws(GitError) {
        let seenChanges = try seen.changes(since: baseSeen).filter { $0.path.hasPrefix("read/") }
        var markedNow = Set<String>()
        var unmarked: [String] = []
        for c in seenChanges {
            let id = Shard.id(fromPath: c.path)
            if c.new != nil { markedNow.insert(id); unread[id] = nil } else { unmarked.append(id) }
        }
        func isMarked(_ id: String) throws(GitError) -> Bool {
            if markedNow.contains(id) { return true }
            guard seen.tree != nil, baseSeen != nil else { return false }
            for path in Mail.recordPaths("read", id) where try seen.entry(path) != nil { return true }
            return false
        }
        func entry(_ blob: ObjectID) throws(GitError) -> (String, Entry)? {
            guard let m = Message(bytes: try box.blob(blob)) else { return nil }
            return (m.id, Entry(from: m.from, sentAt: m.sentAt, blob: blob.hex))
        }
        for c in try box.changes(since: baseMail) where c.path.hasPrefix("msgs/") && c.path.hasSuffix(".rec") {
            let id = Shard.id(fromPath: c.path)
            guard let blob = c.new else { unread[id] = nil; continue }
            if try isMarked(id) { continue }
            // A record whose id disagrees with its path is a peer's fault: skipped, never shown.
            if let (recordID, e) = try entry(blob), recordID == id { unread[id] = e }
        }
        // A mark that disappeared (possible only through a rewritten ref): unread again.
        for id in unmarked {
            guard box.tree != nil else { continue }
            var found: TreeEntry? = nil
            for path in Mail.recordPaths("msgs", id) where found == nil { found = try box.entry(path) }
            guard let e = found else { continue }
            if let (recordID, entry) = try entry(e.id), recordID == id { unread[id] = entry }
        }
    }
}
