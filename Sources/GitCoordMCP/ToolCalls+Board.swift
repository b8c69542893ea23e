import GitCoord

extension ToolCalls {
    static let boardActions = ["list", "ready", "show", "add", "claim", "release", "done", "reopen", "comment", "edit"]

    func board(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        let action = try a.action(ToolCalls.boardActions)
        switch action {
        case "list": return tasks(try coord.listTasks(try filter(a)))
        case "ready": return tasks(try coord.readyTasks())
        case "add":
            let t = try coord.addTask(TaskDraft(title: try a.required("title", for: action), desc: try a.string("desc") ?? "",
                                                priority: try a.int("priority") ?? TaskCell.defaultPriority,
                                                after: try a.strings("after"), labels: try a.strings("labels"), assign: try a.string("assign")))
            return task(t, "added \(t.id)")
        default: break
        }
        let id = try a.required("task", for: action)
        switch action {
        case "show":
            let (t, comments) = try coord.showTask(id)
            var text = "\(t.id) [\(t.json()["status"]?.stringValue ?? "?")] P\(t.priority) \(t.title)"
            if !t.desc.isEmpty { text += "\n" + t.desc }
            for c in comments { text += "\n- \(c.author): \(c.text)" }
            return ToolAnswer(structured: ["task": t.json(comments: comments)], text: text)
        case "claim":
            switch try coord.claim(id) {
            case .claimed(let t): return task(t, "claimed \(t.id) \"\(t.title)\"")
            case .alreadyHeld(let t): return task(t, "\(t.id) \"\(t.title)\" is already yours")
            }
        case "release":
            let t = try coord.release(id, force: try a.bool("force"))
            return task(t, "released \(t.id) \"\(t.title)\"")
        case "done":
            let t = try coord.markDone(id, note: try a.string("note"))
            return task(t, "done \(t.id) \"\(t.title)\"")
        case "reopen":
            let t = try coord.reopen(id)
            return task(t, "reopened \(t.id) \"\(t.title)\"")
        case "comment":
            let c = try coord.comment(id, try a.required("note", for: action))
            let t = try coord.task(id)
            return ToolAnswer(structured: ["task": t.json(), "comment": c.json], text: "commented on \(t.id)")
        default:
            if try a.bool("unassign"), try a.string("assign") != nil {
                throw CoordError.usage("board edit: assign and unassign contradict each other: pass one")
            }
            let assignment: String?? = try a.bool("unassign") ? .some(nil) : try a.string("assign").map { .some($0) }
            let t = try coord.editTask(id, TaskEdit(title: try a.string("title"), desc: try a.string("desc"), priority: try a.int("priority"),
                                                    addAfter: try a.strings("after"), removeAfter: try a.strings("notAfter"),
                                                    addLabels: try a.strings("labels"), removeLabels: try a.strings("notLabels"), assign: assignment))
            return task(t, "edited \(t.id) \"\(t.title)\"")
        }
    }

    private func filter(_ a: ToolArguments) throws(CoordError) -> TaskFilter {
        var filter = TaskFilter(readyOnly: try a.bool("ready"), label: try a.string("label"))
        if let status = try a.string("status") {
            if status == "all" {
                filter.statuses = Set(TaskStatus.allCases)
            } else {
                guard let s = TaskStatus(rawValue: status) else {
                    throw CoordError.usage("invalid status '\(status)': use open, claimed, done or all")
                }
                filter.statuses = [s]
            }
        }
        if try a.bool("mine") { filter.mine = try coord.requireSession() }
        return filter
    }

    private func task(_ t: BoardTask, _ text: String) -> ToolAnswer {
        ToolAnswer(structured: ["task": t.json()], text: text)
    }

    private func tasks(_ list: [BoardTask]) -> ToolAnswer {
        let shown = list.prefix(50).map { t in "\(t.id) P\(t.priority) \(t.json()["status"]?.stringValue ?? "?") \(t.title)" }
        let more = list.count > 50 ? "\n… \(list.count - 50) more in the structured result" : ""
        return ToolAnswer(structured: ["tasks": .array(list.map { $0.json() })],
                          text: list.isEmpty ? "no tasks" : shown.joined(separator: "\n") + more)
    }

    // MARK: Jobs

    func job(_ a: ToolArguments) throws(CoordError) -> ToolAnswer {
        let action = try a.action(["run", "list", "show", "wait"])
        switch action {
        case "run":
            let command = try a.strings("command")
            guard !command.isEmpty, !command[0].isEmpty else { throw CoordError.usage("job run: argument 'command' is required: the program and its arguments") }
            let tail = try a.int("tail") ?? 20
            guard tail >= 0 else { throw CoordError.usage("job run: invalid tail \(tail): use 0 or more") }
            _ = try coord.requireSession()
            let j = try coord.runDetached(JobSpec(command: command, name: try a.string("name"), notify: try a.strings("notify"), tailLines: tail, detached: true))
            return ToolAnswer(structured: ["job": j.json], text: "started \(j.id)")
        case "list":
            let jobs = try coord.listJobs(all: try a.bool("all"))
            let text = jobs.isEmpty ? "no jobs" : jobs.map { "\($0.id) \($0.state.rawValue) \($0.command.joined(separator: " "))" }.joined(separator: "\n")
            return ToolAnswer(structured: ["jobs": .array(jobs.map(\.json))], text: text)
        case "show":
            let j = coord.refreshingLost([try coord.findJob(try a.required("id", for: action))])[0]
            return ToolAnswer(structured: ["job": j.json], text: "\(j.id) \(j.state.rawValue)" + (j.exitCode.map { " exit \($0)" } ?? ""))
        default:
            let id = try a.required("id", for: action)
            let timeout = try a.int("timeoutMs").map(Int64.init) ?? ToolCalls.maxWaitMs
            guard timeout >= 0, timeout <= ToolCalls.maxWaitMs else {
                throw CoordError.usage("job wait: invalid timeoutMs \(timeout): use 0 to \(ToolCalls.maxWaitMs)")
            }
            let j = try coord.waitForJob(id, timeoutMs: timeout)
            return ToolAnswer(structured: ["job": j.json], text: "\(j.id) \(j.state.rawValue)" + (j.exitCode.map { " exit \($0)" } ?? ""))
        }
    }
}
