extension Coord {
    /// The subject of a job's end message: `job J-7q2c4x build exited 2`.
    public static func jobSubject(_ job: JobRecord) -> String {
        "job \(job.id) \(job.label) \(job.outcome)"
    }

    /// The body of a job's end message: what ran, how it ended, and the stderr tail.
    public static func jobBody(_ job: JobRecord) -> String {
        var lines = [
            "job: \(job.id)\(job.name.map { " (\($0))" } ?? "")",
            "command: \(job.command.joined(separator: " "))",
            "state: \(job.state.rawValue)",
        ]
        if let code = job.exitCode { lines.append("exit: \(code)") }
        if let sig = job.signal { lines.append("signal: \(sig)") }
        if let e = job.error { lines.append("error: \(e)") }
        if let d = job.durationMs { lines.append("duration: \(Coord.durationText(d))") }
        lines.append("host: \(job.host ?? "?")  cwd: \(job.cwd ?? "?")")
        if let log = job.log { lines.append("log: \(log)") }
        if let tail = job.tail, !tail.isEmpty {
            lines.append("")
            lines.append("stderr (last \(job.tailLines) lines):")
            lines.append(tail)
        }
        return lines.joined(separator: "\n")
    }

    /// "1.2 s", "3 min 4 s", "2 h 5 min".
    public static func durationText(_ ms: Int64) -> String {
        if ms < 10_000 { return "\(ms / 1000).\((ms % 1000) / 100) s" }
        let s = ms / 1000
        if s < 3600 { return s < 60 ? "\(s) s" : "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \((s % 3600) / 60) min"
    }

    /// Tells a job's `--notify` sessions how it ended: one message from the job's session.
    /// Best effort: a failure is recorded in the supervisor's log, never thrown.
    func notifyJobEnd(_ job: JobRecord) {
        guard !job.notify.isEmpty else { return }
        let sender = Coord(store: store.acting(as: job.session))
        do {
            try sender.send(Outgoing(to: job.notify, body: Coord.jobBody(job), subject: Coord.jobSubject(job), allowUnknown: true))
        } catch {
            Files.append(Files.join(jobsFolder, job.id + ".notify-error"), Array("cannot notify \(job.notify.joined(separator: ",")): \(error.message)\n".utf8))
        }
    }
}
