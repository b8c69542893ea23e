extension Coord {
    /// The tasks `task` waits for that are not done yet (unknown ids are skipped), so a claim of
    /// a task that is not ready can warn instead of passing silently.
    public func openDependencies(of task: BoardTask) throws(CoordError) -> [BoardTask] {
        var open: [BoardTask] = []
        for id in task.after {
            guard let dep = try? self.task(id), !dep.isDone else { continue }
            open.append(dep)
        }
        return open
    }
}
