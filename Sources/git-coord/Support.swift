import ArgumentParser
import GitCoord

/// Options every command that acts as a session takes.
struct SessionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Act as this session (default: $GIT_COORD_SESSION, then this agent session's name, then this worktree's).", valueName: "NAME"))
    var session: String?

    /// Opens the repository of the current directory acting as the resolved session.
    func open() throws(CoordError) -> Coord {
        let coord = try Coord.open(session: session)
        CommandActivity.coord = coord
        return coord
    }

    /// Like ``open()`` but fails with the joining hint when no session is known.
    func openAsSession() throws(CoordError) -> (Coord, String) {
        let coord = try open()
        return (coord, try coord.requireSession())
    }

    /// Like ``openAsSession()`` for commands that write: a session that never joined is refused
    /// with the way forward, so `--session ghst` cannot silently write as nobody.
    func openAsWriter() throws(CoordError) -> (Coord, String) {
        let coord = try open()
        return (coord, try coord.requireJoinedSession())
    }
}

/// `--json`, for every command that prints data.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (one document, keys sorted) instead of text.")
    var json = false
}

/// Unbuffered writes to standard output and error.
struct FileOutput {
    let fd: Int32
    static let standardOutput = FileOutput(fd: 1)
    static let standardError = FileOutput(fd: 2)

    func write(_ text: String) { Files.writeAll(fd, Array(text.utf8)) }

    /// Writes text for a person to read: control characters other than newline and tab are
    /// escaped (``TerminalText``), so data from other sessions cannot drive the terminal.
    func writeText(_ text: String) { write(TerminalText.escaped(text, keepNewlines: true)) }
}

/// Prints a line to standard output, control characters escaped.
func say(_ text: String) { FileOutput.standardOutput.writeText(text + "\n") }

/// Prints a JSON value on one line (its encoder escapes control characters already).
func printJSON(_ value: JSONValue) { FileOutput.standardOutput.write(value.canonicalString + "\n") }

/// Parses a duration such as `500ms`, `30s`, `5m`, `2h` or a bare number of seconds.
struct Duration: ExpressibleByArgument, Sendable {
    let milliseconds: Int64

    init(milliseconds: Int64) { self.milliseconds = milliseconds }

    init?(argument: String) {
        guard let ms = Duration.parse(argument) else { return nil }
        milliseconds = ms
    }

    static func parse(_ text: String) -> Int64? { Liveness.parseDuration(text) }

    static var defaultValueDescription: String { "a duration: 500ms, 30s, 5m, 2h" }
}

/// "3 s ago", "2 min ago", for LAST-SEEN columns.
func relativeTime(_ ms: Int64, now: Int64 = Clock.nowMilliseconds()) -> String {
    let d = max(0, now - ms) / 1000
    if d < 60 { return "\(d) s ago" }
    if d < 3600 { return "\(d / 60) min ago" }
    if d < 86400 { return "\(d / 3600) h ago" }
    return "\(d / 86400) d ago"
}

/// Pads columns for plain text tables.
func table(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    var widths = [Int](repeating: 0, count: first.count)
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    return rows.map { r in
        r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i]) }.joined(separator: "  ")
    }.joined(separator: "\n")
}

extension String {
    func padding(toLength n: Int) -> String {
        count >= n ? self : self + String(repeating: " ", count: n - count)
    }
}

/// The session a command acted as, so that a command that succeeded counts as that session's
/// activity (a beat, throttled) and notices jobs whose supervisor vanished.
enum CommandActivity {
    nonisolated(unsafe) static var coord: Coord?

    /// Called once after a command succeeded; never fails the command.
    static func note() {
        coord?.noteActivity()
    }
}
