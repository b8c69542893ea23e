@testable import GitCoord
import PropertyBased
import Testing

/// The report (and `log`) parse every commit's trailers with a byte parse; it must read every
/// message exactly as the character parse does, or decline it.
@Suite struct ReportTrailersTests {
    /// Pieces messages are made of: line feeds, carriage returns, colons, blanks, non-ASCII
    /// letters and a combining accent that can join a colon into one character.
    static let pieces = ["\n", "\n\n", "\r", "\r\n", ":", ": ", " ", "\t", "Coord-Op", "board.claim", "é", "\u{301}", "K", "v", "→"]
    static let messages = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...24).map { $0.map { pieces[$0] }.joined() }

    @Test func theByteParseAgreesWithTheCharacterParseOrDeclines() async {
        await forAll(count: 2_000, input: ReportTrailersTests.messages) { message in
            #expect(Trailers.parse(message) == Trailers.parseCharacters(message), "\(Array(message.utf8))")
        }
    }

    @Test func theByteParseTakesTheMessagesTheStoreWrites() {
        let message = Trailers.message(subject: "board: claim T-4k2mxq \"fix → it\" by worker-1",
                                       [("Coord-Session", "worker-1"), ("Coord-Op", "board.claim"), ("Coord-Stamp", "1795619828270.0002.worker-1")])
        let parsed = Trailers.parseBytes(message)
        #expect(parsed == ["Coord-Session": "worker-1", "Coord-Op": "board.claim", "Coord-Stamp": "1795619828270.0002.worker-1"])
        #expect(Trailers.parseBytes("subject\r\n\r\nK: v") == nil, "a message with CR is left to the character parse")
        #expect(Trailers.parseBytes("subject\n\nK: vé") == nil, "so is a non-ASCII trailer block")
    }
}
