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

step "Three Claude Code agents in one folder: each is its own session"
git worktree add -q -b shared "$demo/shared"
cd "$demo/shared"
# Each agent is what Claude Code tells its commands: a session id and its process (a stand-in here).
agent() { local id=$1; shift; CLAUDE_CODE_SESSION_ID=$id CLAUDE_PID=$pid_of_agent "$@"; }
sleep 600 & pid_a=$!; sleep 600 & pid_b=$!; sleep 600 & pid_c=$!
pid_of_agent=$pid_a; agent aaaa-1111 git coord join lead --role coordinator
pid_of_agent=$pid_b; agent bbbb-2222 git coord join helper-1 --role worker
pid_of_agent=$pid_c; agent cccc-3333 git coord join helper-2 --role worker
for a in "aaaa-1111 $pid_a" "bbbb-2222 $pid_b" "cccc-3333 $pid_c"; do
  set -- $a; printf 'agent %s in %s: whoami -> %s\n' "$1" "${PWD/#$demo/demo}" "$(CLAUDE_CODE_SESSION_ID=$1 CLAUDE_PID=$2 git coord whoami)"
done
pid_of_agent=$pid_c; agent cccc-3333 git coord join lead 2>&1 || echo "(exit $?: the name lead belongs to another live agent)"
# helper-2's Stop hook waits; a message to helper-1 does not wake it, one to helper-2 does.
stop='{"session_id":"cccc-3333","hook_event_name":"Stop","cwd":"'"$demo/shared"'"}'
( rc=0; echo "$stop" | CLAUDE_PID=$pid_c git coord hooks run stop-wait --timeout 30s 2>"$demo/waiter.err" || rc=$?; echo $rc >"$demo/waiter.rc" ) & waiter=$!
for _ in $(seq 100); do [ -f "$demo/project/.git/coord/hooks/helper-2/waiter.pid" ] && break; sleep 0.05; done
pid_of_agent=$pid_a; agent aaaa-1111 git coord send helper-1 -m "take the parser" >/dev/null
pid_of_agent=$pid_a; agent aaaa-1111 git coord send helper-2 -m "take the tests" >/dev/null
wait "$waiter" || true
echo "helper-2's Stop hook exited $(cat "$demo/waiter.rc") (2 wakes the agent) and said:"; sed 's/^/  /' "$demo/waiter.err"
pid_of_agent=$pid_b; echo "helper-1's inbox:"; agent bbbb-2222 git coord inbox | sed 's/^/  /'
kill $pid_a $pid_b $pid_c 2>/dev/null || true

step "The audit trail is plain git"
cd "$demo/project"
show git log --format='%h %s' refs/coord/board
show git coord log --limit 12
# --- MCP server (issue 15): the same store as MCP tools, a message pushed to the server ---
if [ -x "$(dirname "$(command -v git-coord)")/git-coord-mcp" ]; then
  step "The same store as MCP tools: git coord mcp"
  mcpdemo=$(mktemp -d)
  git init -q -b main "$mcpdemo/repo" && git -C "$mcpdemo/repo" commit -q --allow-empty -m init
  git -C "$mcpdemo/repo" worktree add -q "$mcpdemo/peer" -b peer
  (cd "$mcpdemo/repo" && git coord join alice >/dev/null)
  (cd "$mcpdemo/peer" && git coord join bob >/dev/null)
  show git coord mcp print generic
  cd "$mcpdemo/repo"
  python3 - "$mcpdemo/peer" <<'PY'
import json, subprocess, sys, time
server = subprocess.Popen(["git", "coord", "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def rpc(message):
    server.stdin.write((json.dumps(message) + "\n").encode()); server.stdin.flush()
def read():
    return json.loads(server.stdout.readline())
rpc({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "demo", "version": "1"}}})
print("initialize ->", read()["result"]["protocolVersion"])
rpc({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
line = server.stdout.readline()
print("tools/list ->", len(line) - 1, "characters:", ", ".join(t["name"] for t in json.loads(line)["result"]["tools"]))
rpc({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "board", "arguments": {"action": "add", "title": "try the MCP tools"}}})
print("board add ->", read()["result"]["content"][0]["text"])
rpc({"jsonrpc": "2.0", "id": 4, "method": "resources/subscribe", "params": {"uri": "coord://inbox"}})
read()
start = time.monotonic()
subprocess.run(["git", "coord", "send", "alice", "-m", "hello over MCP"], cwd=sys.argv[1], stdout=subprocess.DEVNULL, check=True)
note = read()
print(f"{note['method']} {note['params']['uri']} {(time.monotonic() - start) * 1000:.0f} ms after bob started git coord send")
server.stdin.close(); server.wait()
PY
  cd "$demo"; rm -rf "$mcpdemo"
fi


step "Path leases: two workers and one module"
cd "$demo/project"; show git coord hooks install git
cd "$demo/worker-1"
show git coord lease add src/net/ --ttl 2h --reason "rework retries"
cd "$demo/worker-2"
show git coord lease add src/net/tcp.c || echo "(exit $?: worker-2 was refused, worker-1 leases src/net/)"
show git coord lease check src/net/tcp.c || echo "(exit $?)"
mkdir -p src/net && echo "int retries = 5;" > src/net/tcp.c && git add src/net/tcp.c
show git commit -qm "tune retries" || echo "(exit $?: the pre-commit guard refused the commit)"
printf '{"session_id":"demo","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Edit","tool_input":{"file_path":"%s/src/net/tcp.c","old_string":"5","new_string":"6"}}' "$PWD" "$PWD" > "$demo/edit.json"
echo "Claude Code's PreToolUse hook answers an Edit of the same file with:"
git coord hooks run pre-tool < "$demo/edit.json" | python3 -m json.tool
cd "$demo/worker-1"; show git coord lease release --all
cd "$demo/worker-2"; show git commit -qm "tune retries"; show git log --oneline -1
# --- issue 14: runs that last for weeks ---
step "git coord doctor: a project commit pushed under refs/coord/ by mistake is found and moved aside"
cd "$demo/project"
git update-ref refs/coord/state/intruder HEAD
show git coord doctor || echo "(exit $?: a problem was found)"
show git coord doctor --fix
show git for-each-ref refs/coord-aside/
# --- end issue 14 ---
step "The morning after: what happened, as text and as one HTML page with a timeline"
cd "$demo/project"
show git coord report
show git coord report --html "$demo/report.html"
cp "$demo/report.html" /tmp/git-coord-demo-report.html
echo "the page: $demo/report.html (a copy kept after the demo: /tmp/git-coord-demo-report.html)"
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

