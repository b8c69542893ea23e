import CoordTestSupport
import GitCoord
import GitCoordStore

enum SyncBench {
    static func run(_ bench: Bench) throws {}
}
