import GitCoord
import GitCoordStore

/// `coord-bench write-records REPO SESSION COUNT LABEL`: writes COUNT records, one store write
/// each, into the board of the repository at REPO, as SESSION, and prints `ok I` (unbuffered) as
/// soon as write I has returned. Used by the concurrency and crash tests and the benchmarks to
/// run many real writer processes at once, and to know which writes a killed one had completed.
enum RecordWriter {
    static func run(_ args: [String]) throws {
        guard args.count == 4, let count = Int(args[2]) else {
            print("usage: coord-bench write-records REPO SESSION COUNT LABEL")
            return
        }
        let repo = try Repository.open(at: args[0])
        let store = CoordStore(repository: repo, session: args[1])
        let label = args[3]
        for i in 0..<count {
            let id = IDGenerator.make("r-", length: 12)
            try store.update(.board) { (tx) throws(CoordError) in
                tx.putRecord(Shard.path("recs", id, ext: "rec"), ["label": .string(label), "i": .int(Int64(i))])
                tx.subject = "board: record \(label)#\(i)"
                tx.operation = "test.record"
            }
            Files.writeAll(1, Array("ok \(i)\n".utf8))
        }
    }
}
