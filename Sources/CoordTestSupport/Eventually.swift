import GitCoord

/// Polls `condition` until it holds or `seconds` pass, and returns whether it held.
///
/// The one way a test waits for something that happens on its own time (another process, a
/// detached job, a watcher task). Use the result as an expectation, so that a condition that
/// never holds fails the test with a message:
///
/// ```swift
/// #expect(try eventually { try f.remoteTip(ref) == written }, "the write never reached the remote")
/// ```
///
/// The default deadline is far beyond what a working system needs, so a busy machine does not
/// fail a test that would pass, while a broken system still ends the wait. The condition is
/// looked at once more at the deadline; an error it throws ends the wait and is rethrown.
public func eventually(within seconds: Double = Poll.defaultSeconds, _ condition: () throws -> Bool) rethrows -> Bool {
    var poll = Poll(seconds: seconds)
    while true {
        if try condition() { return true }
        guard let pause = poll.nextPause() else { return false }
        Clock.sleep(milliseconds: pause)
    }
}

/// ``eventually(within:_:)`` in an async test: pauses with `Task.sleep`, so the waiting test
/// leaves its thread to the tasks it waits on.
public func eventually(within seconds: Double = Poll.defaultSeconds, _ condition: () throws -> Bool) async throws -> Bool {
    var poll = Poll(seconds: seconds)
    while true {
        if try condition() { return true }
        guard let pause = poll.nextPause() else { return false }
        try await Task.sleep(for: .milliseconds(pause))
    }
}

/// The schedule of one ``eventually(within:_:)``: a deadline, and pauses that start short (a
/// condition about to hold is seen at once) and grow to 50 ms (a long wait costs little).
public struct Poll {
    /// The default deadline, in seconds.
    public static let defaultSeconds: Double = 60
    let deadline: UInt64
    var pauseMs: Double = 5

    init(seconds: Double) {
        deadline = Clock.monotonicNanoseconds() + UInt64(max(0, seconds) * 1e9)
    }

    /// How long to pause before the next look, in milliseconds; nil once the deadline passed.
    /// The last pause ends at the deadline, so the last look is made there.
    mutating func nextPause() -> Double? {
        let now = Clock.monotonicNanoseconds()
        guard now < deadline else { return nil }
        let pause = min(pauseMs, Double(deadline - now) / 1e6)
        pauseMs = min(pauseMs * 2, 50)
        return pause
    }
}
