import GitCoordStore

/// A cell from a peer that was not taken, and why.
public struct RejectedCell: Sendable, Equatable, CustomStringConvertible {
    public let document: String
    public let path: String
    public let reason: String
    /// True when no honest writer can have made the cell (a strange path, a malformed or
    /// impossible value): such a peer commit never becomes an ancestor of a local commit. False
    /// for a refusal of this replica's own limits (a stamp too far ahead of this clock, a cell over
    /// the size limit), which an honest peer can cause and which may pass later.
    public let lasting: Bool
    /// The refused object's id (the cell's blob, or the commit), hex; empty when unknown.
    public let object: String

    public init(document: String, path: String, reason: String, lasting: Bool = true, object: String = "") {
        self.document = document
        self.path = path
        self.reason = reason
        self.lasting = lasting
        self.object = object
    }

    public var description: String { "\(document): \(path): \(reason)" }
}

/// What a peer's cells must satisfy before they are joined into local documents.
///
/// Every byte a peer sends is untrusted. A cell is refused, alone, when its path is not one a
/// git-coord writer makes, when it is too big, when its bytes are not a canonical cell, when a
/// value is impossible (an epoch no release count reaches, a claim older than its task), or when
/// its stamp is further ahead of this clock than honest clocks drift.
public struct PeerPolicy: Sendable {
    /// Largest cell accepted, in bytes.
    public var maxCellBytes = 2 * 1024 * 1024
    /// How far past the local clock a stamp may be before it is refused, in milliseconds.
    public var maxClockSkewMilliseconds: Int64 = 10 * 60 * 1000
    /// The local wall clock in milliseconds.
    public var now: Int64

    public init(now: Int64) { self.now = now }

    /// The latest stamp time this replica takes from a peer.
    public var latestAccepted: Int64 { now + maxClockSkewMilliseconds }

    /// The refusal of the cell at `path` (blob `id`), or nil when it may be taken.
    public func refusal(document: String, path: String, id: ObjectID, repository: Repository) -> RejectedCell? {
        func refuse(_ reason: String, lasting: Bool = true) -> RejectedCell {
            RejectedCell(document: document, path: path, reason: reason, lasting: lasting, object: id.hex)
        }
        if path == DocumentMarker.path { return nil }
        if let problem = PeerPolicy.pathProblem(path) { return refuse(problem) }
        guard let size = try? repository.blobSize(id) else { return refuse("blob \(id) is missing") }
        if size > maxCellBytes { return refuse("cell of \(size) bytes is over the \(maxCellBytes)-byte limit", lasting: false) }
        guard let bytes = try? repository.readBlob(id) else { return refuse("blob \(id) is unreadable") }
        if let problem = CellJoin.validate(path: path, bytes) { return refuse(problem) }
        guard CellKind.of(path: path) == .fields, let map = try? FieldMap(bytes: bytes) else { return nil }
        if let problem = PeerPolicy.impossibleClaim(map) { return refuse(problem) }
        if let s = map.maxStamp, s.milliseconds > latestAccepted {
            return refuse("stamp \(s) is \((s.milliseconds - now) / 1000) s ahead of this clock (forged or skewed)", lasting: false)
        }
        return nil
    }

    /// Why `path` is no path a git-coord writer makes, or nil.
    ///
    /// Components are non-empty and made of letters, digits, `_`, `-` and `.`, never start with a
    /// dot (so no `.`, `..`, `.git` nor any of git's look-alikes), and only the last one ends
    /// in a cell extension: a folder named like a cell would clash with a cell of that name (a
    /// directory/file conflict) on every replica holding the cell.
    public static func pathProblem(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.utf8.count > 512 || parts.count > 16 { return "path too long or too deep" }
        for (i, part) in parts.enumerated() {
            if let problem = nameProblem(part, isFolder: i < parts.count - 1) { return problem }
        }
        if CellKind.of(path: path) == nil { return "not a cell path (no .rec or .lww extension)" }
        return nil
    }

    /// Why one path component is no name a git-coord writer makes, or nil.
    static func nameProblem<S: StringProtocol>(_ part: S, isFolder: Bool) -> String? {
        if part.isEmpty { return "empty path component" }
        let allowed = part.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 46 || c == 95
        }
        if part.hasPrefix(".") || !allowed || part.utf8.count > 255 { return "strange path component '\(part)'" }
        if isFolder && CellKind.of(path: String(part)) != nil {
            return "folder '\(part)' is named like a cell (a directory/file conflict)"
        }
        return nil
    }

    /// Why a board task's claim cannot be true, or nil: a live claim stamped before the task was
    /// created.
    static func impossibleClaim(_ map: FieldMap) -> String? {
        guard case .claim(_, let s, let holder?)? = map["claim"],
              case .register(let created, _)? = map["createdAt"], s < created
        else { return nil }
        return "claim by \(holder) stamped \(s), before the task was created (\(created))"
    }
}
