import CoordTestSupport
import GitCoord
import GitCoordStore

enum StoreBench {
    static func run(_ bench: Bench) throws {}
}
