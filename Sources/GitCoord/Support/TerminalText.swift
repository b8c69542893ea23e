/// Text made safe to print on a terminal: control characters shown as escapes, never sent raw.
///
/// Subjects, bodies, names and titles come from other sessions and from peers; an escape sequence
/// among them (`\e[2J`, `\e]0;…\a`) would recolour or clear the reader's terminal, or hide text.
/// Text output passes every such field through ``escaped(_:keepNewlines:)``; JSON output is left
/// unchanged (its encoder already escapes control characters).
public enum TerminalText {
    /// `text` with every C0 control character (except newline and tab when `keepNewlines`), DEL and
    /// C1 control character written as `\e`, `\r`, `\xNN` or `\u{NN}`.
    public static func escaped(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepNewlines: keepNewlines) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for s in text.unicodeScalars {
            guard needsEscape(s, keepNewlines: keepNewlines) else { out.unicodeScalars.append(s); continue }
            switch s.value {
            case 0x1b: out += "\\e"
            case 0x0d: out += "\\r"
            case 0x0a: out += "\\n"
            case 0x09: out += "\\t"
            case 0..<0x80: out += "\\x" + hex(s.value)
            default: out += "\\u{" + hex(s.value) + "}"
            }
        }
        return out
    }

    static func needsEscape(_ s: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        let v = s.value
        if keepNewlines, v == 0x0a || v == 0x09 { return false }
        return v < 0x20 || v == 0x7f || (v >= 0x80 && v < 0xa0)
    }

    static func hex(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(v >> 4) & 15]) + String(digits[Int(v) & 15])
    }
}
