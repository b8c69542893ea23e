import GitCoord
import Testing

@Suite struct BoardPriorityTests {
    /// One rule for priorities, wherever they are typed: 0 to 4, or P0 to P4.
    @Test func aTypedPriorityIsZeroToFourWithOrWithoutP() throws {
        for (text, p) in [("0", 0), ("4", 4), ("P1", 1), ("p3", 3)] { #expect(try TaskCell.priority(parsing: text) == p) }
        for bad in ["7", "-1", "high", "P", "P5", ""] {
            #expect(throws: CoordError.usage("invalid priority '\(bad)': use 0 (highest) to 4 (lowest)")) { try TaskCell.priority(parsing: bad) }
        }
    }
}
