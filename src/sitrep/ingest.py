"""Ingest: read inputs, skip what is stored or duplicated, extract (in parallel if asked), write in batches.

Safe to kill at any moment: each batch of articles is one transaction, an input already stored with
the same content is skipped on the next run, and failures are recorded to retry.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitrep import dedup, errors
from sitrep.sources import Article, Failure, Item, iter_inputs
from sitrep.store import Store
from sitrep.store.failpoints import failpoint


@dataclass
class IngestStats:
    ok: int = 0
    failed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    sources: Counter[str] = field(default_factory=Counter)  # readers' counts: WARC records skipped, feed items...
    started: float = field(default_factory=time.monotonic)

    @property
    def seen(self) -> int:
        return self.ok + self.failed + self.unchanged + self.duplicates


class Progress:
    """A progress line on a terminal; plain log lines every few seconds otherwise."""

    def __init__(self, stream=sys.stderr, every: float = 5.0, enabled: bool = True) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.every = every
        self.enabled = enabled
        self._last = 0.0

    def update(self, stats: IngestStats, total: int | None = None, final: bool = False) -> None:
        if not self.enabled or (final and not self.tty):
            return
        now = time.monotonic()
        if not final and now - self._last < (0.2 if self.tty else self.every):
            return
        self._last = now
        elapsed = max(now - stats.started, 1e-6)
        rate = stats.ok / elapsed
        eta = ""
        if total and rate > 0:
            eta = f", ETA {max(0, total - stats.seen) / max(stats.seen / elapsed, 1e-6):.0f}s"
        line = (f"{stats.ok} extracted, {stats.unchanged} unchanged, {stats.duplicates} duplicates, "
                f"{stats.failed} failed; {rate:.1f} articles/s{eta}")
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        else:
            self.stream.write(f"sitrep: {line}\n")
        self.stream.flush()


# -- worker processes ---------------------------------------------------------------------------
_WORKER: Any = None


def _init_worker(model: str | None, aliases: list[str] | None, batch_size: int) -> None:
    global _WORKER
    from sitrep.api import Extractor

    _WORKER = Extractor(model=model, aliases=aliases, batch_size=batch_size)


def _run_chunk(articles: list[Article]) -> list[Any]:
    return list(_WORKER.run(articles))


def _extract_parallel(chunks: Iterable[list[Article]], workers: int, model: str | None,
                      aliases: list[str] | None, batch_size: int) -> Iterator[list[Any]]:
    import multiprocessing as mp

    ctx = mp.get_context("forkserver" if sys.platform != "win32" else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(model, aliases, batch_size)) as pool:
        pending: deque = deque()
        for chunk in chunks:  # at most 2 chunks in flight per worker: memory stays bounded
            pending.append(pool.apply_async(_run_chunk, (chunk,)))
            while len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest(store: Store, paths: Iterable[str], *, published: str | None = None, workers: int = 1,
           batch_size: int = 32, aliases: list[str] | None = None, model: str | None = None,
           on_failure: Callable[[Failure], None] | None = None, progress: Progress | None = None,
           near_dedup: bool = True) -> IngestStats:
    stats = IngestStats()
    near = dedup.NearDuplicates() if near_dedup else None
    if near is not None:
        for key, blob in store.signatures():
            near.add(key, near.from_bytes(blob))
    meta: dict[str, tuple[str, bytes | None]] = {}
    batch_hashes: dict[str, str] = {}
    # duplicates of a first copy still being extracted in this run: linked once it is stored
    waiting: list[tuple[str, str, str, float]] = []

    def fail(failure: Failure) -> None:
        stats.failed += 1
        stats.failures.append(failure)
        store.add_failure(failure)
        if on_failure:
            on_failure(failure)

    def fresh(items: Iterable[Item]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, Failure):
                fail(item)
                continue
            h = dedup.content_hash(item.text)
            if store.stored_hash(item.id) == h or store.is_duplicate(item.id):
                stats.unchanged += 1  # stored by an earlier run: re-ingesting adds nothing
                continue
            first = store.find_hash(h)
            if first is not None and first[1] != item.id:
                store.add_duplicate(item.id, first[0], "exact", 1.0)
                stats.duplicates += 1
                continue
            if batch_hashes.get(h, item.id) != item.id:
                waiting.append((item.id, batch_hashes[h], "exact", 1.0))
                stats.duplicates += 1
                continue
            blob = None
            if near is not None:
                mh = near.signature(item.text)
                match = near.match(mh)
                if match is not None and match[0] != item.id:
                    first_id = store.article_id(match[0])
                    if first_id is not None:
                        store.add_duplicate(item.id, first_id, "near", match[1])
                    else:
                        waiting.append((item.id, match[0], "near", match[1]))
                    stats.duplicates += 1
                    continue
                near.add(item.id, mh)
                blob = near.to_bytes(mh)
            meta[item.id] = (h, blob)
            batch_hashes[h] = item.id
            yield item

    articles = fresh(iter_inputs(paths, published, stats=stats.sources))
    if workers > 1:  # a small batch is not worth starting worker processes for
        head = list(itertools.islice(articles, workers * batch_size))
        articles = itertools.chain(head, articles)
        if len(head) < workers * batch_size:
            workers = 1
    if workers > 1:
        results: Iterable[list[Any]] = _extract_parallel(_chunks(articles, batch_size), workers, model, aliases,
                                                         batch_size)
    else:
        from sitrep.api import Extractor

        extractor = Extractor(model=model, aliases=aliases, batch_size=batch_size)
        results = (list(extractor.run(chunk)) for chunk in _chunks(articles, batch_size))
    for chunk_results in results:
        batch = []
        for result in chunk_results:
            if isinstance(result, Failure):
                meta.pop(result.input, None)
                fail(result)
                continue
            h, blob = meta.pop(result["article"]["id"], (None, None))
            batch.append((result, h, blob))
        if batch:
            store.add_many(batch)
            stats.ok += len(batch)
            failpoint("after_commit", stats.ok)
        waiting[:] = [w for w in waiting if not _link(store, *w)]
        if progress:
            progress.update(stats)
    for input_id, first, _kind, _sim in waiting:  # the first copy failed: keep this one to retry
        stats.duplicates -= 1
        fail(Failure(input_id, errors.DUPLICATE_OF_FAILED, f"duplicate of {first}, which failed; retry to extract this copy",
                     input_id))
    if progress:
        progress.update(stats, final=True)
    return stats


def merge(store: Store, results: Iterable[Any], *, batch_size: int = 64, near_dedup: bool = True,
          on_failure: Callable[[Failure], None] | None = None, progress: Progress | None = None) -> IngestStats:
    """Load results extracted elsewhere (Dask shard outputs) into the store, with the same dedup rules:
    an input already stored with the same content is left alone; exact and near copies are linked."""
    stats = IngestStats()
    near = dedup.NearDuplicates() if near_dedup else None
    if near is not None:
        for key, blob in store.signatures():
            near.add(key, near.from_bytes(blob))
    batch: list[tuple[dict[str, Any], str | None, bytes | None]] = []
    hashes: dict[str, str] = {}
    waiting: list[tuple[str, str, str, float]] = []

    def flush() -> None:
        if batch:
            store.add_many(batch)
            stats.ok += len(batch)
            batch.clear()
            failpoint("after_commit", stats.ok)
        waiting[:] = [w for w in waiting if not _link(store, *w)]
        if progress:
            progress.update(stats)

    for result in results:
        if isinstance(result, Failure):
            stats.failed += 1
            stats.failures.append(result)
            store.add_failure(result)
            if on_failure:
                on_failure(result)
            continue
        input_id = result["article"]["id"]
        h = dedup.content_hash(result["article"]["text"])
        if store.stored_hash(input_id) == h or store.is_duplicate(input_id):
            stats.unchanged += 1
            continue
        first = store.find_hash(h)
        if first is not None and first[1] != input_id:
            store.add_duplicate(input_id, first[0], "exact", 1.0)
            stats.duplicates += 1
            continue
        if hashes.get(h, input_id) != input_id:
            waiting.append((input_id, hashes[h], "exact", 1.0))
            stats.duplicates += 1
            continue
        blob = None
        if near is not None:
            mh = near.signature(result["article"]["text"])
            match = near.match(mh)
            if match is not None and match[0] != input_id:
                waiting.append((input_id, match[0], "near", match[1]))
                stats.duplicates += 1
                continue
            near.add(input_id, mh)
            blob = near.to_bytes(mh)
        hashes[h] = input_id
        batch.append((result, h, blob))
        if len(batch) >= batch_size:
            flush()
    flush()
    if progress:
        progress.update(stats, final=True)
    return stats


def _link(store: Store, input_id: str, first: str, kind: str, similarity: float) -> bool:
    first_id = store.article_id(first)
    if first_id is None:
        return False
    store.add_duplicate(input_id, first_id, kind, similarity)
    return True


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
