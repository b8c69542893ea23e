#!/usr/bin/env bash
# Runs the benchmarks against the same build scripts/install.sh installs: release, with the Swift
# runtime linked into the binary.
#   scripts/bench.sh [store|mail|board|sessions|sync|hooks|mcp|lease|soak|report|peers] [--quick]
#   scripts/bench.sh soak [--writers=8] [--seconds=20]   # growth over a long busy run (Docs/Faults.md)
# Run it on an idle machine; TMPDIR=/dev/shm measures on tmpfs instead of the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh deps
swift build -c release --static-swift-stdlib
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
GIT_COORD_BIN="$bin/git-coord" exec "$bin/coord-bench" "$@"
