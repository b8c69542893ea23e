#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the process environment without importing Foundation.
public enum ProcessEnvironment {
    public static func get(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
    }
}
