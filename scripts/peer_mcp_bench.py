"""Tool-call round trips through two MCP servers, driven by one client in one run.

The client is the official MCP Python SDK over stdio, the way an agent reaches either server.
Both servers get the same work: `tools/list`, N sends from alice to bob, N inbox listings of
20 messages. git-coord answers through `git coord mcp`; the peer is MCP Agent Mail
(`mcp-agent-mail` on PyPI), started on stdio with its SQLite database and git archive in a
temporary folder.

    python peer_mcp_bench.py --git-coord-mcp BIN --repo DIR [--runs N]

Prints one line per figure (p50 and p99 in milliseconds) and a JSON summary last.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def percentile(samples, p):
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[k]


def summary(samples):
    return {"p50": percentile(samples, 50), "p99": percentile(samples, 99),
            "mean": statistics.fmean(samples), "n": len(samples)}


async def timed(runs, call):
    out = []
    for i in range(runs):
        start = time.perf_counter()
        result = await call(i)
        out.append((time.perf_counter() - start) * 1000)
        if getattr(result, "isError", False):
            raise RuntimeError(f"tool call answered with an error: {result.content}")
    return out


async def list_size(session):
    tools = await session.list_tools()
    # The answer as it goes on the wire: the tools array of the JSON-RPC result.
    return len(json.dumps({"tools": [t.model_dump(mode="json", exclude_none=True, by_alias=True) for t in tools.tools]},
                          separators=(",", ":"))), len(tools.tools)


async def bench_git_coord(args):
    params = StdioServerParameters(command=args.git_coord_mcp, args=["--session", "alice"], cwd=args.repo,
                                   env={**os.environ, "GIT_COORD_SESSION": "alice"})
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            size, count = await list_size(session)
            for i in range(args.warmup):
                await session.call_tool("send", {"to": ["bob"], "body": f"warm-up {i}"})
            send = await timed(args.runs, lambda i: session.call_tool("send", {"to": ["bob"], "body": f"bench message {i}"}))
            inbox = await timed(args.runs, lambda i: session.call_tool("inbox", {"limit": 20}))
    return {"tools_list_chars": size, "tools": count, "send": summary(send), "inbox": summary(inbox)}


PEER_LAUNCH = "from mcp_agent_mail.app import build_mcp_server; build_mcp_server().run(transport='stdio')"


async def bench_peer(args):
    with tempfile.TemporaryDirectory(prefix="peer-mcp-") as folder:
        return await bench_peer_in(args, folder)


async def bench_peer_in(args, folder):
    project = os.path.join(folder, "project")
    os.makedirs(project)
    env = {**os.environ,
           "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/storage.sqlite3",
           "STORAGE_ROOT": os.path.join(folder, "archive"),
           "LLM_ENABLED": "false", "TOOLS_LOG_ENABLED": "false", "LOG_RICH_ENABLED": "false", "MCP_TOOLS_MODE": "core",
           "HOME": folder}
    params = StdioServerParameters(command=args.peer_python, args=["-c", PEER_LAUNCH], cwd=folder, env=env)
    async with stdio_client(params, errlog=open(os.devnull, "w")) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            size, count = await list_size(session)
            await session.call_tool("ensure_project", {"human_key": project})
            for name in ("BlueLake", "GreenCastle"):
                r = await session.call_tool("register_agent", {"project_key": project, "program": "bench", "model": "none", "name": name})
                if r.isError:
                    raise RuntimeError(f"register_agent {name}: {r.content}")

            def send(i):
                return session.call_tool("send_message", {"project_key": project, "sender_name": "BlueLake", "to": ["GreenCastle"],
                                                          "subject": f"bench {i}", "body_md": f"bench message {i}"})
            for i in range(args.warmup):
                await send(i)
            sends = await timed(args.runs, send)
            inbox = await timed(args.runs, lambda i: session.call_tool("fetch_inbox", {"project_key": project, "agent_name": "GreenCastle", "limit": 20}))
    return {"tools_list_chars": size, "tools": count, "send": summary(sends), "inbox": summary(inbox)}


async def peer_list_size(args, mode):
    with tempfile.TemporaryDirectory(prefix="peer-mcp-") as folder:
        return await peer_list_size_in(args, mode, folder)


async def peer_list_size_in(args, mode, folder):
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/storage.sqlite3",
           "STORAGE_ROOT": os.path.join(folder, "archive"), "LLM_ENABLED": "false",
           "TOOLS_LOG_ENABLED": "false", "MCP_TOOLS_MODE": mode, "HOME": folder}
    params = StdioServerParameters(command=args.peer_python, args=["-c", PEER_LAUNCH], cwd=folder, env=env)
    async with stdio_client(params, errlog=open(os.devnull, "w")) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await list_size(session)


def line(label, s):
    print(f"{label:<44} p50 {s['p50']:8.2f} ms   p99 {s['p99']:8.2f} ms   (n={s['n']})")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--git-coord-mcp", required=True)
    parser.add_argument("--repo", required=True, help="a repository where alice and bob have joined")
    parser.add_argument("--peer-python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    ours = await bench_git_coord(args)
    peer = await bench_peer(args)
    peer["tools_list_chars_extended"], peer["tools_extended"] = await peer_list_size(args, "extended")
    print(f"tools/list: git-coord {ours['tools_list_chars']} characters ({ours['tools']} tools); "
          f"MCP Agent Mail {peer['tools_list_chars']} characters ({peer['tools']} tools, its default core set), "
          f"{peer['tools_list_chars_extended']} characters ({peer['tools_extended']} tools, MCP_TOOLS_MODE=extended)")
    line("send, git coord mcp", ours["send"])
    line("send_message, MCP Agent Mail", peer["send"])
    line("inbox limit 20, git coord mcp", ours["inbox"])
    line("fetch_inbox limit 20, MCP Agent Mail", peer["inbox"])
    print(json.dumps({"git_coord": ours, "mcp_agent_mail": peer}))


if __name__ == "__main__":
    asyncio.run(main())
