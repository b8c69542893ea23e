"""Drives `git coord mcp` with the official MCP Python SDK (`mcp` on PyPI) over stdio.

Used by Tests/IntegrationTests/MCPClientTests.swift. Prints one JSON report on stdout; every
check that fails is listed under "failures" (the test asserts there are none).

    python mcp_driver.py --server BIN --cli GIT_COORD --repo WORKTREE --peer OTHER_WORKTREE [--mode legacy]

--mode auto (the client's default) negotiates 2026-07-28 through server/discover and is pushed
through subscriptions/listen; --mode legacy uses the initialize handshake (2025-11-25) and
resources/subscribe.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time

from mcp import Client, StdioServerParameters


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--cli", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--peer", required=True, help="another worktree, joined as another session")
    p.add_argument("--peer-session", default="bob")
    p.add_argument("--session", default="alice")
    p.add_argument("--pushes", type=int, default=5)
    p.add_argument("--mode", default="auto", choices=["auto", "legacy"])
    opts = p.parse_args()

    report = {"failures": [], "calls": {}, "errors": {}, "push_us": [], "push_after_send_exit_us": []}
    failures = report["failures"]
    updates: asyncio.Queue = asyncio.Queue()

    async def on_message(message) -> None:
        if isinstance(message, Exception):
            failures.append(f"transport error: {message!r}")
            return
        method = getattr(message, "method", None)
        if method == "notifications/resources/updated":
            await updates.put((time.monotonic(), message.params.uri))

    def peer_send(body: str) -> tuple[float, float]:
        start = time.monotonic()
        subprocess.run([opts.cli, "send", opts.session, "-m", body], cwd=opts.peer, check=True,
                       stdout=subprocess.DEVNULL)
        return start, time.monotonic()

    server = StdioServerParameters(command=opts.server, args=[], cwd=opts.repo)
    async with Client(server, message_handler=on_message, mode=opts.mode) as client:
        report["protocol"] = client.protocol_version
        report["server"] = client.server_info.name if client.server_info else None
        tools = await client.list_tools()
        report["tools"] = sorted(t.name for t in tools.tools)

        async def ok(tool: str, args: dict, label: str | None = None):
            result = await client.call_tool(tool, args)
            key = label or tool
            if result.is_error:
                failures.append(f"{key}: {result.content[0].text if result.content else '?'}")
                report["calls"][key] = False
                return None
            if not result.content or not result.content[0].text:
                failures.append(f"{key}: no text")
            report["calls"][key] = True
            return result.structured_content

        async def refused(tool: str, args: dict, label: str, expect: str):
            result = await client.call_tool(tool, args)
            text = result.content[0].text if result.content else ""
            report["errors"][label] = text
            if not result.is_error:
                failures.append(f"{label}: answered without an error")
            elif expect not in text:
                failures.append(f"{label}: error {text!r} does not say {expect!r}")

        # Mail
        sent = await ok("send", {"to": [opts.peer_session], "body": "hello from the MCP client", "subject": "hi"})
        peer_send("first message for the MCP client")
        inbox = await ok("inbox", {"unread": True})
        mid = inbox["messages"][0]["id"] if inbox and inbox.get("messages") else None
        if not mid:
            failures.append("inbox: the peer's message is missing")
        else:
            await ok("message", {"action": "show", "id": mid}, "message show")
            await ok("message", {"action": "ack", "id": mid, "note": "seen"}, "message ack")
            await ok("message", {"action": "thread", "id": mid}, "message thread")
        await ok("sent", {}, "sent")
        waited = await ok("inbox", {"waitMs": 50}, "inbox wait")
        if waited is not None and waited.get("messages"):
            failures.append("inbox wait: returned messages although none was unread")

        # Board
        task = await ok("board", {"action": "add", "title": "write the MCP docs", "priority": 1, "labels": ["docs"]}, "board add")
        tid = task["task"]["id"] if task else "T-missing"
        for action, extra in [("list", {}), ("ready", {}), ("show", {"task": tid}), ("claim", {"task": tid}),
                              ("comment", {"task": tid, "note": "halfway"}), ("edit", {"task": tid, "priority": 0}),
                              ("release", {"task": tid}), ("done", {"task": tid, "note": "written"}),
                              ("reopen", {"task": tid})]:
            await ok("board", {"action": action, **extra}, f"board {action}")

        # Sessions, jobs, state, brief, sync
        await ok("sessions", {}, "sessions")
        alive = await ok("sessions", {"name": opts.peer_session}, "sessions alive")
        if alive and alive["session"].get("state") not in ("alive", "stale", "dead"):
            failures.append(f"sessions alive: unexpected {alive}")
        job = await ok("job", {"action": "run", "command": ["sh", "-c", "echo done >&2; exit 3"], "name": "probe"}, "job run")
        jid = job["job"]["id"] if job else "J-missing"
        await ok("job", {"action": "list"}, "job list")
        await ok("job", {"action": "show", "id": jid}, "job show")
        ended = await ok("job", {"action": "wait", "id": jid, "timeoutMs": 60000}, "job wait")
        if ended and ended["job"].get("exitCode") != 3:
            failures.append(f"job wait: expected exit code 3, got {ended['job']}")
        await ok("state", {"action": "set", "key": "gate.mcp", "value": {"n": 1, "ok": True}}, "state set")
        got = await ok("state", {"action": "get", "key": "gate.mcp"}, "state get")
        if got and got.get("value") != {"n": 1, "ok": True}:
            failures.append(f"state get: {got}")
        await ok("state", {"action": "show"}, "state show")
        await ok("state", {"action": "unset", "key": "gate.mcp"}, "state unset")
        await ok("brief", {}, "brief")
        await ok("sync", {"remote": "origin"}, "sync")

        # Bad arguments and refusals: tool errors with the CLI's one-line messages
        await refused("send", {"to": 5, "body": "x"}, "send to:5", "must be a list of strings")
        await refused("send", {"to": ["nobody-here"], "body": "x"}, "send unknown", "unknown recipient")
        await refused("board", {"action": "fly"}, "board fly", "unknown action")
        await refused("board", {"action": "claim", "task": "T-zzzzzz"}, "board claim missing", "T-zzzzzz")
        await refused("board", {"action": "add", "title": "x", "priority": 9}, "board priority 9", "priority")
        await refused("inbox", {"waitMs": -1}, "inbox waitMs -1", "waitMs")
        await refused("state", {"action": "get", "key": "not set"}, "state bad key", "key")
        await refused("nosuchtool", {}, "unknown tool", "unknown tool")
        await ok("sessions", {}, "sessions after errors")

        # Push: coord://inbox updated within 100 ms of a send from another worktree
        resources = await client.list_resources()
        report["resources"] = [str(r.uri) for r in resources.resources]

        async def probe_pushes():
            for i in range(opts.pushes):
                while not updates.empty():
                    updates.get_nowait()
                start, exited = await asyncio.to_thread(peer_send, f"push probe {i}")
                try:
                    at, uri = await asyncio.wait_for(updates.get(), timeout=5)
                except asyncio.TimeoutError:
                    failures.append(f"push {i}: no notifications/resources/updated within 5 s")
                    continue
                if uri != "coord://inbox":
                    failures.append(f"push {i}: updated {uri}")
                report["push_us"].append(round((at - start) * 1e6))
                report["push_after_send_exit_us"].append(round((at - exited) * 1e6))

        if client.protocol_version == "2026-07-28":
            report["push_by"] = "subscriptions/listen"
            async with client.listen(resource_subscriptions=["coord://inbox"]) as sub:
                report["listen_honored"] = sorted(sub.honored.resource_subscriptions or [])

                async def pump():
                    async for event in sub:
                        await updates.put((time.monotonic(), getattr(event, "uri", None)))

                pumping = asyncio.create_task(pump())
                await probe_pushes()
                pumping.cancel()
        else:
            report["push_by"] = "resources/subscribe"
            await client.subscribe_resource("coord://inbox")
            await probe_pushes()
        read = await client.read_resource("coord://inbox")
        body = json.loads(read.contents[0].text)
        report["inbox_resource_unread"] = len(body["messages"])

    print(json.dumps(report, indent=1, sort_keys=True))


if __name__ == "__main__":
    asyncio.run(main())
