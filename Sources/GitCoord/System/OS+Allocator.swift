#if canImport(Glibc)
internal import Glibc
#endif

extension OS {
    /// Keeps freed memory in the process instead of handing it back to the kernel at once.
    ///
    /// Every object libgit2 writes sets up a zlib stream of about 270 KB and frees it; by default
    /// glibc returns such memory to the kernel as soon as it is freed (`munmap`, or `madvise` on a
    /// thread's heap) and takes it back with page faults at the next object. A send writes about a
    /// dozen objects; in the long-lived MCP server, keeping the memory cut the CPU time of a send
    /// by about a third (Docs/MCP.md, "Figures"). The memory kept is bounded by the process's peak
    /// use. glibc only: macOS's allocator keeps such memory already.
    ///
    /// The corresponding C function is `mallopt` (`M_MMAP_THRESHOLD`, `M_TRIM_THRESHOLD`).
    public static func keepFreedMemory() {
        #if os(Linux) && canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 256 << 20)
        #endif
    }
}
