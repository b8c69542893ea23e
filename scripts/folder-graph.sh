#!/bin/sh
# Lists, for each folder of Sources/GitCoord, the other folders whose types and functions it uses:
# one line per folder, `Folder: Dep1 Dep2 ...` (sorted; nothing after the colon when it uses none).
# The files at the top of Sources/GitCoord (Coord.swift) count as folder `Coord`.
#
#   scripts/folder-graph.sh [--why] [SOURCES]    SOURCES defaults to this checkout's Sources/GitCoord
#
# With --why, each dependency is printed on a line of its own with the names that make it:
# `Folder -> Dep: name1 name2 ...`.
#
# An approximation, good enough to keep the layers honest (Docs/ARCHITECTURE.md): it collects the
# names each folder declares (top-level types and functions, and the members of its `extension`s,
# such as the `extension Coord` functions every feature adds) and looks for those names in the
# other folders, with comments and string literals left out. A name declared in more than one
# folder tells nothing and is ignored, and so is `Coord`, the type every folder extends (its own
# declaration, in Coord.swift, is the namespace, not a layer). Labels, parameters, loop variables
# and local names shadow the names of other folders.
# LayeringTests runs this script and fails on a cycle or on a dependency against the order.
set -eu
why=0
if [ "${1:-}" = "--why" ]; then why=1; shift; fi
sources=${1:-$(cd "$(dirname "$0")/.." && pwd)/Sources/GitCoord}
scan() {
    find "$sources" -name '*.swift' | LC_ALL=C sort | xargs awk -v root="$sources" -v why="$why" '
function folderOf(path,   rel, i) {
    rel = substr(path, length(root) + 2)
    i = index(rel, "/")
    return i ? substr(rel, 1, i - 1) : "Coord"
}

# The line with comments and the contents of string literals removed (interpolated code kept).
# `mode` carries what a line ends inside: code, a /* comment */, or a """ string.
function strip(s,   out, i, n, c, two, three) {
    out = ""; n = length(s); i = 1
    while (i <= n) {
        c = substr(s, i, 1); two = substr(s, i, 2); three = substr(s, i, 3)
        if (mode == "comment") {
            if (two == "*/") { mode = "code"; i += 2 } else i++
        } else if (mode == "string" || mode == "triple") {
            if (c == "\\" && substr(s, i + 1, 1) == "(") {
                stack[++top] = mode; parens[top] = 1; mode = "code"; out = out " "; i += 2
            } else if (c == "\\") {
                i += 2
            } else if (mode == "triple" && three == "\"\"\"") {
                mode = "code"; out = out "\"\"\""; i += 3
            } else if (mode == "string" && c == "\"") {
                mode = "code"; out = out "\""; i++
            } else i++
        } else {
            if (two == "//") break
            if (two == "/*") { mode = "comment"; i += 2; continue }
            if (three == "\"\"\"") { mode = "triple"; out = out "\"\"\""; i += 3; continue }
            if (c == "\"") { mode = "string"; out = out "\""; i++; continue }
            if (top > 0 && c == "(") parens[top]++
            if (top > 0 && c == ")" && --parens[top] == 0) { mode = stack[top--]; out = out " "; i++; continue }
            out = out c; i++
        }
    }
    if (mode == "string") mode = "code"
    return out
}

function count(s, ch,   t) { t = s; return gsub(ch, "", t) }

# Records that `folder` declares `name`; a name two folders declare belongs to neither.
function declare(name) {
    if (name == "" || name == "Coord" || name in stdlib) return
    if (!(name in owner)) owner[name] = folder
    else if (owner[name] != folder) owner[name] = "-"
}

# The name after the first declaration keyword of a line, or "".
function declared(s,   kw) {
    if (!match(s, /(^|[^A-Za-z0-9_.])(func|var|let|struct|enum|class|protocol|actor|typealias)[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) return ""
    kw = substr(s, RSTART, RLENGTH)
    sub(/^[^A-Za-z_]*(func|var|let|struct|enum|class|protocol|actor|typealias)[ \t]+/, "", kw)
    return kw
}

# Marks as local the comma-separated names that follow `lead` in `s` (when the rest of the line
# matches `after`).
function locals(s, lead, after,   list, n, k) {
    while (match(s, lead "[A-Za-z_][A-Za-z0-9_, \t]*")) {
        list = substr(s, RSTART, RLENGTH)
        s = substr(s, RSTART + RLENGTH)
        if (after != "" && s !~ after) continue
        sub("^" lead, "", list)
        n = split(list, listed, ",")
        for (k = 1; k <= n; k++) {
            sub(/^[ \t]*/, "", listed[k]); sub(/[^A-Za-z0-9_].*$/, "", listed[k])
            local[folder, listed[k]] = 1
        }
    }
}

BEGIN {
    # Names of standard library members that an extension here may declare too: a use of one of
    # them is taken to be the standard library one.
    split("init contains count first last isEmpty map filter reduce sorted append insert remove description", common, " ")
    for (k in common) stdlib[common[k]] = 1
}

FNR == 1 { folder = folderOf(FILENAME); folders[folder] = 1; depth = 0; mode = "code"; top = 0; inExtension = 0 }
{
    line = strip($0)
    if (depth == 0 && match(line, /(^|[ \t])extension[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) {
        inExtension = 1
        extended = substr(line, RSTART, RLENGTH)
        sub(/^.*extension[ \t]+/, "", extended)
    } else if (depth == 0) declare(declared(line))
    else if (depth == 1) {
        name = declared(line)
        if (name != "") memberOf[name] = memberOf[name] " " folder " "
        if (inExtension) { declare(name); if (name != "") member[extended, name] = 1 }
    }
    rest = line
    while (match(rest, /(func|var|let|case|struct|enum|class|protocol|actor|typealias)[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) {
        name = substr(rest, RSTART, RLENGTH)
        rest = substr(rest, RSTART + RLENGTH)
        sub(/^[a-z]+[ \t]+/, "", name)
        local[folder, name] = 1
    }
    # Loop variables, closure parameters and the names in an enum case list are local names too.
    locals(line, "for[ \t]+(case[ \t]+)?(let[ \t]+)?[(]?", "")
    locals(line, "[{][ \t]*[(]?", "^[)]?[^{}=]*[ \t]in([ \t]|$)")
    locals(line, "case[ \t]+", "")
    rest = line
    before = ""
    while (match(rest, /[A-Za-z_][A-Za-z0-9_]*/)) {
        name = substr(rest, RSTART, RLENGTH)
        gap = substr(rest, 1, RSTART - 1)
        rest = substr(rest, RSTART + RLENGTH)
        # `name:` is a label or a parameter: a name of this folder. `Type.name` is a member of
        # Type: a use only when one of the scanned extensions of Type declares it.
        if (substr(rest, 1, 1) == ":") local[folder, name] = 1
        else if (gap == "." && before ~ /^[A-Z]/) { if ((before, name) in member) used[folder, name] = 1 }
        else used[folder, name] = 1
        before = name
    }
    depth += count(line, "{") - count(line, "}")
    if (depth <= 0) { depth = 0; inExtension = 0 }
}

END {
    for (key in used) {
        split(key, part, SUBSEP)
        name = part[2]
        if (!(name in owner) || owner[name] == "-" || owner[name] == part[1]) continue
        if ((part[1], name) in local) continue
        # A member that types of other folders declare too: the receiver decides, which a scan
        # cannot tell.
        if (name in memberOf && memberOf[name] !~ "^( " owner[name] " )+$") continue
        uses[part[1], owner[name]] = 1
        names[part[1], owner[name]] = names[part[1], owner[name]] " " name
    }
    if (why) {
        for (key in names) { split(key, part, SUBSEP); print part[1] " -> " part[2] ":" names[key] }
        exit
    }
    for (f in folders) {
        deps = ""
        for (g in folders) if ((f, g) in uses) deps = deps " " g
        print f ":" deps
    }
}'
}

# One line per folder (or per arrow with --why), the names after the colon sorted.
scan | while IFS=: read -r folder deps; do
    printf '%s:' "$folder"
    for d in $deps; do echo "$d"; done | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//; s/^./ &/'
    echo
done | LC_ALL=C sort
