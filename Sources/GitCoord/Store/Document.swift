/// The documents git-coord keeps, each under one ref in `refs/coord/`.
public enum DocumentKind: String, Sendable, CaseIterable, Codable {
    case board
    case mail
    case sessions
    case state
    case jobs
    case beat
    case seen
    case leases

    /// Whether each write adds to the document's history. Heartbeats and read marks do not: each
    /// write replaces a parentless commit, so a day of beats leaves one commit, not 2,880.
    public var keepsHistory: Bool {
        switch self {
        case .beat, .seen: return false
        default: return true
        }
    }

    /// Whether the document belongs to one session (`refs/coord/KIND/SESSION`).
    public var isPerSession: Bool { self != .board && self != .leases }

    /// The newest on-disk format of this kind that this build reads and writes.
    public var formatVersion: Int64 { 1 }
}

/// One document: a kind and, for per-session kinds, the session it belongs to.
public struct DocumentID: Hashable, Sendable, CustomStringConvertible, Codable {
    public let kind: DocumentKind
    public let owner: String?

    public init(_ kind: DocumentKind, _ owner: String? = nil) {
        self.kind = kind
        self.owner = owner
    }

    public static let board = DocumentID(.board)

    /// The full ref name, e.g. `refs/coord/mail/worker-1`.
    public var refName: String {
        if let owner { return "refs/coord/\(kind.rawValue)/\(owner)" }
        return "refs/coord/\(kind.rawValue)"
    }

    public var description: String { refName }

    /// The document a ref name under `refs/coord/` (or a remote-tracking prefix) names.
    public init?(refName: String, prefix: String = "refs/coord/") {
        guard refName.hasPrefix(prefix) else { return nil }
        let rest = refName.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard let kind = DocumentKind(rawValue: String(rest[0])) else { return nil }
        if kind.isPerSession {
            guard rest.count == 2, SessionName.isValid(String(rest[1])) else { return nil }
            self.init(kind, String(rest[1]))
        } else {
            guard rest.count == 1 else { return nil }
            self.init(kind)
        }
    }
}

/// The `.coord` file at the root of every document tree: its kind and format version, so that an
/// older binary refuses a newer format instead of misreading it.
public enum DocumentMarker {
    public static let path = ".coord"

    public static func bytes(for kind: DocumentKind) -> [UInt8] {
        JSONValue.object(["format": .int(kind.formatVersion), "kind": .string(kind.rawValue)]).canonicalBytes + [0x0a]
    }

    /// Checks a marker read from a document: nil when this build can read the document.
    public static func check(_ bytes: [UInt8], document: DocumentID) -> CoordError? {
        var body = bytes
        if body.last == 0x0a { body.removeLast() }
        guard let v = try? JSONValue.parse(body), let format = v["format"]?.intValue, let kind = v["kind"]?.stringValue else {
            return CoordError.data("\(document.refName) has an unreadable .coord marker; run `git coord doctor`")
        }
        if kind != document.kind.rawValue {
            return CoordError.data("\(document.refName) holds a '\(kind)' document, not a '\(document.kind.rawValue)' one; run `git coord doctor`")
        }
        if format > document.kind.formatVersion {
            return CoordError.data("\(document.refName) is in format \(format), written by a newer git-coord; this one reads formats up to \(document.kind.formatVersion). Upgrade git-coord to read it")
        }
        return nil
    }
}
