import CoordTestSupport
import GitCoord
import GitCoordStore

enum MailBench {
    static func run(_ bench: Bench) throws {}
}
