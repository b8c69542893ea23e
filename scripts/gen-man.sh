#!/usr/bin/env bash
# Regenerates Docs/man/git-coord.1 from the command tree (swift-argument-parser's generate-manual
# plugin), so the manual always matches `--help`. Run after changing any command's help.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
swift package --allow-writing-to-directory "$out" generate-manual --output-directory "$out" \
  --authors "git-coord developers" --date "$(date +%Y-%m-%d)"
# mdoc wants paragraph breaks as .Pp, not blank lines (help texts have blank lines between paragraphs).
sed 's/^$/.Pp/' "$out/git-coord.1" > Docs/man/git-coord.1
echo "wrote Docs/man/git-coord.1"
