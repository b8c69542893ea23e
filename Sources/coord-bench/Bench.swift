import CoordTestSupport
import GitCoord

/// Timing helpers and the report printer shared by every section.
final class Bench {
    let quick: Bool

    init(quick: Bool) { self.quick = quick }

    func header() {
        line("git-coord benchmarks (\(quick ? "quick" : "full") sizes); times are wall clock on this machine")
    }

    func section(_ title: String) { line(""); line("## \(title)") }

    /// Prints one report line at once, so a long run shows progress and a failure keeps what came before.
    func line(_ text: String) {
        Files.writeAll(1, Array((text + "\n").utf8))
    }

    /// Runs `body` once and returns the seconds it took.
    func time(_ body: () throws -> Void) rethrows -> Double {
        let t0 = Clock.monotonicNanoseconds()
        try body()
        return Double(Clock.monotonicNanoseconds() - t0) / 1e9
    }

    /// Runs `body` `n` times and returns each run's milliseconds.
    func samples(_ n: Int, _ body: (Int) throws -> Void) rethrows -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            let t0 = Clock.monotonicNanoseconds()
            try body(i)
            out.append(Double(Clock.monotonicNanoseconds() - t0) / 1e6)
        }
        return out
    }

    /// The p-th percentile (0...100) of samples, nearest rank.
    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        guard !xs.isEmpty else { return .nan }
        let s = xs.sorted()
        let rank = Int((p / 100 * Double(s.count)).rounded(.up)) - 1
        return s[min(max(rank, 0), s.count - 1)]
    }

    /// "p50 1.23 ms  p99 4.56 ms  max 7.89 ms (n=100)"
    func summary(_ xs: [Double]) -> String {
        "p50 \(fmt(Bench.percentile(xs, 50))) ms  p90 \(fmt(Bench.percentile(xs, 90))) ms  p99 \(fmt(Bench.percentile(xs, 99))) ms  max \(fmt(xs.max() ?? .nan)) ms (n=\(xs.count))"
    }

    func fmt(_ x: Double, _ digits: Int = 2) -> String {
        guard x.isFinite else { return "n/a" }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (x * p).rounded() / p
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        }
        return s
    }
}
