"""Load benchmark of `innovgraph serve` (not a test): concurrent clients on loopback.

Starts the server on a free loopback port (or uses --url), then runs --clients concurrent
keep-alive HTTP/1.1 clients for --duration seconds against a mix of saved queries (the REST
API, JSON and CSV), SPARQL protocol queries and page fetches (city, person, vocabulary and
ontology pages, Turtle descriptions). Reports throughput, p50/p90/p99 latency and errors,
overall and per kind of request.

    .venv/bin/python bench/load_server.py                  # 60 s, 16 clients, cache on
    .venv/bin/python bench/load_server.py --no-cache       # every request computed
    .venv/bin/python bench/load_server.py --json out.json  # also write the numbers

The client is one asyncio process with raw sockets (no HTTP library) so that it costs the
machine as little as possible; on a 2-core machine it still shares the CPU with the server,
so the numbers are a floor for what the server does alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MAYORS = """PREFIX ig: <https://w3id.org/innovgraph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?city ?name WHERE { ?t ig:post ?post ; ig:holder ?p . ?post a ig:MayorPost ;
  org:postIn/ig:administrationOf ?city . ?p schema:name ?name } ORDER BY ?city"""


def workload(cities: list[str]) -> list[tuple[str, str, str]]:
    """(kind, path, accept) triples; the mix is drawn uniformly from this list."""
    mix = []
    for slug in cities:
        mix.append(("page: city (html)", f"/id/city/{slug}", "text/html"))
        mix.append(("page: city (turtle)", f"/id/city/{slug}.ttl", "text/turtle"))
        mix.append(("api: mayors-and-innovation-officers",
                    "/api/queries/mayors-and-innovation-officers?" + urlencode(
                        {"city": f"id:city/{slug}"}), "application/json"))
    mix += [
        ("api: cities", "/api/queries/cities", "application/json"),
        ("api: cities (csv)", "/api/queries/cities.csv", "text/csv"),
        ("api: programs-by-policy-area", "/api/queries/programs-by-policy-area", "application/json"),
        ("api: cities-by-role", "/api/queries/cities-by-role?role=igv:innovation-role/data-scientist",
         "application/json"),
        ("sparql: mayors", "/sparql?query=" + quote(MAYORS), "application/sparql-results+json"),
        ("page: person", "/id/person/alexei-fursin", "text/html"),
        ("page: vocabulary", "/vocab/goal", "text/html"),
        ("page: concept", "/vocab/goal/improve-service-delivery", "text/html"),
        ("page: ontology", "/ontology", "text/html"),
        ("page: home", "/", "text/html"),
    ]
    return mix


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked body) and return its status."""
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value:
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


async def client(host: str, port: int, mix, stop_at: float, results, rng: random.Random) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop_at:
            kind, path, accept = rng.choice(mix)
            request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {accept}\r\n"
                       "Connection: keep-alive\r\n\r\n").encode()
            started = time.perf_counter()
            try:
                writer.write(request)
                ok = await read_response(reader) == 200
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                ok = False
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            results.append((kind, time.perf_counter() - started, ok))
    finally:
        writer.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarise(results, elapsed: float) -> dict:
    latencies = [r[1] for r in results]
    per_kind = defaultdict(list)
    for kind, latency, ok in results:
        per_kind[kind].append((latency, ok))
    return {
        "requests": len(results),
        "seconds": round(elapsed, 1),
        "throughput_rps": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p90_ms": round(percentile(latencies, 0.90) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "errors": sum(1 for r in results if not r[2]),
        "per_kind": {kind: {"requests": len(v),
                            "p50_ms": round(statistics.median(l for l, _ in v) * 1000, 1),
                            "p99_ms": round(percentile([l for l, _ in v], 0.99) * 1000, 1),
                            "errors": sum(1 for _, ok in v if not ok)}
                     for kind, v in sorted(per_kind.items())},
    }


def start_server(extra: list[str]) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "innovgraph", "--project", str(ROOT), "serve",
                                "--port", str(port), *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/sparql", timeout=2).close()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


async def run(url: str, clients: int, duration: float, warmup: float, seed: int) -> dict:
    from innovgraph import Project

    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    cities = sorted(p.stem for p in Project(ROOT).data_files if p.parent.name == "cities")
    mix = workload(cities)
    rng = random.Random(seed)
    if warmup > 0:  # one pass over the mix, then a short run: caches and the store warm up
        await asyncio.gather(*(client(host, port, mix, time.monotonic() + warmup, [],
                                      random.Random(rng.random())) for _ in range(clients)))
    results: list = []
    started = time.monotonic()
    await asyncio.gather(*(client(host, port, mix, started + duration, results,
                                  random.Random(rng.random())) for _ in range(clients)))
    summary = summarise(results, time.monotonic() - started)
    summary.update(clients=clients, mix_size=len(mix))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="benchmark a running server instead of starting one")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--no-cache", action="store_true", help="start the server with --no-cache")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    process = None
    url = args.url
    if url is None:
        process, url = start_server(["--no-cache"] if args.no_cache else [])
    try:
        summary = asyncio.run(run(url, args.clients, args.duration, args.warmup, args.seed))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    summary["cache"] = not args.no_cache
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
