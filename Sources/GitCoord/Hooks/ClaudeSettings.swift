/// The Claude Code hooks git coord installs, and the in-place edit of a settings file that adds or
/// removes them.
///
/// Entries follow Claude Code's hooks reference: `hooks.EVENT` is an array of matcher groups
/// `{"matcher": ..., "hooks": [{"type": "command", "command": ...}]}`. Ours are recognised by
/// their command, which always starts with `git coord hooks run `. Installing splices our groups
/// in after the last existing element of each array (or adds the missing keys), formatted like the
/// file around them; uninstalling cuts out exactly those splices. Every other byte stays as it
/// was, so install followed by uninstall gives back the original file.
public enum ClaudeSettings {
    /// The prefix that marks a hook command as ours in the form earlier versions wrote.
    public static let marker = "git coord hooks run "

    /// The shell command Claude Code runs for one of our hooks.
    ///
    /// It must work when git-coord is not on the PATH Claude Code started with (the absolute path
    /// of the installing binary comes first, then PATH), and it must cost next to nothing and
    /// print nothing outside a coordinated repository and for a teammate without git-coord: the
    /// shell checks both before starting git-coord, and exits 0 otherwise (Docs/Agents.md).
    public static func command(_ subcommand: String, binary: String) -> String {
        "p=\(ProcessRunner.shellQuoted(binary)); [ -x \"$p\" ] || p=$(command -v git-coord) || exit 0; "
            + "d=$(git rev-parse --git-common-dir 2>/dev/null) && [ -d \"$d/coord\" ] && exec \"$p\" hooks run \(subcommand); exit 0"
    }

