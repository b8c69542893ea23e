extension Coord {
    /// The tasks `task` waits for that are not done yet (unknown ids are skipped), so a claim of
    /// a task that is not ready can warn instead of passing silently.
    public func openDependencies(of task: BoardTask) throws(CoordError) -> [BoardTask] {
        var open: [BoardTask] = []
        // One read of the board for all of them, not one per dependency.
        guard !task.after.isEmpty, let board = try? store.snapshot(.board) else { return open }
        for id in task.after {
            guard let dep = try? self.task(id, in: board), !dep.isDone else { continue }
            open.append(dep)
        }
        return open
    }
}
