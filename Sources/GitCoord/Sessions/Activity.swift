extension Coord {
    /// What every `git coord` command does first: counts as activity of the acting session
    /// (``touch()``) and marks jobs whose supervisor vanished as lost (``reapLostJobs()``).
    ///
    /// Costs a few small reads when nothing is due (a ref and two objects, one folder listing);
    /// never fails the command. Call it once per command, after opening the `Coord`.
    public func noteActivity() {
        touch()
        reapLostJobs()
    }
}