    /// The hook subcommand a command of ours runs (`session-start`, `prompt`, ...), nil when the
    /// command is not ours. Knows the current form and the plain `git coord hooks run KIND`.
    public static func ourSubcommand(_ command: String) -> Substring? {
        let tag = "hooks run "
        guard command.hasPrefix(marker) || (command.contains("git-coord") && command.contains("\" " + tag)) else { return nil }
        var rest = Substring(command)
        while !rest.isEmpty, !rest.hasPrefix(tag) { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        return rest.dropFirst(tag.count).prefix { $0 != " " && $0 != ";" }
    }

    /// One hook handler git coord adds, under one event.
    public struct Entry: Sendable {
        public let event: String
        public let matcher: String?
        public let subcommand: String
        public let asyncRewake: Bool
        public let timeout: Int64

        /// The matcher group running `binary`, keys in the order they are written.
        func group(binary: String) -> OrderedJSON {
            var handler: [(String, OrderedJSON)] = [("type", .string("command")), ("command", .string(ClaudeSettings.command(subcommand, binary: binary)))]
            if asyncRewake { handler.append(("asyncRewake", .bool(true))) }
            handler.append(("timeout", .int(timeout)))
            var group: [(String, OrderedJSON)] = []
            if let matcher { group.append(("matcher", .string(matcher))) }
            group.append(("hooks", .array([.object(handler)])))
            return .object(group)
        }
    }

    /// What `hooks install claude` adds.
    ///
    /// The waiter runs on Stop, and also on StopFailure (a turn ended by an API error fires that
    /// instead of Stop) and on the idle-prompt Notification (after a user interrupt no Stop fires;
    /// the prompt then sits idle), so an agent left idle is still woken by a message.
    public static let entries: [Entry] = [
        Entry(event: "SessionStart", matcher: "startup|resume|clear|compact|fork", subcommand: "session-start", asyncRewake: false, timeout: 30),
        Entry(event: "SessionEnd", matcher: nil, subcommand: "session-end", asyncRewake: false, timeout: 10),
        Entry(event: "UserPromptSubmit", matcher: nil, subcommand: "prompt", asyncRewake: false, timeout: 10),
        Entry(event: "PostToolUse", matcher: nil, subcommand: "post-tool", asyncRewake: false, timeout: 10),
        Entry(event: "Stop", matcher: nil, subcommand: "stop-wait", asyncRewake: true, timeout: 86400),
        Entry(event: "StopFailure", matcher: nil, subcommand: "stop-wait", asyncRewake: true, timeout: 86400),
        Entry(event: "Notification", matcher: "idle_prompt", subcommand: "stop-wait", asyncRewake: true, timeout: 86400),
        Entry(event: "PreToolUse", matcher: LeaseGuardTool.matcher, subcommand: "pre-tool", asyncRewake: false, timeout: 10),
    ]

    /// The snippet `hooks print claude` shows: a settings file holding only our hooks.
    public static func snippet(binary: String) -> String {
        String(decoding: try! install(into: nil, binary: binary), as: UTF8.self)
    }

    // MARK: Install

    /// The settings file with our hooks added; `nil` input stands for a missing file. Adds nothing
    /// for an event that already has our hook.
    public static func install(into original: [UInt8]?, binary: String) throws(CoordError) -> [UInt8] {
        let bytes = original ?? Array("{}\n".utf8)
        let root = try parseRoot(bytes)
        let style = Style.detect(bytes, root: root)
        var edits: [Splice] = []
        if let hooks = root["hooks"] {
            guard case .object(_, _, let members) = hooks else {
                throw CoordError.usage("the settings file's \"hooks\" is not an object; fix it by hand, then run git coord hooks install again")
            }
            var newMembers: [String] = []
            for entry in entries {
                if let groups = members.first(where: { $0.key == entry.event })?.value {
                    guard case .array(_, _, let elements) = groups else {
                        throw CoordError.usage("the settings file's \"hooks\".\"\(entry.event)\" is not an array; fix it by hand, then run git coord hooks install again")
                    }
                    if elements.contains(where: { isOurs($0, bytes: bytes, subcommand: entry.subcommand) }) { continue }
                    edits.append(style.append(entry.group(binary: binary), to: groups, depth: 2, bytes: bytes))
                } else {
                    newMembers.append(style.member(entry.event, .array([entry.group(binary: binary)]), depth: 2))
                }
            }
            if !newMembers.isEmpty { edits.append(style.appendMembers(newMembers, to: hooks, depth: 1, bytes: bytes)) }
        } else {
            var events: [(String, OrderedJSON)] = []
            for entry in entries { events.append((entry.event, .array([entry.group(binary: binary)]))) }
            edits.append(style.appendMembers([style.member("hooks", .object(events), depth: 1)], to: root, depth: 0, bytes: bytes))
        }
        return Splice.apply(edits, to: bytes)
    }

    /// What a settings file already held that install would fill: whether it had a `hooks`
    /// object, and which of our events already had an array there. Uninstall keeps those, even
    /// emptied, so that install then uninstall gives back `"hooks": {}` or `"Stop": []` too.
    public struct Receipt: Sendable, Equatable {
        public var hadHooks: Bool
        public var hadEvents: Set<String>

        public init(hadHooks: Bool, hadEvents: Set<String>) {
            self.hadHooks = hadHooks
            self.hadEvents = hadEvents
        }

        /// `{"hadEvents":[...],"hadHooks":BOOL}`, as kept on disk.
        public var json: JSONValue {
            .object(["hadHooks": .bool(hadHooks), "hadEvents": .array(hadEvents.sorted().map(JSONValue.string))])
        }

        public init?(json: JSONValue) {
            guard let had = json["hadHooks"]?.boolValue, let events = json["hadEvents"]?.arrayValue else { return nil }
            hadHooks = had
            hadEvents = Set(events.compactMap(\.stringValue))
        }
    }

    /// The receipt for installing into `original` (nil: a missing file).
    public static func receipt(for original: [UInt8]?) -> Receipt {
        guard let original, let root = try? parseRoot(original), case .object(_, _, let members)? = root["hooks"] else {
            return Receipt(hadHooks: false, hadEvents: [])
        }
        let ours = Set(entries.map(\.event))
        return Receipt(hadHooks: true, hadEvents: Set(members.map(\.key).filter(ours.contains)))
    }

    // MARK: Uninstall

    /// The settings file with every hook group of ours removed, or nil when the file should be
    /// deleted (it held nothing but what install made from a missing file).
    ///
    /// An event array, or the `hooks` object, left empty is removed, unless `receipt` says the
    /// file had it before install: then it stays, empty.
    public static func uninstall(from bytes: [UInt8], receipt: Receipt? = nil) throws(CoordError) -> [UInt8]? {
        let root = try parseRoot(bytes)
        guard case .object(_, _, let rootMembers) = root,
              let hooksIndex = rootMembers.firstIndex(where: { $0.key == "hooks" }),
              case .object(_, _, let hookMembers) = rootMembers[hooksIndex].value
        else { return bytes }
        var edits: [Splice] = []
        var emptiedEvents: Set<Int> = []
        for (k, member) in hookMembers.enumerated() {
            guard case .array(_, _, let elements) = member.value else { continue }
            let ours = Set(elements.indices.filter { isOurs(elements[$0], bytes: bytes, subcommand: nil) })
            if ours.isEmpty { continue }
            if ours.count == elements.count, receipt?.hadEvents.contains(member.key) != true { emptiedEvents.insert(k); continue }
            edits += Splice.removing(ours, of: elements.map { ($0.start, $0.end) }, in: member.value)
        }
        if !emptiedEvents.isEmpty {
            if emptiedEvents.count == hookMembers.count, receipt?.hadHooks != true {
                edits += Splice.removing([hooksIndex], of: rootMembers.map { ($0.keyStart, $0.value.end) }, in: root)
            } else {
                edits += Splice.removing(emptiedEvents, of: hookMembers.map { ($0.keyStart, $0.value.end) }, in: rootMembers[hooksIndex].value)
            }
        }
        let out = Splice.apply(edits, to: bytes)
        return out == Array("{}\n".utf8) ? nil : out
    }

    /// Whether the file holds our hooks.
    public static func isInstalled(_ bytes: [UInt8]) -> Bool {
        guard let root = try? JSONSpan.parse(bytes), case .object(_, _, let events)? = root["hooks"] else { return false }
        return events.contains { m in
            if case .array(_, _, let groups) = m.value { return groups.contains { isOurs($0, bytes: bytes, subcommand: nil) } }
            return false
        }
    }

    // MARK: Helpers

    static func parseRoot(_ bytes: [UInt8]) throws(CoordError) -> JSONSpan {
        let root: JSONSpan
        do { root = try JSONSpan.parse(bytes) } catch {
            throw CoordError(.usage, "the settings file is not valid JSON (\(error.description)); fix it first, nothing was changed", cause: error)
        }
        guard case .object = root else { throw CoordError.usage("the settings file does not hold a JSON object; fix it first, nothing was changed") }
        return root
    }

    /// A matcher group all of whose handlers run our hooks (`subcommand` when given).
    static func isOurs(_ group: JSONSpan, bytes: [UInt8], subcommand: String?) -> Bool {
        guard case .array(_, _, let handlers)? = group["hooks"], !handlers.isEmpty else { return false }
        return handlers.allSatisfy { h in
            guard let command = h["command"]?.stringValue, let ours = ourSubcommand(command) else { return false }
            return subcommand.map { ours == $0 } ?? true
        }
    }
}

/// A JSON value whose object keys keep the order they were given in.
indirect enum OrderedJSON: Sendable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])
}

