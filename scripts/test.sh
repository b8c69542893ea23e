#!/usr/bin/env bash
# Runs the whole test suite (unit, property and integration tests with real repositories).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh deps
swift build --build-tests
swift test --skip-build --parallel 2>&1 | tee .build/test.log | grep -vE '^(◇|↳)' || true
# The runner's own summary decides the exit status.
tail -n 5 .build/test.log | grep -qE '(Test run with .* passed|Executed [0-9]+ tests?, with 0 failures)' || { tail -n 30 .build/test.log; exit 1; }
