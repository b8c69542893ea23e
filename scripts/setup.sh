#!/usr/bin/env bash
# Installs what git-coord needs to build (libgit2-dev, libcurl4-openssl-dev, pkg-config, git) when it is missing.
#   scripts/setup.sh deps      install missing system packages only
set -euo pipefail
need=()
pkg-config --exists libgit2 2>/dev/null || need+=(libgit2-dev)
# git-coord-mcp: the MCP SDK brings FoundationNetworking, whose static link needs libcurl.
pkg-config --exists libcurl 2>/dev/null || need+=(libcurl4-openssl-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
