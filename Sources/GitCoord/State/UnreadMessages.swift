/// An unread message as hooks and the brief show it.
public struct HookMessage: Sendable, Equatable {
    public let id: String
    public let from: String
    public let urgent: Bool
    public let subject: String?
    public let body: String
    public let sentAt: Int64

    /// The subject and the start of the body, on one line, at most `limit` characters.
    func summary(_ limit: Int) -> String {
        let text = subject.map { $0 + " — " + body } ?? body
        return Coord.abbreviate(text.trimmingSpaces(), to: limit)
    }
}

extension Coord {
    /// The unread messages of `session`, urgent first, then oldest first.
    func unreadMessages(of session: String) throws(CoordError) -> [HookMessage] {
        let reader = acting(as: session)
        let items = try reader.inbox(InboxQuery(unreadOnly: true))
        return items.map { i in
            HookMessage(id: i.message.id, from: i.message.from, urgent: i.message.urgent, subject: i.message.subject, body: i.message.body, sentAt: i.message.sentAt)
        }.sorted { a, b in a.urgent != b.urgent ? a.urgent : (a.sentAt, a.id) < (b.sentAt, b.id) }
    }
}
