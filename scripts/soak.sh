#!/usr/bin/env bash
# Runs the tests that race real processes (concurrent writers and claimers, writers killed at
# random moments, many senders, clones syncing in random orders, watchers) ROUNDS times over, and
# stops at the first failing round, keeping its log. Far longer than the default test run; for
# overnight confidence, not for CI.
#   scripts/soak.sh [ROUNDS]      (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
case "$rounds" in ''|*[!0-9]*|0) echo "soak.sh: ROUNDS must be a positive number, not '$rounds'" >&2; exit 2;; esac
./scripts/setup.sh deps
swift build --build-tests
filter='StoreConcurrencyTests|MailCLITests|BoardCLITests|JobCLITests|SessionCLITests|HookCLITests|AgentSessionCLITests|LeaseCLITests|LeaseSyncTests|SyncHostilePeerTests|MCPClientTests|SyncConvergenceTests|SyncWatchTests|SyncClaimTests|ProcessIdentityTests'
log=$(mktemp -t git-coord-soak.XXXXXX)
for ((i = 1; i <= rounds; i++)); do
  start=$(date +%s)
  if swift test --skip-build --filter "$filter" > "$log" 2>&1; then
    echo "round $i/$rounds passed in $(( $(date +%s) - start )) s: $(grep -o 'Test run with [0-9]* tests' "$log" | tail -1)"
  else
    echo "round $i/$rounds FAILED; its log is $log:"
    grep -E '✘' "$log" | head -20
    exit 1
  fi
done
rm -f "$log"
echo "soak: $rounds rounds passed"
