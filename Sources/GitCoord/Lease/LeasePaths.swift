/// Paths as leases compare them: relative to the work tree's root, `/`-separated, no `.` or `..`.
public enum LeasePaths {
    /// The path of `path` relative to the work tree `root`, nil when it lies outside it (or in
    /// `.git`). An absolute path is resolved through symbolic links as far as it exists (a file
    /// about to be written does not exist yet); a relative one is taken from the root.
    public static func relative(_ path: String, root: String) -> String? {
        let rel: String
        if path.hasPrefix("/") {
            let realRoot = resolve(root)
            let real = resolve(path)
            guard real.hasPrefix(realRoot + "/") else { return nil }
            rel = String(real.dropFirst(realRoot.count + 1))
        } else {
            rel = path
        }
        var parts: [Substring] = []
        for p in rel.split(separator: "/") where p != "." && !p.isEmpty {
            if p == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(p)
            }
        }
        guard let first = parts.first, first != ".git" else { return nil }
        return parts.joined(separator: "/")
    }

    /// The real path of the longest existing leading part of `path`, with the rest appended.
    static func resolve(_ path: String) -> String {
        var head = path
        var tail: [String] = []
        while !head.isEmpty && head != "/" {
            if let real = try? OS.realPath(head) {
                return ([real == "/" ? "" : real] + tail.reversed()).joined(separator: "/")
            }
            guard let slash = head.lastIndex(of: "/") else { break }
            tail.append(String(head[head.index(after: slash)...]))
            head = String(head[..<slash])
        }
        return path
    }
}
