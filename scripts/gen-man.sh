#!/usr/bin/env bash
# Regenerates Docs/man/git-coord.1 from the command tree (swift-argument-parser's generate-manual
# plugin), so the manual always matches `--help`. Run after changing any command's help.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
swift package --allow-writing-to-directory "$out" generate-manual --output-directory "$out" \
  --authors "git-coord developers" --date "$(date +%Y-%m-%d)"
# The command tree calls its root "coord" under the super command "git", so the generator writes
# coord.1; the page is git-coord(1), as `git help coord` looks it up. mdoc wants paragraph breaks
# as .Pp, not blank lines (help texts have blank lines between paragraphs).
sed -e 's/^$/.Pp/' -e 's/^\.Dt COORD 1$/.Dt GIT-COORD 1/' -e 's/^\.Nm coord$/.Nm git-coord/' \
  "$out/coord.1" > Docs/man/git-coord.1
echo "wrote Docs/man/git-coord.1"