/// How a settings file is laid out, so that inserted text looks like the rest.
struct Style {
    /// One level of indentation (two spaces, four, a tab); nil for a file on one line.
    var unit: String?
    /// What follows a key's colon: `" "` or `""`.
    var colon: String

    static func detect(_ bytes: [UInt8], root: JSONSpan) -> Style {
        guard case .object(_, _, let members) = root, let first = members.first else { return Style(unit: "  ", colon: " ") }
        let ws = whitespace(before: first.keyStart, in: bytes)
        var colon = " "
        if let c = bytes[first.keyStart..<first.value.start].lastIndex(of: UInt8(ascii: ":")) {
            colon = String(decoding: bytes[(c + 1)..<first.value.start], as: UTF8.self)
        }
        guard let nl = ws.lastIndex(of: 0x0a) else { return Style(unit: nil, colon: colon) }
        let indent = String(decoding: ws[(nl + 1)...], as: UTF8.self)
        return Style(unit: indent.isEmpty ? "  " : indent, colon: colon)
    }

    /// The white space just before `offset`.
    static func whitespace(before offset: Int, in bytes: [UInt8]) -> ArraySlice<UInt8> {
        var s = offset
        while s > 0, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[s - 1]) { s -= 1 }
        return bytes[s..<offset]
    }

    func indent(_ depth: Int) -> String { String(repeating: unit ?? "", count: depth) }

    /// `"key": value` for a member whose key sits at `depth`.
    func member(_ key: String, _ value: OrderedJSON, depth: Int) -> String {
        JSONValue.string(key).canonicalString + ":" + colon + render(value, depth: depth)
    }

    func render(_ v: OrderedJSON, depth: Int) -> String {
        switch v {
        case .string(let s): return JSONValue.string(s).canonicalString
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .array(let items):
            guard unit != nil else { return "[" + items.map { render($0, depth: depth + 1) }.joined(separator: ", ") + "]" }
            return "[\n" + items.map { indent(depth + 1) + render($0, depth: depth + 1) }.joined(separator: ",\n") + "\n" + indent(depth) + "]"
        case .object(let members):
            guard unit != nil else { return "{" + members.map { member($0.0, $0.1, depth: depth + 1) }.joined(separator: ", ") + "}" }
            return "{\n" + members.map { indent(depth + 1) + member($0.0, $0.1, depth: depth + 1) }.joined(separator: ",\n") + "\n" + indent(depth) + "}"
        }
    }

    /// Appends members (already rendered) to an object whose own brace sits at `depth`.
    func appendMembers(_ members: [String], to object: JSONSpan, depth: Int, bytes: [UInt8]) -> Splice {
        guard case .object(let start, let end, let existing) = object else { preconditionFailure("not an object") }
        if let last = existing.last {
            let sep = separator(before: last.keyStart, bytes: bytes, depth: depth + 1)
            return Splice(start: last.value.end, end: last.value.end, text: members.map { "," + sep + $0 }.joined())
        }
        return Splice(start: start + 1, end: end - 1, text: opening(depth + 1) + members.joined(separator: "," + opening(depth + 1)) + opening(depth))
    }

    /// Appends one element to an array whose bracket sits at `depth`.
    func append(_ value: OrderedJSON, to array: JSONSpan, depth: Int, bytes: [UInt8]) -> Splice {
        guard case .array(let start, let end, let elements) = array else { preconditionFailure("not an array") }
        let text = render(value, depth: depth + 1)
        if let last = elements.last {
            let sep = separator(before: last.start, bytes: bytes, depth: depth + 1)
            return Splice(start: last.end, end: last.end, text: "," + sep + text)
        }
        return Splice(start: start + 1, end: end - 1, text: opening(depth + 1) + text + opening(depth))
    }

    /// The white space to put before a new sibling: the same as before the last existing one
    /// when it starts a line, else a newline and indentation (or one space on a single line).
    func separator(before offset: Int, bytes: [UInt8], depth: Int) -> String {
        let ws = Style.whitespace(before: offset, in: bytes)
        if let nl = ws.lastIndex(of: 0x0a) {
            let from = nl > ws.startIndex && ws[nl - 1] == 0x0d ? nl - 1 : nl
            return String(decoding: ws[from...], as: UTF8.self)
        }
        return unit == nil ? String(decoding: ws, as: UTF8.self) : opening(depth)
    }

    func opening(_ depth: Int) -> String { unit == nil ? "" : "\n" + indent(depth) }
}

/// A replacement of the bytes `start..<end` by `text`.
struct Splice {
    let start: Int
    let end: Int
    let text: String

    /// Applies non-overlapping splices.
    static func apply(_ splices: [Splice], to bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for s in splices.sorted(by: { $0.start > $1.start }) {
            out.replaceSubrange(s.start..<s.end, with: Array(s.text.utf8))
        }
        return out
    }

    /// Splices that remove the items at `indices` (ranges of a container's members or elements)
    /// with their separators, leaving the rest as it was; a container left empty becomes `{}`/`[]`.
    static func removing(_ indices: Set<Int>, of items: [(Int, Int)], in container: JSONSpan) -> [Splice] {
        if indices.count == items.count {
            return [Splice(start: container.start + 1, end: container.end - 1, text: "")]
        }
        var out: [Splice] = []
        var k = 0
        while k < items.count {
            guard indices.contains(k) else { k += 1; continue }
            var b = k
            while b + 1 < items.count, indices.contains(b + 1) { b += 1 }
            if k > 0 {
                out.append(Splice(start: items[k - 1].1, end: items[b].1, text: ""))
            } else {
                out.append(Splice(start: items[0].0, end: items[b + 1].0, text: ""))
            }
            k = b + 1
        }
        return out
    }
}
