extension Coord {
    /// What every `git coord` command does first: counts as activity of the acting session
    /// (``touch()``) and marks jobs whose supervisor vanished as lost (``reapLostJobs()``).
    ///
    /// Costs a few small reads when nothing is due (a ref and two objects, one folder listing);
    /// never fails the command. Only the first call on a `Coord` does anything, so a command that
    /// notes its activity early (to reap lost jobs before listing them) is not charged twice when
    /// the command line notes it again at the end.
    public func noteActivity() {
        guard !activityNoted else { return }
        activityNoted = true
        touch()
        reapLostJobs()
    }
}
