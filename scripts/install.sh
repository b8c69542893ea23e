#!/usr/bin/env bash
# Builds git-coord in release mode and installs it so that `git coord ...` works:
#   the binary into PREFIX/bin (git finds `git-coord` on PATH) and the man page into
#   PREFIX/share/man/man1 (git turns `git coord --help` into `man git-coord`).
# PREFIX defaults to /usr/local when writable, else ~/.local.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh deps
if [ -z "${PREFIX:-}" ]; then
  if [ -w /usr/local/bin ]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
fi
# The Swift runtime is linked into the binary: it runs where no Swift toolchain is installed and
# starts 3 ms sooner than one bound to the runtime's shared libraries (Docs/DECISIONS.md).
swift build -c release --static-swift-stdlib --product git-coord
swift build -c release --static-swift-stdlib --product git-coord-mcp
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
mkdir -p "$PREFIX/bin" "$PREFIX/share/man/man1"
install -m 0755 "$bin/git-coord" "$PREFIX/bin/git-coord"
install -m 0755 "$bin/git-coord-mcp" "$PREFIX/bin/git-coord-mcp"
install -m 0644 Docs/man/git-coord.1 "$PREFIX/share/man/man1/git-coord.1"
echo "installed $PREFIX/bin/git-coord and $PREFIX/share/man/man1/git-coord.1"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "note: add $PREFIX/bin to PATH so that git finds git-coord";; esac
