extension Report {
    /// The JSON form printed by `report --json` (keys sorted when printed; `schema` versions it).
    /// Messages are given as counts per pair; `git coord log --json` lists each one.
    public var json: JSONValue {
        func opt(_ v: Int64?) -> JSONValue { v.map(JSONValue.int) ?? .null }
        func str(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        let lanes: [JSONValue] = sessions.map { l in
            .object(["name": .string(l.name), "role": str(l.role), "state": .string(l.state.rawValue),
                     "operations": .int(Int64(l.events)), "joins": .array(l.joins.map(JSONValue.int)),
                     "leaves": .array(l.leaves.map(JSONValue.int)), "lastSeen": opt(l.lastSeen),
                     "firstOperation": opt(l.times.first), "lastOperation": opt(l.times.last)])
        }
        let t = tasks
        let taskFigures: JSONValue = .object([
            "added": .int(Int64(t.added)), "claimed": .int(Int64(t.claimed)), "done": .int(Int64(t.done)),
            "reopened": .int(Int64(t.reopened)), "released": .int(Int64(t.released)),
            "doneIDs": .array(t.doneIDs.map(JSONValue.string)),
            "notDoneNow": .int(Int64(t.openNow)), "blockedNow": .int(Int64(t.blockedNow)), "heldNow": .int(Int64(t.heldNow)),
        ])
        let claimList: [JSONValue] = claims.map { c in
            .object(["task": .string(c.task), "title": .string(c.title), "session": .string(c.session),
                     "from": .int(c.from), "to": opt(c.to), "end": .string(c.end.rawValue)])
        }
        let jobList: [JSONValue] = jobs.map { j in
            var o = j.json.objectValue ?? [:]
            o["outcome"] = .string(j.outcome)
            o["failure"] = .bool(j.isFailure)
            o["lastErrorLine"] = str(j.lastErrorLine)
            return .object(o)
        }
        let endList: [JSONValue] = ends.map { e in
            .object(["session": .string(e.session), "state": .string(e.state.rawValue), "at": opt(e.at),
                     "lastSeen": opt(e.lastSeen), "reason": .string(e.reason),
                     "heldTasks": .array(e.heldTasks.map(JSONValue.string)), "lostJobs": .array(e.lostJobs.map(JSONValue.string))])
        }
        let openList: [JSONValue] = open.map { o in
            .object(["id": .string(o.task.id), "title": .string(o.task.title), "priority": .int(Int64(o.task.priority)),
                     "status": .string(o.task.status.rawValue), "claimedBy": str(o.task.claimedBy), "blocked": .bool(o.isBlocked),
                     "waitsFor": .array(o.waitsFor.map { w in
                         .object(["task": .string(w.task), "holder": str(w.holder), "holderState": str(w.holderState?.rawValue)])
                     })])
        }
        return .object([
            "schema": .int(Report.schema), "from": .int(from), "until": .int(until), "now": .int(now),
            "operations": .int(Int64(eventCount)), "sessions": .array(lanes), "tasks": taskFigures,
            "claims": .array(claimList), "jobs": .array(jobList), "ended": .array(endList),
            "messages": .object(["count": .int(Int64(messageCount)), "deliveries": .int(Int64(messages.count)),
                                 "pairs": .array(pairs.map { .object(["from": .string($0.from), "to": .string($0.to), "count": .int(Int64($0.count))]) })]),
            "decisions": .array(decisions.map(\.json)), "notDone": .array(openList),
        ])
    }
}
