import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let mailCommands: [any ParsableCommand.Type] = [Send.self, Inbox.self, Show.self, Ack.self, Sent.self, Thread.self]
}

extension GitCoordCommand {
    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Send a message to sessions by name, to @all or to @ROLE.",
            discussion: """
                The message is an immutable record in each recipient's mailbox \
                (refs/coord/mail/NAME); a recipient waiting in `git coord inbox --wait` wakes at once. \
                Prints the new message id (m- and 12 characters; any unique prefix names it later).

                TO is a session name, @all (every joined session but you) or @ROLE (every other \
                session that joined with --role ROLE). The body comes from -m, from -F FILE, or \
                from standard input when neither is given. It may not be empty and may be at most \
                coord.maxMessageBytes (default 1 MiB). A name that never joined is refused unless \
                --allow-unknown. Refused input exits 2 and writes nothing.

                Examples:
                  git coord send worker-1 -m "take T-4k2m next"
                  git coord send @worker --subject "freeze" --urgent -m "stop pushing to main"
                  git coord send coordinator --reply-to m-4k2m -F report.md --ack-required
                  make test 2>&1 | tail -20 | git coord send coordinator --subject "test tail"
                """)

        @Argument(help: ArgumentHelp("Recipients: session names, @all or @ROLE.", valueName: "TO"))
        var to: [String] = []

        @Option(name: .short, help: ArgumentHelp("The message text.", valueName: "TEXT"))
        var message: String?

        @Option(name: .customShort("F"), help: ArgumentHelp("Read the message text from FILE (- for standard input).", valueName: "FILE"))
        var file: String?

        @Option(help: ArgumentHelp("A one-line subject.", valueName: "S"))
        var subject: String?

        @Option(name: .customLong("reply-to"), help: ArgumentHelp("The message this answers (joins its thread).", valueName: "ID"))
        var replyTo: String?

        @Flag(help: "Mark the message urgent.")
        var urgent = false

        @Flag(name: .customLong("ack-required"), help: "Ask the recipients to acknowledge it with `git coord ack`.")
        var ackRequired = false

        @Flag(name: .customLong("allow-unknown"), help: "Deliver to names that never joined.")
        var allowUnknown = false

        @Option(help: ArgumentHelp("About this lease: to its holder too, the lease named in the subject.", valueName: "L-…"))
        var lease: String?

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let body = try MailInput.body(message: message, file: file)
            var to = self.to, subject = self.subject
            if let lease { (to, subject) = try coord.addressing(lease: lease, to: to, subject: subject) }
            let sent = try coord.send(Outgoing(to: to, body: body, subject: subject, replyTo: replyTo,
                                               urgent: urgent, ackRequired: ackRequired, allowUnknown: allowUnknown))
            if output.json { printJSON(sent.record) } else { say(sent.id) }
        }
    }

    struct Inbox: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inbox",
            abstract: "List the messages sent to this session, or wait for one.",
            discussion: """
                Lists oldest first; unread messages are marked. Listing does not mark anything \
                read (`show` does, and so does --wait).

                --wait blocks until at least one unread message is there, prints the unread \
                messages, marks them read (unless --peek) and exits 0; after --timeout it exits 1 \
                and prints nothing. It wakes on a change of this session's mailbox ref in the \
                common git dir (inotify), so a message sent from any worktree of this repository \
                arrives within milliseconds; it also re-checks every 2 s in case an event was missed.

                With --limit N: the N oldest unread messages for --unread and --wait (so working \
                through them skips none), the N newest otherwise.

                Examples:
                  git coord inbox --unread
                  git coord inbox --wait --timeout 10m --json
                  git coord inbox --from coordinator --limit 5
                """)

        @Flag(help: "Only messages not read yet.")
        var unread = false

        @Option(help: ArgumentHelp("Only messages from this session.", valueName: "S"))
        var from: String?

        @Option(help: ArgumentHelp("At most N messages.", valueName: "N"))
        var limit: Int?

        @Flag(help: "Block until an unread message is there; print the unread messages and mark them read.")
        var wait = false

        @Option(help: ArgumentHelp("With --wait: give up after this long and exit 1 (500ms, 30s, 5m; default: wait forever).", valueName: "DUR"))
        var timeout: Duration?

        @Flag(help: "With --wait: do not mark the messages read.")
        var peek = false

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            if timeout != nil && !wait { throw CoordError.usage("--timeout goes with --wait") }
            if peek && !wait { throw CoordError.usage("--peek goes with --wait (listing never marks messages read)") }
            let (coord, _) = try session.openAsSession()
            if wait {
                guard try coord.receiveMail(timeoutMs: timeout?.milliseconds, from: from, limit: limit, peek: peek, show: { MailOutput.list($0, json: output.json) }) else {
                    throw ExitCode(1)
                }
                return
            }
            let items = try coord.inbox(InboxQuery(unreadOnly: unread, from: from, limit: limit))
            if items.isEmpty && !output.json {
                say(unread ? "no unread messages" : "no messages")
                return
            }
            MailOutput.list(items, json: output.json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print one message and mark it read.",
            discussion: """
                ID is any unique prefix of a message id, of a message you received or sent.

                Example:
                  git coord show m-4k2m
                """)

        @Argument(help: "The message id or a unique prefix of it.")
        var id: String

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsSession()
            let item = try coord.show(id)
            if output.json { printJSON(item.json) } else { MailOutput.full(item) }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge a message you received: a receipt its sender sees in `sent`.",
            discussion: """
                The receipt is an explicit, synced record in your own mailbox; it also marks the \
                message read. Acknowledging again keeps the first receipt.

                Example:
                  git coord ack m-4k2m -m "on it, ETA 20 min"
                """)

        @Argument(help: "The message id or a unique prefix of it.")
        var id: String

        @Option(name: .short, help: ArgumentHelp("A short note for the sender.", valueName: "NOTE"))
        var message: String?

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsWriter()
            let (ack, new) = try coord.ack(id, note: message)
            if output.json { printJSON(ack.json) } else { say((new ? "acked " : "already acked ") + ack.id) }
        }
    }

    struct Sent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sent",
            abstract: "List the messages this session sent, with who read and who acknowledged each.",
            discussion: """
                Oldest first. --unacked keeps the messages sent with --ack-required that some \
                recipient has not acknowledged yet.

                Example:
                  git coord sent --unacked
                """)

        @Flag(help: "Only messages that asked for an ack and still miss one.")
        var unacked = false

        @Option(help: ArgumentHelp("At most the N newest.", valueName: "N"))
        var limit: Int?

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsSession()
            let items = try coord.sent(unackedOnly: unacked, limit: limit)
            if output.json { printJSON(.array(items.map(\.json))); return }
            if items.isEmpty { say(unacked ? "nothing waits for an ack" : "nothing sent"); return }
            for item in items {
                let s = item.sent
                say("\(s.id)  to \(s.to.joined(separator: ", "))  \(relativeTime(s.sentAt))" + (s.subject.map { "  \"\($0)\"" } ?? ""))
                for r in item.receipts {
                    var state = r.read ? "read" : "unread"
                    if let a = r.ack { state += ", acked" + (a.note.map { " \"\($0)\"" } ?? "") }
                    say("  \(r.recipient): \(state)")
                }
            }
        }
    }

    struct Thread: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "thread",
            abstract: "Print the conversation a message belongs to, oldest first.",
            discussion: """
                A thread is a message and every reply to it (sent with --reply-to), as far as this \
                session received or sent them.

                Example:
                  git coord thread m-4k2m
                """)

        @Argument(help: "Any message of the thread: its id or a unique prefix.")
        var id: String

        @OptionGroup var session: SessionOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (coord, _) = try session.openAsSession()
            MailOutput.list(try coord.thread(id), json: output.json)
        }
    }
}

