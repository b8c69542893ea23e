#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitCoord

/// A `git-coord-mcp` server process spoken to over its standard input and output, one JSON-RPC
/// message per line, for tests and the benchmark.
public final class MCPPipe {
    public let pid: pid_t
    private let toServer: Int32
    private let fromServer: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    /// Notifications that arrived while waiting for answers, oldest first.
    public private(set) var notifications: [JSONValue] = []
    /// Every line the server wrote, in order (for size measurements).
    public private(set) var lastLine: [UInt8] = []

    /// The built `git-coord-mcp` binary, beside `git-coord`.
    public static var binary: String { Files.parent(of: CLI.binary) + "/git-coord-mcp" }

    /// Starts the server in `dir` with `arguments`, acting as `session` when given.
    public init(in dir: String, arguments: [String] = [], session: String? = nil) {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0]
        _ = testPipe2(&inPipe, O_CLOEXEC)
        _ = testPipe2(&outPipe, O_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        _ = testSpawnAddChdir(&actions, dir)
        let argv = [MCPPipe.binary] + arguments
        let argvC: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { argvC.forEach { free($0) } }
        var env: [String] = []
        var i = 0
        while let e = environ[i] { env.append(String(cString: e)); i += 1 }
        env = env.filter { !$0.hasPrefix("GIT_COORD_SESSION=") }
        if let session { env.append("GIT_COORD_SESSION=\(session)") }
        let envC: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { envC.forEach { free($0) } }
        var attr = Shell.cleanSignals()
        defer { posix_spawnattr_destroy(&attr) }
        var child: pid_t = 0
        if posix_spawn(&child, argvC[0]!, &actions, &attr, argvC, envC) != 0 { child = -1 }
        pid = child
        Glibc.close(inPipe[0]); Glibc.close(outPipe[1])
        toServer = inPipe[1]
        fromServer = outPipe[0]
    }

    deinit { close() }

    /// Closes the server's input (it ends) and reaps it.
    public func close() {
        guard pid > 0 else { return }
        Glibc.close(toServer)
        Glibc.close(fromServer)
        var status: Int32 = 0
        kill(pid, SIGTERM)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Whether the server process still runs.
    public var isRunning: Bool { kill(pid, 0) == 0 && waitpid(pid, nil, WNOHANG) == 0 }

    /// Writes one raw line (a message, or anything a test wants the server to survive).
    public func writeLine(_ text: String) {
        Files.writeAll(toServer, Array((text + "\n").utf8))
    }

    /// Sends a request and returns its answer (`result` or `error` object), collecting the
    /// notifications that come before it. Nil when the server ends, writes a line that is not
    /// JSON, or `timeoutMs` passes.
    public func request(_ method: String, _ params: JSONValue = [:], timeoutMs: Int = 30_000) -> JSONValue? {
        let id = nextID
        nextID += 1
        writeLine(JSONValue.object(["jsonrpc": "2.0", "id": .int(Int64(id)), "method": .string(method), "params": params]).canonicalString)
        let deadline = Clock.nowMilliseconds() + Int64(timeoutMs)
        while let message = readMessage(untilMs: deadline) {
            if message["id"]?.intValue == Int64(id) { return message }
            if message["method"] != nil { notifications.append(message) }
        }
        return nil
    }

    /// Sends a notification (no answer).
    public func notify(_ method: String, _ params: JSONValue = [:]) {
        writeLine(JSONValue.object(["jsonrpc": "2.0", "method": .string(method), "params": params]).canonicalString)
    }

    /// `initialize` and `notifications/initialized`; returns the initialize result.
    public func initialize(protocolVersion: String = "2025-11-25") -> JSONValue? {
        let answer = request("initialize", ["protocolVersion": .string(protocolVersion), "capabilities": [:],
                                            "clientInfo": ["name": "git-coord-tests", "version": "1"]])
        notify("notifications/initialized")
        return answer?["result"]
    }

    /// `tools/call`; returns the result object.
    public func call(_ tool: String, _ arguments: JSONValue) -> JSONValue? {
        request("tools/call", ["name": .string(tool), "arguments": arguments])?["result"]
    }

    /// The next notification whose method is `method`, waiting up to `timeoutMs`.
    public func waitForNotification(_ method: String, timeoutMs: Int) -> JSONValue? {
        if let i = notifications.firstIndex(where: { $0["method"]?.stringValue == method }) { return notifications.remove(at: i) }
        let deadline = Clock.nowMilliseconds() + Int64(timeoutMs)
        while let message = readMessage(untilMs: deadline) {
            if message["method"]?.stringValue == method { return message }
            if message["method"] != nil { notifications.append(message) }
        }
        return nil
    }

    /// One message from the server, or nil at end of output, at the deadline, or at a line that
    /// is not JSON: the server broke the protocol, and the request or wait reading gets nil.
    private func readMessage(untilMs deadline: Int64) -> JSONValue? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<nl])
                buffer.removeFirst(nl + 1)
                lastLine = line
                return try? JSONValue.parse(line)
            }
            let left = deadline - Clock.nowMilliseconds()
            guard left > 0 else { return nil }
            var pfd = pollfd(fd: fromServer, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(left, 1_000)))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { read(fromServer, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}
