import CoordTestSupport
import GitCoord
import GitCoordStore

enum BoardBench {
    static func run(_ bench: Bench) throws {}
}
