#!/usr/bin/env bash
# Prints the path of a Python that has the official MCP Python SDK (`mcp` on PyPI), making the
# virtual environment on first use under .build/mcp-venv (or $GIT_COORD_MCP_VENV).
# Used by Tests/IntegrationTests/MCPClientTests.swift and scripts/bench.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${GIT_COORD_MCP_VENV:-$root/.build/mcp-venv}"
if ! "$dir/bin/python" -c 'import mcp' >/dev/null 2>&1; then
  python3 -m venv "$dir" >&2
  "$dir/bin/pip" install --quiet --disable-pip-version-check 'mcp>=2.3,<3' >&2
fi
echo "$dir/bin/python"
