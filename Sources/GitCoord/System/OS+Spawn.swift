#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import SystemPackage

extension OS {
    /// How ``spawn(_:_:)`` sets up the new process.
    public struct SpawnOptions: Sendable {
        /// What to do with one of the child's descriptors before the program starts.
        public enum FileAction: Sendable {
            /// Open `path` as descriptor `fd` (files made are `rw-r--r--`).
            case open(Int32, path: String, FileMode)
            /// Make descriptor `to` a copy of `from`.
            case duplicate(Int32, to: Int32)
            /// Close descriptor `fd`.
            case close(Int32)
        }

        /// How ``FileAction/open(_:path:_:)`` opens a file.
        public enum FileMode: Sendable {
            /// For reading.
            case read
            /// For writing at its end, created when missing.
            case append
            /// For writing from empty, created when missing.
            case truncate
        }

        /// The descriptor changes, in order.
        public var files: [FileAction] = []
        /// The folder the program starts in (nil: this process's).
        public var directory: String?
        /// The program's environment as `NAME=value` entries (nil: this process's).
        public var environment: [String]?
        /// Whether `argv[0]` is searched in `PATH` (as `posix_spawnp` does).
        public var searchPath = true
        /// Whether the program starts a new session (no controlling terminal).
        public var newSession = false
        /// Signals whose handling is reset to the default in the program, whatever this process
        /// does with them.
        public var defaultSignals: [Signal] = []
        /// Whether the program starts with no signal blocked, whatever this process's threads block.
        public var clearSignalMask = true

        public init(files: [FileAction] = [], directory: String? = nil, environment: [String]? = nil, searchPath: Bool = true,
                    newSession: Bool = false, defaultSignals: [Signal] = [], clearSignalMask: Bool = true) {
            self.files = files
            self.directory = directory
            self.environment = environment
            self.searchPath = searchPath
            self.newSession = newSession
            self.defaultSignals = defaultSignals
            self.clearSignalMask = clearSignalMask
        }
    }

    /// Starts `argv` as a new process and returns its id without waiting for it.
    ///
    /// The error's ``SystemError/errno`` is `ENOENT` when the program does not exist.
    ///
    /// The corresponding C functions are `posix_spawn` and `posix_spawnp`.
    public static func spawn(_ argv: [String], _ options: SpawnOptions) throws(SystemError) -> Int32 {
        precondition(!argv.isEmpty)
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for action in options.files {
            switch action {
            case .open(let fd, let path, let mode):
                let flags: Int32
                switch mode {
                case .read: flags = O_RDONLY
                case .append: flags = O_WRONLY | O_CREAT | O_APPEND
                case .truncate: flags = O_WRONLY | O_CREAT | O_TRUNC
                }
                posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0o644)
            case .duplicate(let from, let to):
                posix_spawn_file_actions_adddup2(&actions, from, to)
            case .close(let fd):
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
        if let directory = options.directory { _ = spawnAddChdir(&actions, directory) }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags: Int32 = 0
        if options.clearSignalMask {
            var empty = sigset_t()
            sigemptyset(&empty)
            posix_spawnattr_setsigmask(&attributes, &empty)
            flags |= Int32(POSIX_SPAWN_SETSIGMASK)
        }
        if !options.defaultSignals.isEmpty {
            var defaults = sigset_t()
            sigemptyset(&defaults)
            for s in options.defaultSignals { sigaddset(&defaults, s.rawValue) }
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            flags |= Int32(POSIX_SPAWN_SETSIGDEF)
        }
        if options.newSession { flags |= spawnSetSID }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnvironmentCopy: [UnsafeMutablePointer<CChar>?]? = options.environment.map { $0.map { strdup($0) } + [nil] }
        defer {
            cArguments.forEach { free($0) }
            cEnvironmentCopy?.forEach { free($0) }
        }
        let start = options.searchPath ? posix_spawnp : posix_spawn
        var pid: pid_t = 0
        let rc: Int32
        if let cEnvironmentCopy {
            rc = start(&pid, argv[0], &actions, &attributes, cArguments, cEnvironmentCopy)
        } else {
            rc = start(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        }
        guard rc == 0 else { throw SystemError("start", path: argv[0], errno: .init(rawValue: rc)) }
        return pid
    }
}

#if os(Linux)
/// glibc's `POSIX_SPAWN_SETSID` (spawn.h), hidden from Swift behind `_GNU_SOURCE`.
private let spawnSetSID: Int32 = 0x80

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), hidden from Swift behind `_GNU_SOURCE`.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32
#elseif os(macOS)
/// `POSIX_SPAWN_SETSID` (macOS 10.15 and later).
private let spawnSetSID = Int32(POSIX_SPAWN_SETSID)

/// `posix_spawn_file_actions_addchdir_np` (macOS 10.15 and later).
private func spawnAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t?>, _ path: UnsafePointer<CChar>) -> Int32 {
    posix_spawn_file_actions_addchdir_np(actions, path)
}
#endif
