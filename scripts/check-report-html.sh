#!/usr/bin/env bash
# Renders the report of a generated night in headless Chromium: the page must load with no
# console message at all (errors, warnings, blocked loads), and a screenshot of it is written to
# Docs/report-night.png (light) and Docs/report-night-dark.png (dark). Installs Debian's
# chromium package when it is missing. Run it after changing the report page; it is not part of
# scripts/test.sh (see Docs/Report.md, "Checking the page in a browser").
#   scripts/check-report-html.sh [--no-screenshot]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if ! command -v chromium >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
swift build --product git-coord >/dev/null
swift build --product coord-bench >/dev/null
bin=$(swift build --show-bin-path)

work=$(mktemp -d /tmp/git-coord-report-check-XXXXXX)
trap 'rm -rf "$work"' EXIT
chrome() {
  chromium --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
    --disable-extensions --user-data-dir="$work/profile" --enable-logging=stderr --v=0 "$@"
}
# Console messages reach stderr as `CONSOLE(line)] "text"` or `console.*` lines.
console_of() { grep -E 'CONSOLE|:CONSOLE|console\.(error|warn)|Uncaught|Refused to|net::ERR' "$1" || true; }

# The detector must see a console error, or a clean result below means nothing.
printf '<!DOCTYPE html><title>x</title><img src="missing.png"><script>console.error("detector works")</script>' > "$work/bad.html"
chrome --dump-dom "file://$work/bad.html" >/dev/null 2>"$work/bad.log" || true
if [ -z "$(console_of "$work/bad.log")" ]; then
  echo "check-report-html: cannot see Chromium's console messages (log: $(head -c 300 "$work/bad.log")); not checking" >&2
  exit 1
fi

"$bin/coord-bench" report-fixture "$work/night"
"$bin/git-coord" -C "$work/night" report --html "$work/night.html"
chrome --dump-dom "file://$work/night.html" >"$work/dom.html" 2>"$work/render.log"
problems=$(console_of "$work/render.log")
if [ -n "$problems" ]; then
  echo "check-report-html: the page logged to the console:" >&2
  echo "$problems" >&2
  exit 1
fi
grep -q 'id="end-worker-3"' "$work/dom.html" || { echo "check-report-html: the rendered page lacks the death of worker-3" >&2; exit 1; }
jobs=$(grep -o 'id="job-J-[0-9a-z]*"' "$work/dom.html" | sort -u | wc -l)
[ "$jobs" -eq 50 ] || { echo "check-report-html: the rendered page shows $jobs jobs, not 50" >&2; exit 1; }
chrome --print-to-pdf="$work/night.pdf" --no-pdf-header-footer "file://$work/night.html" 2>"$work/print.log"
[ -s "$work/night.pdf" ] || { echo "check-report-html: printing the page made no PDF" >&2; exit 1; }
echo "rendered $(wc -c <"$work/night.html") bytes in Chromium $(chromium --version | awk '{print $2}'): no console messages, 50 jobs, the death shown, printable ($(wc -c <"$work/night.pdf") bytes of PDF)"

if [ "${1:-}" != "--no-screenshot" ]; then
  chrome --hide-scrollbars --window-size=1280,1250 --screenshot="$root/Docs/report-night.png" "file://$work/night.html" 2>/dev/null
  chrome --hide-scrollbars --window-size=1280,1250 --force-dark-mode --blink-settings=preferredColorScheme=0 \
    --screenshot="$root/Docs/report-night-dark.png" "file://$work/night.html" 2>/dev/null
  echo "screenshots: Docs/report-night.png, Docs/report-night-dark.png"
fi
