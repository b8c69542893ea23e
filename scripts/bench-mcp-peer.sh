#!/usr/bin/env bash
# git coord mcp beside the best-known peer, MCP Agent Mail (`mcp-agent-mail` on PyPI), in one run:
# the same client (the official MCP Python SDK over stdio) sends the same work to both servers.
#   scripts/bench-mcp-peer.sh [RUNS]        (default 200; TMPDIR=/dev/shm measures on tmpfs)
# The peer goes into its own virtual environment, .build/peer-venv (about 300 MB of packages).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-200}
./scripts/setup.sh deps
venv="${GIT_COORD_PEER_VENV:-$root/.build/peer-venv}"
if ! "$venv/bin/python" -c 'import mcp_agent_mail, mcp' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'mcp-agent-mail==0.1.0'
fi
swift build -c release --static-swift-stdlib
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
work=$(mktemp -d "${TMPDIR:-/tmp}/coord-peer-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
git init -q "$work/repo"
git -C "$work/repo" commit -q --allow-empty -m init
git -C "$work/repo" worktree add -q "$work/bob"
(cd "$work/repo" && "$bin/git-coord" join alice >/dev/null)
(cd "$work/bob" && "$bin/git-coord" join bob >/dev/null)
"$venv/bin/python" scripts/peer_mcp_bench.py --git-coord-mcp "$bin/git-coord-mcp" --repo "$work/repo" --runs "$runs"
