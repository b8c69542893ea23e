#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A kernel watch on folders that wakes a waiter when entries in them change.
///
/// Linux: one inotify instance; each folder watched for entries moved in or out, created or
/// deleted, and for its own deletion; every event names the entry. macOS: one kqueue with an
/// `EVFILT_VNODE` filter (`NOTE_WRITE`, plus `NOTE_DELETE` and `NOTE_RENAME` for the folder
/// itself) on a descriptor of each folder; an event says only that something in the folder
/// changed (``Event/name`` nil). A watch on a folder that goes away is dropped by itself.
///
/// Not safe to share between threads. The kernel resources are released with the watch.
final class FolderWatch {
    /// One change the kernel reported.
    struct Event: Sendable, Equatable {
        /// The key the folder was added with (``add(_:as:)``); empty for ``overflow``.
        var folder: String
        /// The entry that changed (empty: the folder itself); nil when the system does not name
        /// it (kqueue).
        var name: String?
        /// Whether the entry is a folder.
        var isFolder: Bool
        /// Whether the kernel dropped events (its queue overflowed): anything may have changed.
        var overflow: Bool
    }

    /// Watched folder keys, by the kernel's handle of each watch.
    private var keys: [Int32: String] = [:]

    /// The keys of the folders watched now.
    var watched: Set<String> { Set(keys.values) }

    #if os(Linux)
    private let fd: Int32

    /// An inotify instance; nil when the kernel gives none (the per-user limit, 128 by default).
    ///
    /// The corresponding C function is `inotify_init1`.
    init?() {
        fd = inotify_init1(Int32(O_NONBLOCK | O_CLOEXEC))
        if fd < 0 { return nil }
    }

    deinit { OS.close(fd) }

    private static let folderMask = UInt32(IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_ONLYDIR)

    /// Starts watching the folder at `path`, reported as `key`. False when it cannot be watched.
    ///
    /// The corresponding C function is `inotify_add_watch`.
    @discardableResult
    func add(_ path: String, as key: String) -> Bool {
        let wd = inotify_add_watch(fd, path, FolderWatch.folderMask)
        guard wd >= 0 else { return false }
        keys[wd] = key
        return true
    }

    /// Waits up to `timeoutMs` for events and returns every one pending (empty on time-out or
    /// when interrupted by a signal).
    ///
    /// The corresponding C functions are `poll` and `read`.
    func next(timeoutMs: Int32) throws(SystemError) -> [Event] {
        guard try OS.poll([fd], timeoutMs: timeoutMs)[0] else { return [] }
        return drain()
    }

    /// Reads every pending event.
    private func drain() -> [Event] {
        var events: [Event] = []
        var buf = [UInt8](repeating: 0, count: 16_384)
        while true {
            guard let n = try? OS.read(fd, into: &buf), n > 0 else { break }
            var off = 0
            let header = MemoryLayout<inotify_event>.size
            while off + header <= n {
                let (wd, mask, len) = buf.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                    (raw.loadUnaligned(fromByteOffset: off, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: off + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: off + 12, as: UInt32.self)))
                }
                let nameBytes = buf[(off + header)..<min(n, off + header + len)].prefix { $0 != 0 }
                off += header + len
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    events.append(Event(folder: "", name: nil, isFolder: false, overflow: true))
                    continue
                }
                if mask & UInt32(IN_IGNORED) != 0 { keys[wd] = nil; continue }
                guard let folder = keys[wd] else { continue }
                events.append(Event(folder: folder, name: String(decoding: nameBytes, as: UTF8.self),
                                    isFolder: mask & UInt32(IN_ISDIR) != 0, overflow: false))
            }
        }
        return events
    }
    #elseif os(macOS)
    private let kq: Int32

    /// A kqueue; nil when the kernel gives none.
    ///
    /// The corresponding C function is `kqueue`.
    init?() {
        kq = kqueue()
        if kq < 0 { return nil }
        _ = fcntl(kq, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        for fd in keys.keys { OS.close(fd) }
        OS.close(kq)
    }

    /// Starts watching the folder at `path`, reported as `key`. False when it cannot be watched.
    ///
    /// The corresponding C functions are `open(O_EVTONLY)` and `kevent` (`EV_ADD`, `EVFILT_VNODE`).
    @discardableResult
    func add(_ path: String, as key: String) -> Bool {
        let fd = Darwin.open(path, O_EVTONLY | O_CLOEXEC | O_DIRECTORY)
        guard fd >= 0 else { return false }
        var change = kevent(ident: UInt(fd), filter: Int16(EVFILT_VNODE), flags: UInt16(EV_ADD | EV_CLEAR),
                            fflags: UInt32(NOTE_WRITE | NOTE_DELETE | NOTE_RENAME), data: 0, udata: nil)
        guard kevent(kq, &change, 1, nil, 0, nil) == 0 else { OS.close(fd); return false }
        keys[fd] = key
        return true
    }

    /// Waits up to `timeoutMs` (negative: no limit) for events and returns every one pending
    /// (empty on time-out or when interrupted by a signal).
    ///
    /// The corresponding C function is `kevent`.
    func next(timeoutMs: Int32) throws(SystemError) -> [Event] {
        var received = [kevent](repeating: kevent(), count: 64)
        var wait = timespec(tv_sec: Int(timeoutMs / 1000), tv_nsec: Int(timeoutMs % 1000) * 1_000_000)
        var events: [Event] = []
        while true {
            let n = timeoutMs < 0 && events.isEmpty
                ? kevent(kq, nil, 0, &received, Int32(received.count), nil)
                : kevent(kq, nil, 0, &received, Int32(received.count), &wait)
            if n < 0 {
                if errno == EINTR { return events }
                throw SystemError.last("wait for folder changes")
            }
            for e in received.prefix(Int(n)) {
                let fd = Int32(e.ident)
                guard let folder = keys[fd] else { continue }
                if e.fflags & UInt32(NOTE_DELETE | NOTE_RENAME) != 0 {
                    // The folder itself went away (or moved): its watch is of no more use.
                    keys[fd] = nil
                    OS.close(fd)
                }
                events.append(Event(folder: folder, name: nil, isFolder: false, overflow: false))
            }
            // Then collect whatever else is already pending, without waiting.
            if n < received.count { return events }
            wait = timespec(tv_sec: 0, tv_nsec: 0)
        }
    }
    #else
    init?() { return nil }
    @discardableResult
    func add(_ path: String, as key: String) -> Bool { false }
    func next(timeoutMs: Int32) throws(SystemError) -> [Event] { [] }
    #endif
}
