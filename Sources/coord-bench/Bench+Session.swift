import CoordTestSupport
import GitCoord
import GitCoordStore

enum SessionBench {
    static func run(_ bench: Bench) throws {}
}
