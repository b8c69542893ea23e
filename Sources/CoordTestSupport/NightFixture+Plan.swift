import GitCoord

extension Generator {
    static let minute: Int64 = 60_000

    mutating func random(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &rng) }

    /// Lays out the night: joins, the coordinator's plan, the workers' claims and jobs, the death
    /// of the last worker mid-task, messages throughout, and the last beats.
    mutating func planNight() {
        let s = spec.start, e = spec.end, span = e - s, m = Generator.minute
        let co = truth.coordinator
        truth.killed = truth.workers.last ?? co
        truth.killedAt = s + span * 45 / 100
        at(s, .join(co, "coordinator"))
        for (k, w) in truth.workers.enumerated() { at(s + 20_000 * Int64(k + 1), .join(w, "worker")) }
        at(s + 30_000, .state("plan.phase", "night-run"))
        let worked = spec.tasks * 8 / 10
        strandedIndex = planWork(worked: worked, from: s + 12 * m, until: e - 5 * m)
        for i in 0..<spec.tasks {
            let blocked = i >= worked && i < worked + 10 && strandedIndex != nil
            at(s + m + Int64(i) * 3_000, .add(i, after: blocked ? strandedIndex : nil))
        }
        at(truth.killedAt + 5 * m, .state("gate.merge", "hold: \(truth.killed) died"))
        planMessages(from: s + 2 * m, until: e - m)
        for name in truth.sessions where name != truth.killed { at(e, .beat(name, ended: false)) }
        at(truth.killedAt, .beat(truth.killed, ended: true))
        truth.hostileTitle = "Fix <script>alert(\"x\")</script> & 'quotes' \u{1b}[31m in the parser"
    }

    /// Schedules claims, dones, releases, reopens and jobs; returns the task the killed worker
    /// holds when it dies.
    mutating func planWork(worked: Int, from start: Int64, until stop: Int64) -> Int? {
        let m = Generator.minute
        var cursor = Dictionary(uniqueKeysWithValues: truth.workers.enumerated().map { ($1, start + Int64($0) * 40_000) })
        var next = 0, ordinal = 0, stranded: Int? = nil
        var slots: [(worker: String, claim: Int64, done: Int64)] = []
        while next < worked {
            guard let (w, t) = cursor.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { break }
            if w == truth.killed && t + 19 * m > truth.killedAt {
                // Its last claim: taken at most 5 minutes before it dies, never done.
                at(t, .claim(w, next))
                stranded = next
                jobs.append(PlannedJob(session: w, id: IDGenerator.make("J-", length: 6), name: "integration", command: ["swift", "test", "--filter", "Integration"],
                                       start: truth.killedAt - 3 * m, end: truth.killedAt + 45_000, outcome: .lost))
                next += 1
                cursor[w] = nil
                continue
            }
            let duration = random(4 * m...12 * m)
            guard t + duration < stop else { cursor[w] = nil; continue }
            at(t, .claim(w, next))
            ordinal += 1
            if ordinal == 10 || ordinal == 40 {
                at(t + 3 * m, .release(w, next))
                cursor[w] = t + 3 * m + random(10_000...60_000)
            } else {
                at(t + duration, .done(w, next))
                slots.append((w, t, t + duration))
                if ordinal == 5 || ordinal == 25 || ordinal == 60 { at(t + duration + 10 * m, .reopen(next)) }
                cursor[w] = t + duration + random(10_000...60_000)
            }
            next += 1
        }
        planJobs(slots)
        return stranded
    }

    /// Puts a job into some of the claims: most succeed, some exit non-zero, one is killed by a
    /// signal, one cannot start.
    mutating func planJobs(_ slots: [(worker: String, claim: Int64, done: Int64)]) {
        let chosen = Array(slots.shuffled(using: &rng).prefix(max(0, spec.jobs - jobs.count)))
        let failures = [
            "FAIL: SyncTests.testMergeOfTwoClones (expected 3 commits, found 2)",
            "error: compile command failed due to signal 9",
            "assertion failed: claim held by worker-2 at BoardTests.swift:88",
            "error: no such module 'CLibgit2' <did you mean CLibgit2Init?>",
        ]
        for (k, slot) in chosen.sorted(by: { $0.claim < $1.claim }).enumerated() {
            let start = slot.claim + random(30_000...90_000)
            let end = min(slot.done - 20_000, start + random(20_000...(6 * Generator.minute)))
            let outcome: PlannedJob.Outcome
            switch k % 5 {
            case 1 where k < 40: outcome = .exit(k % 10 == 1 ? 2 : 1, failures[k % failures.count])
            default: outcome = .ok
            }
            let special: PlannedJob.Outcome? = k == 7 ? .signal(9) : k == 13 ? .cannotStart : nil
            let name = ["unit", "lint", "build", "integration", "bench"][k % 5]
            let command = k == 13 ? ["swiftlintt", "--strict"] : ["swift", name == "lint" ? "format" : "test"]
            jobs.append(PlannedJob(session: slot.worker, id: IDGenerator.make("J-", length: 6), name: name, command: command,
                                   start: start, end: k == 13 ? start : max(end, start + 5_000), outcome: special ?? outcome))
        }
        for (j, job) in jobs.enumerated() {
            at(job.start, .jobStart(job.session, j))
            at(job.end, .jobEnd(job.session, j))
        }
    }

    mutating func planMessages(from start: Int64, until stop: Int64) {
        let workers = truth.workers, co = truth.coordinator
        for k in 0..<spec.messages {
            let t = random(start...stop)
            let r = random(0...9)
            var from: String, to: String
            if r < 5 {
                from = co
                to = workers[Int(random(0...Int64(workers.count - 1)))]
            } else {
                from = workers[Int(random(0...Int64(workers.count - 1)))]
                to = co
                if r == 9, workers.count > 1 { to = workers.first { $0 != from } ?? co }
            }
            if from == truth.killed && t >= truth.killedAt { from = co; if to == co { to = truth.killed } }
            at(t, .send(from, to, k))
        }
        truth.hostileSubject = "\u{1b}[31mred\u{1b}[0m <b>bold</b> & \"quoted\" </title></svg>"
    }
}
