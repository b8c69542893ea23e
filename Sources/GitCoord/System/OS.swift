#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import SystemPackage

/// The one door to the operating system: every system call git-coord makes is a small wrapper here.
///
/// The files of `Sources/GitCoord/System/` are the only ones that import the C library (as an
/// `internal import`, so no C type leaks out); everything else calls these wrappers, which take
/// and return Swift types and throw ``SystemError`` (what was attempted, on which file, `errno`).
/// Where swift-system (`SystemPackage`) already wraps a call (`FileDescriptor`, `Stat`), the
/// wrapper uses it. What differs between Linux and macOS (inotify and kqueue, `/proc` and
/// `proc_pidinfo`) is decided here too, behind `#if os(Linux)` and `#elseif os(macOS)`.
///
/// File descriptors are plain `Int32`s, as the kernel gives them.
///
/// ```swift
/// let fd = try OS.open(path, .readOnly)
/// defer { OS.close(fd) }
/// var buffer = [UInt8](repeating: 0, count: 4096)
/// let n = try OS.read(fd, into: &buffer)
/// ```
public enum OS {}

// MARK: - Descriptors

extension OS {
    /// Opens a file, close-on-exec. A file `.create` makes gets the permissions `rw-r--r--`.
    ///
    /// The corresponding C function is `open`.
    static func open(_ path: String, _ access: FileDescriptor.AccessMode, _ options: FileDescriptor.OpenOptions = []) throws(SystemError) -> Int32 {
        do {
            return try path.withCString { cPath in
                try FileDescriptor.open(cPath, access, options: options.union(.closeOnExec),
                                        permissions: options.contains(.create) ? [.ownerReadWrite, .groupRead, .otherRead] : nil).rawValue
            }
        } catch {
            throw SystemError.from(error, "open", path: path)
        }
    }

    /// The whole content of a file.
    ///
    /// The corresponding C functions are `open`, `read` and `close`.
    static func readFile(_ path: String) throws(SystemError) -> [UInt8] {
        let fd = try open(path, .readOnly)
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n: Int
            do { n = try read(fd, into: &buffer) } catch { throw SystemError(error.operation, path: path, errno: error.errno) }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// Reads what is there, up to the buffer's size, into the start of `buffer`; 0 at the end of
    /// the file. A read interrupted by a signal is retried.
    ///
    /// The corresponding C function is `read`.
    public static func read(_ fd: Int32, into buffer: inout [UInt8]) throws(SystemError) -> Int {
        do {
            return try buffer.withUnsafeMutableBytes { try FileDescriptor(rawValue: fd).read(into: $0) }
        } catch {
            throw SystemError.from(error, "read")
        }
    }

    /// Reads into `buffer` from byte `offset` of the file, leaving the file's position alone.
    ///
    /// The corresponding C function is `pread`.
    static func read(_ fd: Int32, into buffer: inout [UInt8], at offset: Int64) throws(SystemError) -> Int {
        do {
            return try buffer.withUnsafeMutableBytes { try FileDescriptor(rawValue: fd).read(fromAbsoluteOffset: offset, into: $0) }
        } catch {
            throw SystemError.from(error, "read")
        }
    }

    /// Writes as much of `bytes` as the kernel takes in one call; returns how much that was.
    /// A write interrupted by a signal is retried.
    ///
    /// The corresponding C function is `write`.
    static func write(_ fd: Int32, _ bytes: ArraySlice<UInt8>) throws(SystemError) -> Int {
        do {
            return try bytes.withUnsafeBytes { try FileDescriptor(rawValue: fd).write($0) }
        } catch {
            throw SystemError.from(error, "write")
        }
    }

    /// Closes a descriptor. Errors are ignored: the descriptor is gone either way.
    ///
    /// The corresponding C function is `close`.
    public static func close(_ fd: Int32) {
        try? FileDescriptor(rawValue: fd).close()
    }

    /// Moves to the end of the file; returns its size.
    ///
    /// The corresponding C function is `lseek`.
    static func seekToEnd(_ fd: Int32) throws(SystemError) -> Int64 {
        do { return try FileDescriptor(rawValue: fd).seek(offset: 0, from: .end) } catch { throw SystemError.from(error, "seek") }
    }

    /// A pipe whose two ends are closed on exec (at once, where the system can: a program another
    /// thread starts at the same moment must not inherit them).
    ///
    /// The corresponding C function is `pipe2` (Linux), `pipe` and `fcntl` (macOS).
    public static func pipe() throws(SystemError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        guard linuxPipe2(&fds, O_CLOEXEC) == 0 else { throw SystemError.last("make a pipe") }
        #else
        guard Darwin.pipe(&fds) == 0 else { throw SystemError.last("make a pipe") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #endif
        return (fds[0], fds[1])
    }

    /// Makes reads of `fd` return at once when nothing is there.
    ///
    /// The corresponding C function is `fcntl`.
    static func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Waits until one of `fds` can be read (or has hung up), or `timeoutMs` passes (negative:
    /// no limit). Returns, for each descriptor, whether it is ready; negative descriptors are
    /// skipped. A wait interrupted by a signal returns as a time-out (nothing ready).
    ///
    /// The corresponding C function is `poll`.
    public static func poll(_ fds: [Int32], timeoutMs: Int32) throws(SystemError) -> [Bool] {
        var set = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let rc = systemPoll(&set, nfds_t(set.count), timeoutMs)
        if rc < 0 {
            if errno == EINTR { return fds.map { _ in false } }
            throw SystemError.last("poll")
        }
        return set.map { $0.revents != 0 }
    }

    /// Whether `fd` is a terminal.
    ///
    /// The corresponding C function is `isatty`.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

/// `poll`, named apart from ``OS/poll(_:timeoutMs:)``.
private func systemPoll(_ fds: UnsafeMutablePointer<pollfd>, _ count: nfds_t, _ timeout: Int32) -> Int32 {
    poll(fds, count, timeout)
}

#if os(Linux)
/// glibc's `pipe2`, hidden from Swift behind `_GNU_SOURCE`.
@_silgen_name("pipe2")
private func linuxPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
#endif
