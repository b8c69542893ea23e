import CoordTestSupport
import GitCoord
import Testing

/// `inbox --wait` and the MCP `inbox` tool with `waitMs`: one library call, ``Coord/receiveMail``.
@Suite struct InboxWaitTests {
    /// The messages are marked read only after they were shown, so a waiter stopped while
    /// showing them leaves them unread for the next one.
    @Test func aReceivedMessageIsMarkedReadOnlyAfterItWasShown() throws {
        let f = try MailFixture()
        let m = try f["alice"].send(Outgoing(to: ["bob"], body: "take T-4k2m next"))
        var shown: [String] = []
        var unreadWhileShown: [String] = []
        let got = try f["bob"].receiveMail(timeoutMs: 5_000) { items in
            shown = items.map(\.message.id)
            unreadWhileShown = (try? f["bob"].unreadIDs()) ?? ["cannot read"]
        }
        #expect(got)
        #expect(shown == [m.id])
        #expect(unreadWhileShown == [m.id], "still unread while it is being shown")
        #expect(try f["bob"].unreadIDs().isEmpty, "read once shown")
    }

    @Test func peekShowsWithoutMarkingAndATimeOutShowsNothing() throws {
        let f = try MailFixture()
        var calls = 0
        #expect(try !f["bob"].receiveMail(timeoutMs: 50) { _ in calls += 1 })
        #expect(calls == 0)
        let m = try f["alice"].send(Outgoing(to: ["bob"], body: "fyi"))
        #expect(try f["bob"].receiveMail(timeoutMs: 5_000, peek: true) { _ in calls += 1 })
        #expect(calls == 1)
        #expect(try f["bob"].unreadIDs() == [m.id])
    }
}
