import ArgumentParser
import GitCoord

extension GitCoordCommand {
    static let reportCommands: [any ParsableCommand.Type] = [Report.self]

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "What happened over a period (default: the last 24 hours), as text, JSON or an HTML timeline.",
            discussion: """
                Reads the history of refs/coord/* once, with the documents as they stand now, and \
                tells: tasks added, claimed, done, reopened and released; every job with its outcome, \
                duration and the last line of a failure's stderr; sessions that died, went stale or \
                left, and when; messages per sender and recipient; the coordinator's decisions (its \
                board and state operations); what is not done and what blocked tasks wait for, and \
                on whom.

                --html FILE writes one self-contained page (no script, no network): a timeline with \
                one lane per session (its operations, claims, jobs coloured by outcome, joins and \
                death), messages as lines between lanes, and the tables below it. Hover a mark for \
                its details; click a job, task or death to jump to its row. It reads in light and \
                dark mode and prints. `--html -` writes the page to standard output.

                Times are UTC. A time is a duration back from now (30m, 8h, 2d) or a date \
                (2026-11-25, 2026-11-25T22:00). Reading a report writes nothing.

                Examples:
                  git coord report
                  git coord report --since 10h --html night.html
                  git coord report --from 2026-11-30T22:00 --until 2026-12-01T07:00 --json
                """)

        @Option(help: ArgumentHelp("Start this long ago (30m, 8h, 2d). Default: the last 24 hours, from their first operation.", valueName: "DURATION"))
        var since: String?
        @Option(help: ArgumentHelp("Start at this time: 2026-11-25T22:00 (UTC), or a duration ago.", valueName: "TIME"))
        var from: String?
        @Option(help: ArgumentHelp("End at this time (default: now).", valueName: "TIME"))
        var until: String?
        @Option(help: ArgumentHelp("Write the HTML page to FILE (- for standard output).", valueName: "FILE"))
        var html: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            guard since == nil || from == nil else {
                throw CoordError.usage("--since and --from both give the start: pass one of them")
            }
            let now = Clock.nowMilliseconds()
            var query = ReportQuery(now: now)
            if let since { query.from = try Report.time(since, "--since", now: now) }
            if let from { query.from = try Report.time(from, "--from", now: now) }
            if let until { query.until = try Report.time(until, "--until", now: now) }
            if let html, html != "-" { try GitCoord.Report.checkHTMLDestination(html) }
            let coord = try Coord.open(session: nil)
            let report = try coord.report(query)
            if let html {
                if html == "-" {
                    FileOutput.standardOutput.write(report.html)
                    return
                }
                let page = try report.writeHTML(to: html)
                if !output.json {
                    say("wrote \(html) (\(page.utf8.count / 1024) KiB): \(report.eventCount) operations, \(report.jobs.count) jobs, \(report.messageCount) messages")
                    return
                }
            }
            if output.json { printJSON(report.json) } else { FileOutput.standardOutput.write(report.text) }
        }

        static func time(_ text: String, _ flag: String, now: Int64) throws(CoordError) -> Int64 {
            guard let t = TimeText.parseSince(text, now: now) else {
                throw CoordError.usage("invalid \(flag) '\(text)': use a duration (30m, 8h, 2d) or a UTC time (2026-11-25 or 2026-11-25T22:00)")
            }
            return t
        }
    }
}