/// Where a message body comes from, and how messages print.
enum MailInput {
    static func body(message: String?, file: String?) throws(CoordError) -> String {
        if message != nil && file != nil { throw CoordError.usage("give the text once: -m TEXT or -F FILE, not both") }
        if let message { return message }
        if let file, file != "-" {
            guard Files.exists(file) else { throw CoordError.usage("cannot read '\(file)': no such file") }
            guard let bytes = Files.read(file) else { throw CoordError.usage("cannot read '\(file)'") }
            return String(decoding: bytes, as: UTF8.self)
        }
        if file == nil && OS.isTerminal(0) {
            throw CoordError.usage("no message text: pass -m TEXT or -F FILE, or pipe it on standard input")
        }
        return String(decoding: readStandardInput(), as: UTF8.self)
    }

    static func readStandardInput() -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            guard let n = try? OS.read(0, into: &buf), n > 0 else { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }
}

enum MailOutput {
    static func flagList(_ item: InboxItem, unread: Bool) -> [String] {
        var f: [String] = []
        if unread && !item.read { f.append("unread") }
        if item.message.urgent { f.append("urgent") }
        if item.message.ackRequired { f.append(item.acked ? "acked" : "ack requested") }
        return f
    }

    static func flags(_ item: InboxItem) -> String {
        let f = flagList(item, unread: true)
        return f.isEmpty ? "" : "  [" + f.joined(separator: ", ") + "]"
    }

    static func list(_ items: [InboxItem], json: Bool) {
        if json { printJSON(.array(items.map(\.json))); return }
        for (i, item) in items.enumerated() {
            let m = item.message
            if i > 0 { say("") }
            say("\(m.id)  from \(m.from)  \(relativeTime(m.sentAt))\(flags(item))" + (m.subject.map { "  \"\($0)\"" } ?? ""))
            for line in m.body.split(separator: "\n", omittingEmptySubsequences: false) { say("  " + line) }
        }
    }

    static func full(_ item: InboxItem) {
        let m = item.message
        say("id:       \(m.id)")
        say("from:     \(m.from)")
        say("to:       \(m.to.joined(separator: ", "))")
        if let s = m.subject { say("subject:  \(s)") }
        say("sent:     \(relativeTime(m.sentAt)) (\(m.sentAt) ms)")
        if let r = m.replyTo { say("reply-to: \(r)") }
        if m.thread != m.id { say("thread:   \(m.thread)") }
        let f = flagList(item, unread: false)
        if !f.isEmpty { say("flags:    \(f.joined(separator: ", "))") }
        say("")
        say(m.body)
    }
}
