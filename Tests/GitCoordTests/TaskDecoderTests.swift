import GitCoord
import PropertyBased
import Testing

/// A task is decoded one way: the board view's fast reader of a cell's bytes gives the task its
/// field map gives, for plain cells (the scanner) and escaped ones (the field map fallback).
@Suite struct TaskDecoderTests {
    static let sessions = ["worker-1", "worker-2", "lead"]
    static let titles = ["fix flaky sync test", "say \"hi\"", "tab\there", "naïve café", "back\\slash", ""]

    /// A task cell from a few integers: which fields it has and what they hold.
    static func cell(_ xs: [Int]) -> FieldMap {
        var m = FieldMap()
        for (i, x) in xs.enumerated() {
            let s = Stamp(milliseconds: 1_700_000_000_000 + Int64(i * 7 + x % 7), counter: Int64(x % 3), session: sessions[x % 3])
            switch i % 9 {
            case 0: m["title"] = .register(stamp: s, value: .string(titles[x % titles.count]))
            case 1: m["priority"] = .register(stamp: s, value: x % 5 == 0 ? .string("high") : .int(Int64(x % 13) - 4))
            case 2: m["status"] = .register(stamp: s, value: .string(x % 2 == 0 ? "done" : "open"))
            case 3: m["claim"] = .claim(epoch: Int64(x % 4), stamp: s, holder: x % 3 == 0 ? nil : sessions[x % 3])
            case 4: m["after:T-\(x % 5)k2mxq"] = .register(stamp: s, value: .bool(x % 4 != 0))
            case 5: m["label:ci\(x % 3)"] = .register(stamp: s, value: x % 5 == 0 ? .int(1) : .bool(true))
            case 6: m["assign"] = .register(stamp: s, value: x % 2 == 0 ? .null : .string(sessions[x % 3]))
            case 7: m["createdAt"] = .register(stamp: s, value: .int(Int64(x)))
            default: m["desc"] = .register(stamp: s, value: .string(titles[(x + 1) % titles.count]))
            }
        }
        return m
    }

    @Test func theBytesReaderAndTheFieldMapReaderGiveOneTask() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...10_000).array(of: 0...18)) { xs in
            let map = Self.cell(xs)
            #expect(TaskCell.task(id: "T-4k2mxq", bytes: map.bytes) == TaskCell.task(id: "T-4k2mxq", fields: map), "\(xs)")
        }
    }

    @Test func bytesThatAreNoFieldMapAreNoTask() {
        for junk in ["", "{", "[]", "{\"title\": 5}", "not json"] {
            #expect(TaskCell.task(id: "T-4k2mxq", bytes: Array(junk.utf8)) == nil, "\(junk)")
        }
    }
}
