/// Where a keyed record lives inside a document tree.
///
/// Ids are random base32 after their type prefix (`T-4k2mxq`, `m-…`, `J-…`), so their first two
/// random characters are already uniformly spread: `tasks/4/k/T-4k2mxq.lww`. Two levels of 32 give
/// 1,024 leaf folders; a write rewrites three small trees whatever the document's size, and a
/// typed prefix of an id names the one folder to look in.
public enum Shard {
    /// The path of the record `id` with `ext` under `folder`.
    public static func path(_ folder: String, _ id: String, ext: String) -> String {
        let (a, b) = buckets(id)
        return "\(folder)/\(a)/\(b)/\(id).\(ext)"
    }

    /// The two bucket names of an id: its first two characters after the type prefix.
    static func buckets(_ id: String) -> (String, String) {
        let random = id.split(separator: "-", maxSplits: 1).last.map(Array.init) ?? Array(id)
        let a = random.count > 0 ? String(random[0]) : "_"
        let b = random.count > 1 ? String(random[1]) : "_"
        return (a, b)
    }

    /// The folder to list for ids starting with `prefix`, as deep as the prefix allows.
    public static func folder(_ folder: String, forPrefix prefix: String) -> String {
        let random = prefix.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard random.count == 2 else { return folder }
        let chars = Array(random[1])
        if chars.count >= 2 { return "\(folder)/\(chars[0])/\(chars[1])" }
        if chars.count == 1 { return "\(folder)/\(chars[0])" }
        return folder
    }

    /// The id in a record path (its file name without extension).
    public static func id(fromPath path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[..<dot])
    }
}

/// Random ids made without coordination.
public enum IDGenerator {
    /// Crockford's base32 in lowercase: no i, l, o or u, so ids read aloud and type cleanly.
    public static let alphabet: [Character] = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// `prefix` followed by `length` random base32 characters.
    public static func make(_ prefix: String, length: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        var s = prefix
        for _ in 0..<length { s.append(alphabet[Int(rng.next() % 32)]) }
        return s
    }

    /// Whether `text` could be (a prefix of) an id with this type prefix.
    public static func looksLike(_ text: String, prefix: String) -> Bool {
        guard text.count > prefix.count, text.lowercased().hasPrefix(prefix.lowercased()) else { return false }
        return text.dropFirst(prefix.count).lowercased().allSatisfy { alphabet.contains($0) }
    }
}
