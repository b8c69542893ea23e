/// An unread message as hooks announce it.
public struct HookMessage: Sendable, Equatable {
    public let id: String
    public let from: String
    public let urgent: Bool
    /// The subject, else the body, on one line (cut short when shown).
    public let text: String
    public let sentAt: Int64
}

extension Coord {
    /// The unread messages of `session`, urgent first, then oldest first.
    func unreadForHooks(_ session: String) throws(CoordError) -> [HookMessage] {
        [] // Wired to the mailbox when messages land.
    }

    /// Waits until `condition` holds or `timeoutMs` passes; returns whether it held.
    func waitForHooks(session: String, timeoutMs: Int64, _ condition: () throws(CoordError) -> Bool) throws(CoordError) -> Bool {
        let start = Clock.monotonicNanoseconds()
        while true {
            if try condition() { return true }
            if Int64((Clock.monotonicNanoseconds() - start) / 1_000_000) >= timeoutMs { return false }
            Clock.sleep(milliseconds: 100)
        }
    }
}
