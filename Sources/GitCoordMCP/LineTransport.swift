import Foundation
import GitCoord
import Logging
import MCP

/// MCP's stdio transport (one JSON-RPC message per line) on blocking reads and writes.
///
/// The SDK's `StdioTransport` reads a non-blocking descriptor and sleeps 10 ms whenever nothing is
/// there, which adds up to 10 ms to every call; here a thread blocks in `read(2)` and hands each
/// line over the moment it arrives (Docs/MCP.md, "Transport").
///
/// It also adds what the SDK's `Server.Capabilities` cannot express to the `initialize` answer:
/// `experimental["claude/channel"]`, Claude Code's channel capability; and it hands the requests
/// of MCP 2026-07-28 that the SDK does not know to ``Revision20260728``.
actor LineTransport: Transport {
    nonisolated let logger: Logger
    private let input: Int32
    private let wire: Wire
    private let experimental: [String]
    private let modern: Revision20260728
    private let service: CoordService
    private let lines: AsyncThrowingStream<Data, any Error>
    private let sink: AsyncThrowingStream<Data, any Error>.Continuation
    private let initializeID = Locked<String?>(nil)
    private var started = false

    init(input: Int32 = 0, wire: Wire, experimental: [String], modern: Revision20260728, service: CoordService) {
        self.service = service
        self.input = input
        self.wire = wire
        self.experimental = experimental
        self.modern = modern
        var logger = Logger(label: "git-coord-mcp", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        self.logger = logger
        (lines, sink) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        guard !started else { return }
        started = true
        let fd = input
        let sink = sink
        let pending = initializeID
        let modern = modern, service = service, wire = wire
        let thread = Thread {
            LineTransport.readLines(fd: fd) { line in
                if service.answerDirectly(line, wire: wire) { return }
                if modern.handle(line) { return }
                modern.noteRequest(line)
                LineTransport.noteInitialize(line, into: pending)
                sink.yield(line)
            }
            sink.finish()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func disconnect() async { sink.finish() }

    func send(_ data: Data) async throws {
        var bytes = [UInt8](data)
        if let id = initializeID.value, let patched = patchInitializeAnswer(bytes, id: id) {
            bytes = patched
            initializeID.value = nil
        }
        wire.write(modern.complete(bytes))
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { lines }

    /// Blocks on `fd`, calling `deliver` with each non-empty line, until end of file.
    private static func readLines(fd: Int32, deliver: (Data) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            guard let n = try? OS.read(fd, into: &buffer), n > 0 else { break }
            pending.append(contentsOf: buffer[0..<n])
            var start = 0
            while let nl = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if nl > start { deliver(Data(pending[start..<nl])) }
                start = nl + 1
            }
            pending.removeFirst(start)
        }
    }

    /// Remembers the id of an `initialize` request, so that its answer can be completed.
    private static func noteInitialize(_ line: Data, into pending: Locked<String?>) {
        guard line.count < 65_536, let text = String(data: line, encoding: .utf8), text.contains("\"initialize\""),
              let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
              object["method"] as? String == "initialize", let id = object["id"] else { return }
        pending.value = "\(id)"
    }

    /// The `initialize` answer with the experimental capabilities added; nil for any other message.
    private func patchInitializeAnswer(_ bytes: [UInt8], id: String) -> [UInt8]? {
        guard var object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let answerID = object["id"], "\(answerID)" == id,
              var result = object["result"] as? [String: Any],
              var capabilities = result["capabilities"] as? [String: Any] else { return nil }
        var extra = capabilities["experimental"] as? [String: Any] ?? [:]
        for name in experimental { extra[name] = [String: Any]() }
        capabilities["experimental"] = extra
        result["capabilities"] = capabilities
        object["result"] = result
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        return [UInt8](data)
    }
}

/// A value guarded by a lock, for the few places where threads outside Swift concurrency meet.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    func update<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&stored) } }
}
