"""Benchmark innovgraph at N synthetic cities against plain rdflib + pyshacl.

For each N it generates a project (bench/generate.py) and measures, each in its own
subprocess (so peak memory, from getrusage, is that measurement's alone):

- load: Turtle -> on-disk pyoxigraph store (`open_store`, cache emptied first), and the
  same files parsed by rdflib (`load_graph`);
- reopen: `open_store` of the unchanged project in a new process (content hash included);
- every saved query (its first example's parameters): median of repeated runs through our
  API with the result cache off, the engine's own time for the same SPARQL through raw
  pyoxigraph (the overhead ratio), a repeat answered by the result cache, and rdflib's
  engine on the rdflib graph (the baseline ratio);
- validation: full (chunked, both cores, report cache off), again with nothing changed
  (report cache), one new record (incremental), and plain pyshacl over one rdflib graph.

A baseline estimated (linearly from the previous N) to take more than ten minutes is
skipped and the table says so. Writes a markdown report (default bench/results-<N>.md);
shows a progress bar on a terminal, nothing on stderr when piped.

    .venv/bin/python bench/run.py --n 100 --n 1000 --out /tmp/bench.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASELINE_LIMIT_S = 600.0
PYTHON = sys.executable


# --------------------------------------------------------------------------- child side

def _peak_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _examples(project):
    from innovgraph.catalogue import Catalogue
    out = []
    for q in Catalogue(project).list():
        params = dict(q.examples[0]) if q.examples else {}
        # The synthetic graph has no real city: each city an example names becomes a
        # synthetic one, a different one per city (cities-side-by-side compares two).
        cities: dict[str, str] = {}

        def synthetic(match: re.Match) -> str:
            return cities.setdefault(match.group(0), f"id:city/synthetic-{len(cities)}")
        params = {k: re.sub(r"id:city/[a-z0-9-]+", synthetic, str(v)) for k, v in params.items()}
        if any(p.required and p.name not in params for p in q.params):
            continue
        out.append((q, params))
    return out


def child(task: str, root: str, arg: str) -> dict:
    from innovgraph import Project
    project = Project(root)
    started = time.perf_counter()
    if task == "load":
        import shutil
        shutil.rmtree(project.root / ".innovgraph-cache", ignore_errors=True)
        from innovgraph.store import open_store
        store = open_store(project)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "triples": store.triples_count(), "peak_mb": _peak_mb()}
    if task == "reopen":
        from innovgraph.store import open_store
        store = open_store(project)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "peak_mb": _peak_mb()}
    if task == "hash":
        project.content_hash()
        return {"seconds": time.perf_counter() - started}
    if task == "queries":
        import pyoxigraph as ox
        from innovgraph.catalogue import run_saved_query
        from innovgraph.store import GraphStore, open_store
        cached = open_store(project)
        uncached = GraphStore(cached.engine, project)  # no content hash: no result cache
        raw = cached.engine
        out = {}
        for q, params in _examples(project):
            subs = q.bind(params)
            ours, engine = [], []
            repeats = int(arg)
            for _ in range(repeats):
                t = time.perf_counter()
                run_saved_query(uncached, q.name, params)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                result = raw.query(q.text, use_default_graph_as_union=True, substitutions=subs or None)
                if isinstance(result, ox.QuerySolutions):
                    names = [v.value for v in result.variables]
                    [tuple(s[v] for v in names) for s in result]
                elif not isinstance(result, ox.QueryBoolean):
                    list(result)
                engine.append(time.perf_counter() - t)
            run_saved_query(cached, q.name, params)  # fills the result cache
            fresh = open_store(project)  # a new GraphStore: answers from the on-disk cache
            t = time.perf_counter()
            rows = len(run_saved_query(fresh, q.name, params))
            hit_disk = time.perf_counter() - t
            t = time.perf_counter()
            run_saved_query(fresh, q.name, params)
            hit_memory = time.perf_counter() - t
            out[q.name] = {"ours": statistics.median(ours), "engine": statistics.median(engine),
                           "cached_disk": hit_disk, "cached_memory": hit_memory, "rows": rows}
        # The same queries on an in-memory store (`innovgraph serve --in-memory`): pyoxigraph's
        # on-disk store decodes every term from RocksDB, several times slower.
        del cached, uncached, raw
        t = time.perf_counter()
        memory = open_store(project, in_memory=True)
        memory_load = time.perf_counter() - t
        for q, params in _examples(project):
            times = []
            for _ in range(int(arg)):
                t = time.perf_counter()
                run_saved_query(memory, q.name, params)
                times.append(time.perf_counter() - t)
            out[q.name]["memory"] = statistics.median(times)
        return {"queries": out, "memory_load_s": memory_load, "peak_mb": _peak_mb()}
    if task == "rdflib-load":
        from innovgraph.sources import load_graph
        graph = load_graph(project)
        return {"seconds": time.perf_counter() - started, "triples": len(graph), "peak_mb": _peak_mb()}
    if task == "rdflib-queries":
        from rdflib import Literal, URIRef
        from innovgraph.sources import load_graph
        graph = load_graph(project)
        skip = set(json.loads(arg))
        out = {}
        for q, params in _examples(project):
            if q.name in skip:
                continue
            binds = {}
            for var, term in q.bind(params).items():
                import pyoxigraph as ox
                binds[var.value] = URIRef(term.value) if isinstance(term, ox.NamedNode) else \
                    Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))
            import signal

            def too_long(*_):
                raise TimeoutError
            signal.signal(signal.SIGALRM, too_long)
            signal.alarm(int(BASELINE_LIMIT_S))  # a safety net when no smaller N gave an estimate
            t = time.perf_counter()
            try:
                len(graph.query(q.text, initBindings=binds))
            except TimeoutError:
                out[q.name] = f"error: stopped after {BASELINE_LIMIT_S:.0f} s"
                continue
            except Exception as exc:  # rdflib cannot run every query (e.g. COUNT(DISTINCT) over OPTIONAL)
                out[q.name] = f"error: {type(exc).__name__}"
                continue
            finally:
                signal.alarm(0)
            out[q.name] = time.perf_counter() - t
        return {"queries": out, "peak_mb": _peak_mb()}
    if task in ("validate-full", "validate-again", "validate-plain"):
        from innovgraph.validation import validate
        if task == "validate-plain":
            report = validate(project, fast=False)
        else:
            if task == "validate-full":  # computed from scratch, then cached for the next runs
                import shutil
                shutil.rmtree(project.root / ".innovgraph-cache" / "validation", ignore_errors=True)
            report = validate(project, jobs=int(arg) or None)
        return {"seconds": time.perf_counter() - started, "results": len(report.results),
                "peak_mb": _peak_mb()}
    if task == "validate-one":
        from innovgraph.validation import validate
        validate(project)  # the base report, from the cache (the full run wrote it)
        started = time.perf_counter()
        report = validate(project, [arg])
        return {"seconds": time.perf_counter() - started, "results": len(report.results),
                "peak_mb": _peak_mb()}
    raise SystemExit(f"unknown task {task}")


# --------------------------------------------------------------------------- parent side

def measure(task: str, root: Path, arg: str = "", env: dict | None = None,
            timeout: float | None = None) -> dict:
    try:
        proc = subprocess.run([PYTHON, __file__, "--child", task, str(root), arg],
                              capture_output=True, text=True, env={**os.environ, **(env or {})},
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "stopped_after": timeout, "results": None, "peak_mb": None,
                "triples": None, "queries": {}}
    if proc.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


class Progress:
    def __init__(self, total: int) -> None:
        self.bar = None
        if sys.stderr.isatty():
            import click
            self.bar = click.progressbar(length=total, label="Benchmark", file=sys.stderr,
                                         item_show_func=lambda s: s)
            self.bar.__enter__()

    def step(self, label: str) -> None:
        if self.bar is not None:
            self.bar.update(1, label)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def run_n(n: int, workdir: Path, previous: dict | None, progress: Progress, *, repeats: int,
          jobs: int, quick: bool = False, validation: bool = True) -> dict:
    sys.path.insert(0, str(HERE))
    from generate import city_record, make_project, read_vocab

    root = workdir / f"n{n}"
    started = time.perf_counter()
    make_project(root, n)
    out: dict = {"n": n, "generate_s": time.perf_counter() - started, "skipped": {}}
    progress.step(f"N={n}: generated")
    # The OWL 2 RL inferences are not part of the store build (they get their own store, built
    # by the first query that names the inferred graph); no saved query but one does, and the
    # limit keeps that one from materialising them mid-measurement. docs/quality.md has
    # their cost.
    env = {"INNOVGRAPH_INFERENCE_LIMIT": "0"}
    out["load"] = measure("load", root, env=env)
    progress.step(f"N={n}: loaded")
    out["reopen"] = measure("reopen", root, env=env)
    out["hash"] = measure("hash", root, env=env)
    progress.step(f"N={n}: reopened")
    out["queries"] = measure("queries", root, str(repeats), env=env)
    progress.step(f"N={n}: queries")

    def estimate(key: str, value: float | None) -> float | None:
        if previous is None or value is None:
            return None
        return value * n / previous["n"]

    prev = previous or {}
    est = estimate("rdflib_load", _secs(prev.get("rdflib_load")))
    if quick:
        out["skipped"]["baselines"] = float("nan")
    _baseline(out, "rdflib_load", "rdflib_load", est, quick,
              lambda: measure("rdflib-load", root, env=env, timeout=BASELINE_LIMIT_S))
    progress.step(f"N={n}: rdflib load")
    skip = []
    for name, seconds in (prev.get("rdflib_queries") or {}).get("queries", {}).items():
        if isinstance(seconds, str):
            if "stopped" in seconds:
                skip.append(name)
                out["skipped"][f"rdflib query {name}"] = float("inf")
            continue
        e = estimate(name, seconds)
        if e is not None and e > BASELINE_LIMIT_S:
            skip.append(name)
            out["skipped"][f"rdflib query {name}"] = e
    for name in prev.get("rdflib_skipped_queries", []):
        if name not in skip:
            skip.append(name)
            out["skipped"][f"rdflib query {name}"] = float("inf")
    total_prev = sum(v for k, v in (prev.get("rdflib_queries") or {}).get("queries", {}).items()
                     if k not in skip and not isinstance(v, str))
    if quick or out["rdflib_load"] is None:
        out["rdflib_queries"] = None
        if not quick:
            out["skipped"]["rdflib queries"] = estimate("q", total_prev) or float("inf")
    else:
        out["rdflib_queries"] = measure("rdflib-queries", root, json.dumps(skip), env=env,
                                        timeout=4 * BASELINE_LIMIT_S)
    out["rdflib_skipped_queries"] = skip
    progress.step(f"N={n}: rdflib queries")
    if not validation:
        out["skipped"]["validation"] = float("nan")
        out.update(validate_full=None, validate_again=None, validate_one=None, validate_plain=None)
        for _ in range(3):
            progress.step(f"N={n}: validation skipped")
        return out
    out["validate_full"] = measure("validate-full", root, str(jobs), env=env)
    out["validate_again"] = measure("validate-again", root, str(jobs), env=env)
    progress.step(f"N={n}: validation")
    draft_dir = Path(tempfile.mkdtemp(prefix="bench-draft-"))
    draft = draft_dir / f"synthetic-{n}.ttl"
    draft.write_text(city_record(n, read_vocab()), encoding="utf-8")
    try:
        out["validate_one"] = measure("validate-one", root, str(draft), env=env)
    finally:
        shutil.rmtree(draft_dir, ignore_errors=True)
    progress.step(f"N={n}: incremental")
    est = estimate("plain", _secs(prev.get("validate_plain")))
    _baseline(out, "validate_plain", "plain pyshacl", est, quick,
              lambda: measure("validate-plain", root, env=env, timeout=BASELINE_LIMIT_S))
    progress.step(f"N={n}: plain pyshacl")
    return out


def _baseline(out: dict, key: str, label: str, estimate_s: float | None, quick: bool, run) -> None:
    """out[key] = run(), unless --quick or the estimate is over the limit: then None, and the
    estimate recorded under out["skipped"][label]."""
    if quick or estimate_s is not None and estimate_s > BASELINE_LIMIT_S:
        out["skipped"][label] = estimate_s
        out[key] = None
    else:
        out[key] = run()


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "skipped"
    if seconds == float("inf"):
        return f"> {BASELINE_LIMIT_S:.0f} s (stopped)"
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def _secs(entry: dict | None) -> float | None:
    """Seconds of a measurement: None when skipped, inf when stopped at the time limit."""
    if not entry:
        return None
    return float("inf") if entry.get("stopped_after") else entry.get("seconds")


def _mb(entry: dict | None) -> str:
    return f"{entry['peak_mb']:.0f} MB" if entry and entry.get("peak_mb") else "–"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    if a == float("inf"):
        return f"> {BASELINE_LIMIT_S / b:.0f}x"
    return f"{a / b:.1f}x"


def report(runs: list[dict]) -> str:
    import pyoxigraph
    import pyshacl
    import rdflib
    lines = [f"Machine: {os.cpu_count()} cores, {_ram_gb():.0f} GB RAM, Python {platform.python_version()}, "
             f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, pyshacl {pyshacl.__version__}; "
             f"load average at the end {os.getloadavg()[0]:.1f}.", ""]
    head = "| | " + " | ".join(f"N = {r['n']:,}" for r in runs) + " |"
    lines += [head, "|---|" + "---:|" * len(runs)]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in runs) + " |")

    row("triples (distinct)", lambda r: f"{r['load']['triples']:,}")
    row("load, Turtle -> store (ours)", lambda r: _fmt_s(r["load"]["seconds"]))
    row("load, rdflib parse (baseline)", lambda r: _fmt_s(_secs(r["rdflib_load"])))
    row("load speed-up", lambda r: _ratio(_secs(r["rdflib_load"]), r["load"]["seconds"]))
    row("peak memory, load (ours / rdflib)", lambda r: f"{_mb(r['load'])} / {_mb(r['rdflib_load'])}")
    row("store reopen, new process (content hash included)", lambda r: _fmt_s(r["reopen"]["seconds"]))
    row("content hash alone", lambda r: _fmt_s(r["hash"]["seconds"]))
    row("full validation, chunked, 2 processes (ours)", lambda r: _fmt_s(_secs(r["validate_full"])))
    row("full validation, plain pyshacl (baseline)", lambda r: _fmt_s(_secs(r["validate_plain"])))
    def share(r) -> str:
        ours, plain = _secs(r["validate_full"]), _secs(r["validate_plain"])
        if not ours or not plain:
            return "–"
        if plain == float("inf"):  # stopped at the limit: ours is at most this share
            return f"< {ours / BASELINE_LIMIT_S:.0%}"
        return f"{ours / plain:.0%}"

    row("ours / plain", share)
    row("results (ours / plain)", lambda r: f"{(r['validate_full'] or {}).get('results', '–')} / "
        + (str(r["validate_plain"]["results"]) if (r["validate_plain"] or {}).get("results") is not None else "–"))
    row("re-validation, nothing changed", lambda r: _fmt_s(_secs(r["validate_again"])))
    row("incremental validation of one new record", lambda r: _fmt_s(_secs(r["validate_one"])))
    row("peak memory, validation (ours, parent / plain)",
        lambda r: f"{_mb(r['validate_full'])} / {_mb(r['validate_plain'])}")
    for r in runs:
        memory = "memory_load_s" in r["queries"]
        lines += ["", f"Saved queries at N = {r['n']:,}, median of the runs: ours = `run_saved_query` on the "
                  "on-disk store with the result cache off; engine = the same SPARQL straight to pyoxigraph; "
                  + ("in memory = ours on an in-memory store (`serve --in-memory`, loaded in "
                     f"{_fmt_s(r['queries']['memory_load_s'])}); " if memory else "")
                  + "cache = the same query again from the on-disk result cache in a new process; "
                  "rdflib = rdflib's engine on an rdflib graph of the same triples.", ""]
        head = ["query", "rows", "ours", "engine", "ours / engine"]
        head += ["in memory"] if memory else []
        head += ["cache", "rdflib", "rdflib / ours"]
        head += ["rdflib / in memory"] if memory else []
        lines += ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
        for name in sorted(r["queries"]["queries"]):
            q = r["queries"]["queries"][name]
            rd = ((r["rdflib_queries"] or {}).get("queries") or {}).get(name)
            if isinstance(rd, str):
                rd_text, rd_num = rd.replace("error: ", "rdflib error "), None
            else:
                rd_text, rd_num = (_fmt_s(rd), rd) if rd else ("skipped", None)
            cells = [name, f"{q['rows']:,}", _fmt_s(q["ours"]), _fmt_s(q["engine"]),
                     f"{q['ours'] / q['engine']:.2f}x"]
            cells += [_fmt_s(q.get("memory"))] if memory else []
            cells += [_fmt_s(q["cached_disk"]), rd_text, _ratio(rd_num, q["ours"])]
            cells += [_ratio(rd_num, q.get("memory"))] if memory else []
            lines.append("| " + " | ".join(cells) + " |")
    skipped = [(r["n"], what, est) for r in runs for what, est in r["skipped"].items()
               if not ("baselines" in r["skipped"] and what != "baselines")]
    if skipped:
        lines += ["", "Skipped measurements (baselines estimated linearly from the previous N):", ""]
        lines += [f"- N = {n:,}: {what}, " + ("not run (--no-validation)" if what == "validation" else
                  "not run (--quick)" if est is None or est != est else
                  "skipped at the previous N" if est == float("inf") else f"estimated {est:.0f} s")
                  for n, what, est in skipped]
    return "\n".join(lines) + "\n"


def _ram_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    except (ValueError, OSError):
        return 0.0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        print(json.dumps(child(argv[1], argv[2], argv[3] if len(argv) > 3 else "")))
        return 0
    parser = argparse.ArgumentParser(description="Benchmark innovgraph against rdflib + pyshacl.")
    parser.add_argument("--n", type=int, action="append",
                        help="number of cities (repeatable) [default: 100, 1000, 10000, 100000]")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "innovgraph-bench",
                        help="where the synthetic projects are written (never under data/)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--jobs", type=int, default=0, help="validation worker processes [default: cores]")
    parser.add_argument("--out", type=Path, help="markdown report [default: bench/results-<N>.md]")
    parser.add_argument("--json", type=Path, help="also write the raw numbers as JSON")
    parser.add_argument("--previous", type=Path,
                        help="JSON of an earlier run at smaller N (--json): its numbers go in the "
                             "table and give the estimates for skipping baselines")
    parser.add_argument("--no-validation", action="store_true",
                        help="load and queries only (for N = 100,000, where full validation "
                             "takes hours on two cores)")
    parser.add_argument("--quick", action="store_true",
                        help="ours only, no rdflib/pyshacl baselines (the test suite's smoke run)")
    args = parser.parse_args(argv)
    sizes = sorted(args.n or [100, 1000, 10_000, 100_000])
    progress = Progress(len(sizes) * 9)
    seeded = json.loads(args.previous.read_text(encoding="utf-8")) if args.previous else []
    runs, previous = [], (seeded[-1] if seeded else None)
    try:
        for n in sizes:
            previous = run_n(n, args.workdir, previous, progress, repeats=args.repeats, jobs=args.jobs,
                             quick=args.quick, validation=not args.no_validation)
            runs.append(previous)
            if args.json:
                args.json.write_text(json.dumps(seeded + runs, indent=1, default=str), encoding="utf-8")
    finally:
        progress.close()
    text = report(seeded + runs)
    out = args.out or HERE / f"results-{'-'.join(str(n) for n in sizes)}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
