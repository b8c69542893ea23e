#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import SystemPackage

/// What `stat` says of a file, in Swift types.
struct FileStatus: Sendable, Equatable {
    var isDirectory: Bool
    /// The permission bits, set-id and sticky bits included (`mode & 0o7777`).
    var permissions: UInt32
    var device: UInt64
    var inode: UInt64
    /// When the content last changed, in seconds since 1970.
    var modified: Double
    /// The bytes its blocks take on disk.
    var allocatedBytes: Int64
}

extension OS {
    /// What the file at `path` is (symbolic links followed).
    ///
    /// The corresponding C function is `stat` (through swift-system's `Stat`).
    static func status(_ path: String) throws(SystemError) -> FileStatus {
        let st: Stat
        do { st = try path.withCString { try Stat($0) } } catch { throw SystemError.from(error, "stat", path: path) }
        let mtime = st.st_mtim
        return FileStatus(isDirectory: st.type == .directory, permissions: UInt32(st.permissions.rawValue),
                          device: UInt64(truncatingIfNeeded: st.deviceID.rawValue), inode: UInt64(truncatingIfNeeded: st.inode.rawValue),
                          modified: Double(mtime.tv_sec) + Double(mtime.tv_nsec) / 1e9, allocatedBytes: st.sizeAllocated)
    }

    /// Creates one folder (not its parents).
    ///
    /// The corresponding C function is `mkdir`.
    static func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws(SystemError) {
        guard mkdir(path, mode_t(permissions)) == 0 else { throw SystemError.last("create the folder", path: path) }
    }

    /// Removes a file (or a symbolic link).
    ///
    /// The corresponding C function is `unlink`.
    static func removeFile(_ path: String) throws(SystemError) {
        guard unlink(path) == 0 else { throw SystemError.last("remove", path: path) }
    }

    /// Removes an empty folder.
    ///
    /// The corresponding C function is `rmdir`.
    static func removeDirectory(_ path: String) throws(SystemError) {
        guard rmdir(path) == 0 else { throw SystemError.last("remove the folder", path: path) }
    }

    /// Renames `path` to `destination`, atomically replacing what was there.
    ///
    /// The corresponding C function is `rename`.
    static func move(_ path: String, to destination: String) throws(SystemError) {
        guard rename(path, destination) == 0 else { throw SystemError.last("rename \(path) to", path: destination) }
    }

    /// Makes `newPath` a second name of the file at `existing`; fails when `newPath` exists.
    ///
    /// The corresponding C function is `link`.
    static func hardLink(_ existing: String, as newPath: String) throws(SystemError) {
        guard link(existing, newPath) == 0 else { throw SystemError.last("link \(existing) as", path: newPath) }
    }

    /// Sets a file's permission bits.
    ///
    /// The corresponding C function is `chmod`.
    static func setPermissions(_ path: String, _ permissions: UInt32) throws(SystemError) {
        guard chmod(path, mode_t(permissions)) == 0 else { throw SystemError.last("change the permissions of", path: path) }
    }

    /// Whether this process may run the file at `path` (a folder passes too: check that apart).
    ///
    /// The corresponding C function is `access`.
    public static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    /// The absolute path of `path` with every symbolic link, `.` and `..` resolved; it must exist.
    ///
    /// The corresponding C function is `realpath`.
    static func realPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = realpath(path, nil) else { throw SystemError.last("resolve", path: path) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The current directory.
    ///
    /// The corresponding C function is `getcwd`.
    static func currentDirectory() throws(SystemError) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { throw SystemError.last("read the current directory") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Makes `path` the current directory.
    ///
    /// The corresponding C function is `chdir`.
    public static func changeDirectory(_ path: String) throws(SystemError) {
        guard chdir(path) == 0 else { throw SystemError.last("change to the folder", path: path) }
    }

    /// The names in a folder, in the order the system gives them, without `.` and `..`.
    ///
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    static func directoryEntries(_ path: String) throws(SystemError) -> [String] {
        guard let dir = opendir(path) else { throw SystemError.last("open the folder", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Takes the exclusive advisory lock of an open file without waiting; throws `EWOULDBLOCK`
    /// when another descriptor holds it. The kernel drops the lock when the process dies.
    ///
    /// The corresponding C function is `flock`.
    static func tryLockExclusive(_ fd: Int32) throws(SystemError) {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw SystemError.last("lock") }
    }

    /// Lets go of the advisory lock of an open file.
    ///
    /// The corresponding C function is `flock`.
    static func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    /// Creates a new folder named `prefix` plus six random characters; returns its path.
    ///
    /// The corresponding C function is `mkdtemp`.
    public static func makeTemporaryDirectory(prefix: String) throws(SystemError) -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError.last("create a temporary folder", path: prefix + "XXXXXX") }
        return String(cString: made)
    }
}
