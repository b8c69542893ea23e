#!/usr/bin/env bash
# The main job: installs what is missing, builds and installs git-coord, then shows real sessions
# in real worktrees and a clone coordinating through one repository and a bare remote.
#   scripts/demo.sh            install and run the demo
#   scripts/demo.sh --no-install   run the demo with the git-coord already on PATH
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-install" ]; then
  ./scripts/install.sh
  if [ -w /usr/local/bin ]; then export PATH="/usr/local/bin:$PATH"; else export PATH="$HOME/.local/bin:$PATH"; fi
fi
command -v git-coord >/dev/null || { echo "git-coord is not on PATH"; exit 1; }

demo=$(mktemp -d /tmp/git-coord-demo-XXXXXX)
cleanup() { jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$demo"; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m%s$\033[0m %s\n' "${PWD/#$demo/demo}" "$*"; "$@"; }
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.invalid GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.invalid

step "A project with a bare remote, two extra worktrees, and a clone standing for another machine"
git init -q --bare -b main "$demo/hub.git"
git init -q -b main "$demo/project"
cd "$demo/project"
git commit -q --allow-empty -m "initial commit"
git remote add origin "$demo/hub.git"
git push -q origin main
git worktree add -q -b w1 "$demo/worker-1"
git worktree add -q -b w2 "$demo/worker-2"
git clone -q "$demo/hub.git" "$demo/laptop"
echo "project/  worker-1/  worker-2/  (worktrees of one repository)   laptop/ (a clone)   hub.git (the remote)"

step "Sessions join: one per worktree"
cd "$demo/project";  show git coord init --remote origin; show git coord join coordinator --role coordinator
cd "$demo/worker-1"; show git coord join worker-1 --role worker
cd "$demo/worker-2"; show git coord join worker-2 --role worker
cd "$demo/laptop";   show git coord init --remote origin; show git coord join worker-3 --role worker
cd "$demo/project";  show git coord sessions

step "The task board: tasks with dependencies, atomic claims, a ready list"
cd "$demo/project"
t1=$(git coord board add "design the sync protocol" --priority 1 --label sync)
t2=$(git coord board add "implement sync" --priority 1 --after "$t1" --label sync)
t3=$(git coord board add "fix flaky watcher test" --priority 0)
echo "added $t1 $t2 $t3"
show git coord board ready
cd "$demo/worker-1"; show git coord board claim "$t3"
cd "$demo/worker-2"; show git coord board claim "$t3" || echo "(exit $?: worker-2 was refused, worker-1 holds it)"
cd "$demo/worker-2"; show git coord board claim "$t1"
show git coord board done "$t1" -m "protocol written up in Docs/Sync.md"
show git coord board ready

step "Messages are events: a waiting reader wakes as soon as one lands"
cd "$demo/worker-2"
( git coord inbox --wait --timeout 30s > "$demo/woken.txt"; date +%s%N > "$demo/woken.at" ) &
waiter=$!
sleep 0.5
cd "$demo/project"
show git coord send worker-2 --subject "next" -m "take $t2 when you are free; sync tests must pass" --urgent
sent_at=$(date +%s%N)
wait $waiter
echo "worker-2 woke $(( ($(cat "$demo/woken.at") - sent_at) / 1000000 )) ms after send returned, with:"
sed 's/^/    /' "$demo/woken.txt"
cd "$demo/worker-2"; id=$(git coord inbox --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
show git coord ack "$id" -m "on it"
cd "$demo/project"; show git coord sent

step "A supervised job reports its exit code and stderr tail to the coordinator"
cd "$demo/worker-1"
show git coord run --name build --notify coordinator -- sh -c 'echo compiling; echo "error: tests failed in WatcherTests" >&2; exit 3' || echo "(the job exited $?)"
cd "$demo/project"; show git coord inbox --unread

step "Liveness: a session whose agent process dies reads dead at once"
cd "$demo/worker-2"
sleep 300 & agent=$!
git coord heartbeat --watch-pid "$agent" --every 5s --detach
sleep 0.3
show git coord alive worker-2
kill "$agent"; sleep 0.5
show git coord alive worker-2 || echo "(exit $?: worker-2 is dead)"

step "State that survives context loss, and the briefing an agent gets back after compaction"
cd "$demo/project"
show git coord state set gate.pr-12 approved
show git coord state get gate.pr-12
show git coord brief --max-bytes 1500

step "Sync across clones through the remote"
cd "$demo/project"
show git coord sync
cd "$demo/laptop"
show git coord sync
show git coord board ready
show git coord send coordinator -m "worker-3 on the laptop: online, taking $t2"
show git coord board claim "$t2"
show git coord sync
cd "$demo/project"
show git coord sync
show git coord inbox --unread --from worker-3
show git coord board show "$t2"

step "The audit trail is plain git"
cd "$demo/project"
show git log --format='%h %s' refs/coord/board
show git coord log --limit 12
# --- peers that lie (issue 13): a forged board is refused cell by cell, and syncing goes on ---
step "A peer that lies: a forged clone turns a task's cell into a folder, with git's plumbing"
git clone -q "$demo/hub.git" "$demo/mallory" && cd "$demo/mallory"
git fetch -q origin '+refs/coord/*:refs/coord/*'
tip=$(git rev-parse refs/coord/board)
cell=$(git ls-tree -r --name-only "$tip" tasks | head -n 1)
export GIT_INDEX_FILE="$demo/mallory/.git/forge-index"
git read-tree "$tip"
git update-index --add --replace --cacheinfo "100644,$(git rev-parse "$tip:$cell"),$cell/T-forged.lww"
forged=$(git commit-tree "$(git write-tree)" -p "$tip" -m "board: forged")
unset GIT_INDEX_FILE
git update-ref refs/coord/board "$forged" && git push -q origin refs/coord/board:refs/coord/board
echo "mallory pushed $forged: $cell is now a folder"
cd "$demo/project"
show git coord sync
echo "(the same refusal is not printed twice; the record keeps it:)"
show git coord sync
show cat "$(git rev-parse --git-common-dir)/coord/peer-findings.jsonl"
show git coord board list

echo
echo "demo finished; everything lived in $demo (now removed)"
