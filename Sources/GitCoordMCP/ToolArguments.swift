import GitCoord
import MCP

/// A tool call's arguments, read with the same one-line refusals the command line gives.
struct ToolArguments: Sendable {
    let tool: String
    let values: [String: Value]

    init(tool: String, values: [String: Value]?, allowed: Set<String>) throws(CoordError) {
        self.tool = tool
        self.values = values ?? [:]
        if let unknown = self.values.keys.sorted().first(where: { !allowed.contains($0) }) {
            let names = allowed.sorted().joined(separator: ", ")
            throw CoordError.usage("\(tool): unknown argument '\(unknown)': use \(names.isEmpty ? "none" : names)")
        }
    }

    private func wrongType(_ key: String, _ expected: String) -> CoordError {
        CoordError.usage("\(tool): argument '\(key)' must be \(expected)")
    }

    func string(_ key: String) throws(CoordError) -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw wrongType(key, "a string")
        }
    }

    func required(_ key: String, for what: String? = nil) throws(CoordError) -> String {
        guard let s = try string(key), !s.isEmpty else {
            throw CoordError.usage("\(tool)\(what.map { " \($0)" } ?? ""): argument '\(key)' is required")
        }
        return s
    }

    func int(_ key: String) throws(CoordError) -> Int? {
        switch values[key] {
        case nil, .null?: return nil
        case .int(let i)?: return i
        case .double(let d)? where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: throw wrongType(key, "an integer")
        }
    }

    func bool(_ key: String) throws(CoordError) -> Bool {
        switch values[key] {
        case nil, .null?: return false
        case .bool(let b)?: return b
        default: throw wrongType(key, "true or false")
        }
    }

    func strings(_ key: String) throws(CoordError) -> [String] {
        switch values[key] {
        case nil, .null?: return []
        case .string(let s)?: return [s]
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw wrongType(key, "a list of strings") }
                out.append(s)
            }
            return out
        default: throw wrongType(key, "a list of strings")
        }
    }

    /// The `action` argument, one of `actions`.
    func action(_ actions: [String]) throws(CoordError) -> String {
        guard let a = try string("action"), !a.isEmpty else {
            throw CoordError.usage("\(tool): argument 'action' is required: use \(actions.joined(separator: ", "))")
        }
        guard actions.contains(a) else {
            throw CoordError.usage("\(tool): unknown action '\(a)': use \(actions.joined(separator: ", "))")
        }
        return a
    }

    /// A value as the store keeps it (integers, no fractions), for `state set`.
    func json(_ key: String) throws(CoordError) -> JSONValue? {
        guard let v = values[key] else { return nil }
        return try ToolArguments.storeValue(v, tool: tool, key: key)
    }

    static func storeValue(_ v: Value, tool: String, key: String) throws(CoordError) -> JSONValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .double(let d):
            guard d == d.rounded(), abs(d) < 9e15 else {
                throw CoordError.usage("\(tool): argument '\(key)' holds a fraction; the store keeps integers only: send it as a string")
            }
            return .int(Int64(d))
        case .string(let s): return .string(s)
        case .data: throw CoordError.usage("\(tool): argument '\(key)' holds binary data: send text")
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try storeValue(item, tool: tool, key: key)) }
            return .array(out)
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (k, item) in o { out[k] = try storeValue(item, tool: tool, key: key) }
            return .object(out)
        }
    }
}

extension JSONValue {
    /// The value as MCP's `Value`.
    var mcpValue: MCP.Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int(i))
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.mcpValue))
        case .object(let o): return .object(o.mapValues(\.mcpValue))
        }
    }
}
