"""Endless queries beside normal traffic (not a test): does the server keep its tail?

Starts `innovgraph serve` on a free loopback port (via `create_app`, so the worker settings
can be given), then measures normal traffic -- a few saved queries of the REST API and a few
pages, from --clients keep-alive clients -- twice: alone, and while --endless clients send an
endless cross-join COUNT (60^6 = 46 billion rows) to /sparql again and again (each gets 503 at
the time limit, then sends it again). Reports p50/p99/max of the normal requests in both
phases, what the endless clients got, and the CPU the server's processes used.

    .venv/bin/python bench/endless.py                       # 30 s per phase, defaults
    .venv/bin/python bench/endless.py --client-queries 8    # as if from 8 addresses
    .venv/bin/python bench/endless.py --src /tmp/old/src    # another checkout's code

The client is one asyncio process with raw sockets, as in bench/load_server.py; it shares the
2 cores with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_server import percentile, read_response  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from support.processes import tree_cpu_seconds  # noqa: E402  (one /proc reader with the tests)

VALUES = "{ " + " ".join(str(n) for n in range(60)) + " }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?{v} {VALUES}" for v in "abcdef") + " }"
MIX = [
    ("api: cities", "/api/queries/cities", "application/json"),
    ("api: cities (csv)", "/api/queries/cities.csv", "text/csv"),
    ("api: programs-by-policy-area", "/api/queries/programs-by-policy-area", "application/json"),
    ("api: cities-by-role", "/api/queries/cities-by-role?" + urlencode(
        {"role": "igv:innovation-role/data-scientist"}), "application/json"),
    ("api: mayors (moscow)", "/api/queries/mayors-and-innovation-officers?" + urlencode(
        {"city": "id:city/moscow-rus"}), "application/json"),
    ("page: city (turtle)", "/id/city/moscow-rus.ttl", "text/turtle"),
    ("page: city (html)", "/id/city/moscow-rus", "text/html"),
    ("page: home", "/", "text/html"),
]


async def request(reader, writer, host, port, path, accept) -> int:
    writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {accept}\r\n"
                  "Connection: keep-alive\r\n\r\n").encode())
    return await read_response(reader)


async def normal_client(host, port, stop_at, results, rng) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop_at:
            kind, path, accept = rng.choice(MIX)
            started = time.perf_counter()
            try:
                status = await request(reader, writer, host, port, path, accept)
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                status = 0
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            results.append((kind, time.perf_counter() - started, status))
    finally:
        writer.close()


async def endless_client(host, port, stop, statuses) -> None:
    path = "/sparql?" + urlencode({"query": ENDLESS})
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status = await request(reader, writer, host, port, path, "application/json")
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                status = 0
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            statuses.append((status, time.perf_counter() - started))
    finally:
        writer.close()


def summary(results) -> dict:
    latencies = [latency for _, latency, _ in results]
    return {"requests": len(results),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
            "errors": sum(1 for *_, status in results if status != 200)}


def start_server(src: Path, options: dict) -> tuple[subprocess.Popen, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (f"import sys; sys.path.insert(0, {str(src)!r})\n"
            "from innovgraph.web import create_app\nfrom innovgraph.web.serve import run_server\n"
            f"run_server(create_app({str(ROOT)!r}, **{options!r}), port={port}, "
            "log_level='warning')\n")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql", timeout=2).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


async def phase(port, clients, duration, endless, seed) -> dict:
    host, rng = "127.0.0.1", random.Random(seed)
    stop, statuses, results = asyncio.Event(), [], []
    hogs = [asyncio.create_task(endless_client(host, port, stop, statuses)) for _ in range(endless)]
    if endless:
        await asyncio.sleep(2.0)  # the endless queries are running before measuring starts
    started = time.monotonic()
    await asyncio.gather(*(normal_client(host, port, started + duration, results,
                                         random.Random(rng.random())) for _ in range(clients)))
    stop.set()
    for hog in hogs:
        hog.cancel()
    await asyncio.gather(*hogs, return_exceptions=True)
    out = {"normal": summary(results)}
    per_kind: dict[str, list] = {}
    for kind, latency, status in results:
        per_kind.setdefault(kind, []).append((kind, latency, status))
    out["per_kind"] = {k: summary(v) for k, v in sorted(per_kind.items())}
    if endless:
        codes: dict[int, int] = {}
        for status, _ in statuses:
            codes[status] = codes.get(status, 0) + 1
        out["endless"] = {"answers": codes,
                          "p50_s": round(percentile([s for _, s in statuses], 0.5), 2)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=4, help="normal-traffic clients")
    parser.add_argument("--endless", type=int, default=8, help="endless-query clients")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per phase")
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's time limit")
    parser.add_argument("--cache", action="store_true", help="keep the response cache on")
    parser.add_argument("--client-queries", type=int, help="ad-hoc queries per client address")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the code to serve")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    options: dict = {"timeout_s": args.timeout, "cache": args.cache}
    if args.client_queries:
        options["client_queries"] = args.client_queries
    process, port = start_server(args.src, options)
    try:
        out: dict = {"options": {**options, "clients": args.clients, "endless": args.endless,
                                 "duration_s": args.duration, "src": str(args.src)}}
        asyncio.run(phase(port, args.clients, 3.0, 0, 1))  # warm-up
        cpu = tree_cpu_seconds(process.pid)
        out["alone"] = asyncio.run(phase(port, args.clients, args.duration, 0, 7))
        out["alone"]["server_cpu_s"] = round(tree_cpu_seconds(process.pid) - cpu, 1)
        cpu = tree_cpu_seconds(process.pid)
        out["with_endless"] = asyncio.run(phase(port, args.clients, args.duration, args.endless, 7))
        out["with_endless"]["server_cpu_s"] = round(tree_cpu_seconds(process.pid) - cpu, 1)
        time.sleep(args.timeout + 1)  # every endless query has passed its deadline
        cpu = tree_cpu_seconds(process.pid)
        time.sleep(3.0)
        out["cpu_s_in_3_s_after"] = round(tree_cpu_seconds(process.pid) - cpu, 2)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
