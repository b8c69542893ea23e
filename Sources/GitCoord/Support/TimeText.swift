/// Times as people read and type them, in UTC, without Foundation.
public enum TimeText {
    /// `2026-11-25 15:20:07Z` for milliseconds since 1970.
    public static func utc(_ ms: Int64) -> String {
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = secs - days * 86400
        let (y, m, d) = civil(fromDays: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))Z"
    }

    /// Parses `--since`: a duration back from `now` (`90s`, `30m`, `2h`, `3d`, `1w`), or a UTC
    /// date `YYYY-MM-DD`, optionally with `THH:MM[:SS]` or ` HH:MM[:SS]` and a trailing `Z`.
    /// Returns milliseconds since 1970, nil when the text is neither.
    public static func parseSince(_ text: String, now: Int64) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let n = Int64(number), n < Int64.max / factor {
                return now - n * factor
            }
        }
        return parseDate(text)
    }

    /// Parses `YYYY-MM-DD[( |T)HH:MM[:SS]][Z]` as UTC.
    public static func parseDate(_ text: String) -> Int64? {
        var s = Substring(text)
        if s.hasSuffix("Z") { s = s.dropLast() }
        let parts = s.split(omittingEmptySubsequences: false) { $0 == "T" || $0 == " " }
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
              let y = Int64(date[0]), let m = Int64(date[1]), let d = Int64(date[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var secs: Int64 = 0
        if parts.count == 2 {
            let t = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard t.count == 2 || t.count == 3, t.allSatisfy({ $0.count == 2 }),
                  let hh = Int64(t[0]), let mm = Int64(t[1]), hh < 24, mm < 60 else { return nil }
            let ss = t.count == 3 ? Int64(t[2]) : 0
            guard let ss, ss < 61 else { return nil }
            secs = hh * 3600 + mm * 60 + ss
        }
        return (days(fromCivil: y, m, d) * 86400 + secs) * 1000
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
