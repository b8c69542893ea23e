import SystemPackage

/// Small file-system helpers over the system calls of ``OS``: whole-file reads, atomic writes, folders.
public enum Files {
    /// The bytes of a file, or nil when it cannot be read.
    public static func read(_ path: String) -> [UInt8]? {
        try? OS.readFile(path)
    }

    public static func readString(_ path: String) -> String? {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes a file whole and atomically (a temporary file renamed over it), creating folders.
    @discardableResult
    public static func writeAtomically(_ path: String, _ bytes: [UInt8]) -> Bool {
        makeFolders(parent(of: path))
        let tmp = "\(path).tmp.\(OS.processID).\(UInt32.random(in: 0...UInt32.max))"
        guard let fd = try? OS.open(tmp, .writeOnly, [.create, .truncate]) else { return false }
        let written = writeAll(fd, bytes)
        OS.close(fd)
        guard written, (try? OS.move(tmp, to: path)) != nil else { try? OS.removeFile(tmp); return false }
        return true
    }

    /// Writes all of `bytes` to an open descriptor, resuming after partial writes and signals.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            guard let n = try? OS.write(fd, bytes[off...]), n > 0 else { return false }
            off += n
        }
        return true
    }

    @discardableResult
    public static func writeAtomically(_ path: String, _ text: String) -> Bool { writeAtomically(path, Array(text.utf8)) }

    /// Appends bytes to a file (creating it and its folders), in one write call.
    @discardableResult
    public static func append(_ path: String, _ bytes: [UInt8]) -> Bool {
        makeFolders(parent(of: path))
        guard let fd = try? OS.open(path, .writeOnly, [.create, .append]) else { return false }
        defer { OS.close(fd) }
        return (try? OS.write(fd, bytes[...])) == bytes.count
    }

    /// Creates a folder and its parents; succeeds when it already exists.
    public static func makeFolders(_ path: String) {
        guard !path.isEmpty, !exists(path) else { return }
        makeFolders(parent(of: path))
        try? OS.makeDirectory(path, permissions: 0o755)
    }

    public static func exists(_ path: String) -> Bool {
        (try? OS.status(path)) != nil
    }

    public static func isDirectory(_ path: String) -> Bool {
        (try? OS.status(path))?.isDirectory == true
    }

    public static func remove(_ path: String) { try? OS.removeFile(path) }

    /// Removes a folder and everything in it.
    public static func removeTree(_ path: String) {
        guard let names = try? OS.directoryEntries(path) else { remove(path); return }
        for name in names {
            let child = path + "/" + name
            if isDirectory(child) { removeTree(child) } else { remove(child) }
        }
        try? OS.removeDirectory(path)
    }

    /// The names in a folder, sorted; empty when it cannot be read.
    public static func list(_ path: String) -> [String] {
        ((try? OS.directoryEntries(path)) ?? []).sorted()
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Joins path parts with single slashes.
    public static func join(_ parts: String...) -> String {
        var out = ""
        for p in parts where !p.isEmpty {
            if out.isEmpty { out = p; continue }
            out = (out.hasSuffix("/") ? String(out.dropLast()) : out) + "/" + (p.hasPrefix("/") ? String(p.dropFirst()) : p)
        }
        return out
    }

    /// The current directory.
    public static func currentDirectory() -> String {
        (try? OS.currentDirectory()) ?? "."
    }
}
