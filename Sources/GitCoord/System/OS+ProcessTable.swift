#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// What the kernel's process table says of one process.
struct ProcessState: Sendable, Equatable {
    /// Whether it has ended and waits for its parent to reap it (a zombie).
    var isZombie: Bool
    /// When it started, as a number that stays the same for as long as it runs and differs for a
    /// later process given the same pid within one boot (nil when the system does not say).
    /// Linux: clock ticks since boot (`/proc/PID/stat`, field 22); macOS: microseconds since 1970
    /// (`proc_pidinfo`'s `pbi_start_tvsec` and `pbi_start_tvusec`).
    var start: String?
}

extension OS {
    /// What the process table says of `pid`; nil when it has no such process (or, on a system
    /// this code does not know, nothing is said).
    ///
    /// The corresponding source is `/proc/PID/stat` (Linux), `proc_pidinfo(PROC_PIDTBSDINFO)` (macOS).
    static func processState(_ pid: Int32) -> ProcessState? {
        guard pid > 0 else { return nil }
        #if os(Linux)
        // The fields after the command name in parentheses, from field 3 (the state) on.
        guard let bytes = try? readFile("/proc/\(pid)/stat") else { return nil }
        let stat = String(decoding: bytes, as: UTF8.self)
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard let state = fields.first else { return nil }
        let start = fields.count > 19 && fields[19].allSatisfy(\.isNumber) ? String(fields[19]) : nil
        return ProcessState(isZombie: state == "Z" || state == "X", start: start)
        #elseif os(macOS)
        var info = proc_bsdinfo()
        let size = Int32(MemoryLayout<proc_bsdinfo>.size)
        guard proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &info, size) == size else { return nil }
        let micros = UInt64(info.pbi_start_tvsec) * 1_000_000 + UInt64(info.pbi_start_tvusec)
        return ProcessState(isZombie: info.pbi_status == 5 /* SZOMB, sys/proc.h */, start: String(micros))
        #else
        return nil
        #endif
    }

    /// This boot's id: it changes at every restart, so a start recorded before a restart never
    /// matches a process after it. Nil where the system does not say.
    ///
    /// The corresponding source is `/proc/sys/kernel/random/boot_id` (Linux), the
    /// `kern.bootsessionuuid` sysctl (macOS).
    static let bootID: String? = {
        #if os(Linux)
        guard let bytes = try? readFile("/proc/sys/kernel/random/boot_id"),
              let id = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace).first else { return nil }
        return String(id)
        #elseif os(macOS)
        var size = 0
        guard sysctlbyname("kern.bootsessionuuid", nil, &size, nil, 0) == 0, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard sysctlbyname("kern.bootsessionuuid", &buffer, &size, nil, 0) == 0 else { return nil }
        let id = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return id.isEmpty ? nil : id
        #else
        return nil
        #endif
    }()

    /// The path of this process's program; nil when the system does not say.
    ///
    /// The corresponding C function is `readlink("/proc/self/exe")` (Linux), `proc_pidpath` (macOS).
    public static var executablePath: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        #if os(Linux)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        #elseif os(macOS)
        let n = Int(proc_pidpath(getpid(), &buffer, UInt32(buffer.count)))
        #else
        let n = 0
        #endif
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A descriptor that becomes readable when the process `pid` ends (a pidfd), or -1 where the
    /// system has none: then the caller checks the process on a short timer.
    ///
    /// The corresponding C function is `pidfd_open` (Linux 5.3 and later, through the C library
    /// when it has it: glibc 2.36 and later). macOS has no such descriptor (a kqueue with
    /// `EVFILT_PROC` would need the callers to wait on kqueues instead of `poll`), so there it is -1.
    static func openExitDescriptor(_ pid: Int32) -> Int32 {
        #if os(Linux)
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pidfd_open") else { return -1 }
        let open = unsafeBitCast(sym, to: PidfdOpen.self)
        let fd = open(pid, 0)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fd
        #else
        return -1
        #endif
    }

    private typealias PidfdOpen = @convention(c) (Int32, UInt32) -> Int32
}
