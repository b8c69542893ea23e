#!/usr/bin/env bash
# Runs the whole test suite: unit, property and integration tests on real repositories, worktrees,
# clones, bare remotes and processes. Installs libgit2-dev first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh deps
swift build --build-tests
exec swift test --skip-build
