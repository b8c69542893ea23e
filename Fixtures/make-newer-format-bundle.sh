#!/usr/bin/env bash
# Rebuilds newer-format.bundle: a repository whose refs/coord/board was written in format 2 (a
# future git-coord), with a cell this version would misread. Tests check that it is refused.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
git init -q -b main "$tmp/r"; cd "$tmp/r"
export GIT_AUTHOR_NAME=future GIT_AUTHOR_EMAIL=future@git-coord.invalid GIT_COMMITTER_NAME=future GIT_COMMITTER_EMAIL=future@git-coord.invalid
export GIT_AUTHOR_DATE="2026-11-25T12:00:00Z" GIT_COMMITTER_DATE="2026-11-25T12:00:00Z"
marker=$(printf '{"format":2,"kind":"board"}\n' | git hash-object -w --stdin)
cell=$(printf '{"title":{"s":"1795600000000.0000.future","v":{"text":"rich title","lang":"en"}}}' | git hash-object -w --stdin)
leaf=$(printf '100644 blob %s\tT-4k2mxq.lww\n' "$cell" | git mktree)
mid=$(printf '040000 tree %s\tk\n' "$leaf" | git mktree)
tasks=$(printf '040000 tree %s\t4\n' "$mid" | git mktree)
root=$(printf '100644 blob %s\t.coord\n040000 tree %s\ttasks\n' "$marker" "$tasks" | git mktree)
commit=$(printf 'board: add T-4k2mxq by future\n\nCoord-Session: future\nCoord-Op: board.add\nCoord-Stamp: 1795600000000.0000.future\n' | git commit-tree "$root")
git update-ref refs/coord/board "$commit"
git bundle create -q "$here/newer-format.bundle" refs/coord/board
echo "wrote $here/newer-format.bundle ($commit)"
