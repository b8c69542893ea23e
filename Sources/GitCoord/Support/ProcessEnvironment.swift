/// Reads the process environment without importing Foundation.
public enum ProcessEnvironment {
    public static func get(_ name: String) -> String? {
        OS.environmentVariable(name)
    }
}
