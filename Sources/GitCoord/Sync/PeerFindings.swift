import GitCoordStore

/// A peer's cell or commit that sync refused, as kept in the record of findings.
///
/// The record is `GITDIR/coord/peer-findings.jsonl` in the common git dir: one canonical JSON
/// object per line, local to this clone and never synced, appended the first time sync refuses
/// a given object at a given place. Sync prints each finding once, on the sync that first meets
/// it; later syncs that meet it again stay quiet, and ``Coord/peerFindings()`` returns them all.
public struct PeerFinding: Sendable, Equatable {
    /// When it was first refused, milliseconds since 1970.
    public let at: Int64
    /// The remote it came from.
    public let remote: String
    /// The document's ref, e.g. `refs/coord/board`.
    public let document: String
    /// The cell's path in the document, or `Coord-Stamp` (the commit's stamp), or the path of a
    /// strange tree entry in the peer's history.
    public let path: String
    /// The refused blob or commit id (hex); empty when unknown.
    public let object: String
    /// Why, as sync printed it.
    public let reason: String
    /// True when no honest writer makes such data (kept out of local history); false for a
    /// refusal of this clone's limits (clock skew, size) that may pass later.
    public let lasting: Bool

    /// The line stored in the record.
    public var json: JSONValue {
        .object([
            "at": .int(at), "remote": .string(remote), "ref": .string(document), "path": .string(path),
            "object": .string(object), "reason": .string(reason), "lasting": .bool(lasting),
        ])
    }

    init(at: Int64, remote: String, cell: RejectedCell) {
        self.at = at
        self.remote = remote
        document = cell.document
        path = cell.path
        object = cell.object
        reason = cell.reason
        lasting = cell.lasting
    }

    /// Reads one line of the record; nil for a line that is not one.
    init?(json v: JSONValue) {
        guard let at = v["at"]?.intValue, let remote = v["remote"]?.stringValue, let ref = v["ref"]?.stringValue,
              let path = v["path"]?.stringValue, let reason = v["reason"]?.stringValue else { return nil }
        self.at = at
        self.remote = remote
        document = ref
        self.path = path
        object = v["object"]?.stringValue ?? ""
        self.reason = reason
        lasting = v["lasting"] == .bool(true)
    }

    /// What makes two findings the same: the place and the object.
    var key: String { "\(remote)\u{0}\(document)\u{0}\(path)\u{0}\(object)" }
}

extension Coord {
    /// The record of findings: `GITDIR/coord/peer-findings.jsonl` in the common git dir.
    public var peerFindingsPath: String { Files.join(store.localFolder, "peer-findings.jsonl") }

    /// Every peer cell or commit sync has refused in this clone, oldest first, each once.
    ///
    /// For `git coord doctor` and scripts: a clone whose stamps are far ahead shows as findings
    /// whose `reason` says how many seconds ahead and whose stamp names the writing session.
    /// Lines that cannot be read (a torn last line) are skipped. Deleting the file forgets the
    /// findings; the next sync that meets one records and prints it again.
    public func peerFindings() -> [PeerFinding] {
        guard let bytes = Files.read(peerFindingsPath) else { return [] }
        var seen = Set<String>()
        var out: [PeerFinding] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let v = try? JSONValue.parse(Array(line)), let f = PeerFinding(json: v), seen.insert(f.key).inserted else { continue }
            out.append(f)
        }
        return out
    }

    /// Records `cells` refused from `remote` and returns those not recorded before, each once.
    func recordPeerFindings(_ cells: [RejectedCell], remote: String) -> [RejectedCell] {
        guard !cells.isEmpty else { return [] }
        var known = Set(peerFindings().map(\.key))
        let now = store.now()
        var fresh: [RejectedCell] = []
        var lines: [UInt8] = []
        for cell in cells {
            let finding = PeerFinding(at: now, remote: remote, cell: cell)
            guard known.insert(finding.key).inserted else { continue }
            fresh.append(cell)
            lines += finding.json.canonicalBytes + [UInt8(ascii: "\n")]
        }
        if !lines.isEmpty { Files.append(peerFindingsPath, lines) }
        return fresh
    }
}
