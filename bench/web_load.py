"""Load on `sitrep serve`: wrk --latency (one thread), 16 connections for 30 s per endpoint on loopback, over a store of at
least 20,000 articles.

The store: real articles from ../shared (as in ingest_throughput.py) go through `sitrep ingest`, then their
rows (articles and every fact) are copied with new ids and shifted dates until the store holds --articles.
Run by hand (needs `wrk`, from Debian's package):

    python bench/web_load.py [--articles 20000] [--seed-articles 1000] [--duration 30] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_throughput import load_corpus  # noqa: E402

P90_MS, P99_MS = 100.0, 250.0
ENDPOINTS = [
    ("articles, newest", "/api/articles?limit=50"),
    ("articles, page 100", "/api/articles?limit=50&offset=5000"),
    ("figures, newest", "/api/figures?limit=50"),
    ("figures, killed, by date", "/api/figures?category=killed&sort=-date&limit=50"),
    ("events, newest", "/api/events?limit=50"),
    ("places, most named", "/api/places?limit=50"),
    ("search, common word", "/api/search?q=killed&limit=20"),
    ("search, two words", "/api/search?q=police%20protest&limit=20"),
    ("search, 60 queries in turn", "/api/search?limit=20&q="),
]
# the last endpoint takes its query from this list, one after another (a wrk Lua script)
QUERIES = ["killed", "displaced", "refugees", "police", "protest", "army", "rebels", "floods", "earthquake",
           "hospital", "election", "court", "fire", "storm", "attack", "bomb", "troops", "camp", "aid", "food",
           "cholera", "outbreak", "shelling", "border", "village", "school", "church", "governor", "mayor",
           "president", "minister", "militia", "drought", "landslide", "evacuated", "injured", "missing",
           "arrested", "killed soldiers", "police protest", "flood victims", "aid workers", "city council",
           "state police", "county sheriff", "river", "bridge", "highway", "prison", "strike", "riot", "clashes",
           "ceasefire", "negotiations", "sanctions", "oil", "water", "power", "virus", "vaccine"]


def _sitrep() -> list[str]:
    script = Path(sys.executable).parent / "sitrep"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "sitrep.cli"]


def build_store(db: Path, n: int, seed_articles: int, workers: int) -> int:
    """Ingest real articles, then copy them until the store holds ``n`` articles; returns the count."""
    articles, _counts, _dropped = load_corpus(seed_articles)
    rng = random.Random(7)
    shard = db.parent / "seed.jsonl"
    with shard.open("w", encoding="utf-8") as fh:
        for i, a in enumerate(articles):
            day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            fh.write(json.dumps({"id": f"seed-{i:05d}", "title": a["title"], "text": a["text"], "published": day},
                                ensure_ascii=False) + "\n")
    t = time.perf_counter()
    subprocess.run(_sitrep() + ["ingest", str(shard), "--db", str(db), "--workers", str(workers), "-q"], check=True)
    print(f"ingested {len(articles)} real articles in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    con = sqlite3.connect(db)
    base = con.execute("SELECT max(id) FROM articles").fetchone()[0]
    have = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    tables = ["figures", "quotes", "places", "actors", "events"]
    cols = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] not in {"id", "article_id"}]
            for t in tables + ["articles"]}
    k = 0
    t = time.perf_counter()
    while have < n:
        k += 1
        off = k * base
        art = [c for c in cols["articles"] if c not in {"input_id", "published", "content_hash", "minhash"}]
        with con:
            con.execute(
                f"INSERT INTO articles (id, input_id, published, {', '.join(art)}) "
                f"SELECT id + ?, input_id || '~' || ?, date(published, '+' || ? || ' days'), {', '.join(art)} "
                "FROM articles WHERE id <= ? LIMIT ?", (off, k, k, base, n - have))
            for table in tables:
                c = ", ".join(f'"{x}"' for x in cols[table])
                con.execute(f"INSERT INTO {table} (article_id, {c}) SELECT article_id + ?, {c} FROM {table} "
                            "WHERE article_id <= ? AND article_id + ? IN (SELECT id FROM articles)", (off, base, off))
        have = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.execute("ANALYZE")
    con.close()
    print(f"copied to {have} articles in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return have


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_LAT = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _rotating_script(folder: Path) -> Path:
    """A wrk Lua script that appends the next query of QUERIES to the URL on each request."""
    quoted = ", ".join('"' + q.replace(" ", "%20") + '"' for q in QUERIES)
    script = folder / "rotate.lua"
    script.write_text(f"local q = {{{quoted}}}\nlocal i = 0\nrequest = function()\n  i = i % #q + 1\n"
                      "  return wrk.format(nil, wrk.path .. q[i])\nend\n", encoding="utf-8")
    return script


def wrk(url: str, duration: int, connections: int, script: Path | None = None) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    lat = {p: _ms(v, u) for p, v, u in _LAT.findall(out)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    errors = (int(non2xx[1]) if non2xx else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    return {"p50": lat.get("50"), "p75": lat.get("75"), "p90": lat.get("90"), "p99": lat.get("99"),
            "rps": float(rps[1]) if rps else 0.0, "requests": int(total[1]) if total else 0, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--seed-articles", type=int, default=1000)
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2, help="server processes (and ingest workers)")
    ap.add_argument("--db", type=Path, help="reuse this store (built if missing)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("error: wrk is not installed (apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="sitrep-web-"))
    db = args.db or tmp / "web.db"
    count = (sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
             if db.exists() else build_store(db, args.articles, args.seed_articles, args.workers))
    port = _free_port()
    server = subprocess.Popen(_sitrep() + ["serve", "--db", str(db), "--port", str(port), "--workers",
                                           str(args.workers)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        for _, path in ENDPOINTS:  # warm each worker's connection and page cache
            for _ in range(4):
                urllib.request.urlopen(base + path + ("killed" if path.endswith("=") else ""), timeout=30).read()
        rotate = _rotating_script(tmp)
        rows = []
        for name, path in ENDPOINTS:
            r = wrk(base + path, args.duration, args.connections, rotate if path.endswith("=") else None)
            r.update(endpoint=name, path=path)
            rows.append(r)
            print(f"  {name}: p90 {r['p90']:.1f} ms, p99 {r['p99']:.1f} ms, {r['rps']:.0f} req/s, "
                  f"{r['errors']} errors", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nstore: {count:,} articles (SQLite); server: sitrep serve --workers {args.workers}; "
          f"wrk -t1 -c{args.connections} -d{args.duration}s --latency, loopback, on {os.cpu_count()} cores")
    print(f"{'endpoint':<28} {'path':<52} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for r in rows:
        print(f"{r['endpoint']:<28} {r['path']:<52} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p90']:>7.1f} "
              f"{r['p99']:>7.1f} {r['errors']:>6}")
    ok = all(r["errors"] == 0 and r["p90"] < P90_MS and r["p99"] < P99_MS for r in rows) and count >= 20000
    print(f"targets (>= 20,000 articles, zero errors, p90 < {P90_MS:.0f} ms, p99 < {P99_MS:.0f} ms): "
          f"{'PASS' if ok else 'FAIL'}")
    if args.json:
        args.json.write_text(json.dumps({"articles": count, "rows": rows, "pass": ok}, indent=1))
    if not args.db:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
