"""The Dask engine: one task per shard (a JSONL or WARC file), each writing one output file.

``run(shards, out_dir)`` connects to a Dask scheduler (``tcp://host:port``), or starts a local cluster of
worker processes on 127.0.0.1, and submits :func:`process_shard` once per shard. Each task reads its
shard with :func:`sitrep.sources.iter_inputs`, extracts every article and writes **one** JSON Lines file
into ``out_dir``, then the caller merges the outputs into the store (:func:`iter_outputs` reads them back
for :func:`sitrep.ingest.merge`).

Output file, ``<shard stem>.<sha1 of the shard's absolute path, 16 hex>.jsonl``:

- one line per article: the full contract dict (``schema: "sitrep/1"``);
- one line per failure: ``{"failure": {"input", "code", "reason", "retry"}}``;
- a last line, the footer: ``{"shard": {"format", "path", "size", "mtime_ns", "published", "model",
  "articles", "failures"}}``.

The file is written under a temporary name and renamed (``os.replace``) when complete, so an output
either is whole or does not exist; its name depends only on the shard's path, so a re-run overwrites it
rather than adding a copy. A shard whose output exists with a footer matching the shard as it is now
(same size and modification time, same ``published`` and model) is skipped: a killed run resumes where
it stopped. Inputs that are not files (a JSONL line ``path:N`` or a WARC record ``path@offset`` retried
from a failure, a URL, a path that does not exist) are always read again. The footer holds nothing that varies between runs, so the same shard gives the same bytes.

The model is loaded once per worker process: a module-level cache (:func:`_extractor`), filled by the
first task a process runs and reused by every later one. A cache rather than a Dask ``WorkerPlugin``
because it needs no registration, so it works on any scheduler (one this module did not start, workers
started by ``dask worker``), and it costs nothing on a worker that only skips completed shards. Tasks in
one process take a lock while extracting: give workers one thread each (``--nthreads 1``); more threads
in a process would only queue behind it.

Workers of a remote scheduler must see the shard paths and ``out_dir`` at the same absolute paths (a
shared file system) and have sitrep installed; ``SITREP_*`` settings are read on the workers.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sitrep import errors, settings
from sitrep.errors import SitrepError
from sitrep.sources import Failure

FORMAT = "sitrep-shard/1"
MISSING_DASK = "E501"  # dask / distributed not installed
TASK_FAILED = "E502"  # a shard task raised (a bug, a worker that died): re-run to resume
BAD_OUTPUT = "E503"  # a shard output that is not complete or not ours
NO_SCHEDULER = "E504"  # the scheduler given cannot be reached

# -- the per-process model cache ------------------------------------------------------------------
_EXTRACTOR: Any = None
_EXTRACTOR_KEY: str | None = None
_BUILT = 0  # Extractors constructed in this process (the tests check it stays 1 per worker)
_LOCK = threading.Lock()


def _extractor(batch_size: int) -> Any:
    """This process's Extractor, built on first use (call with ``_LOCK`` held)."""
    global _EXTRACTOR, _EXTRACTOR_KEY, _BUILT
    model = settings.get("model")
    if _EXTRACTOR is None or _EXTRACTOR_KEY != model:
        from sitrep.api import Extractor

        _EXTRACTOR = Extractor(model=model, batch_size=batch_size)
        _EXTRACTOR_KEY = model
        _BUILT += 1
    _EXTRACTOR.batch_size = batch_size  # a different batch size needs no new model
    return _EXTRACTOR


# -- one shard --------------------------------------------------------------------------------------
def output_name(shard: str) -> str:
    """The output file name for ``shard``: its stem, then the sha1 of its absolute path."""
    absolute = shard if "://" in shard else os.path.abspath(shard)
    digest = hashlib.sha1(absolute.encode("utf-8")).hexdigest()[:16]
    stem = Path(absolute.rstrip("/")).name.split(".", 1)[0] or "shard"
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem)[:60]
    return f"{stem}.{digest}.jsonl"


def _shard_state(shard: str, published: str | None) -> dict[str, Any]:
    """What the footer records about the shard, to tell whether an output is still current."""
    try:
        st = os.stat(shard)
        size, mtime = st.st_size, st.st_mtime_ns
    except OSError:
        size = mtime = None
    return {"format": FORMAT, "path": shard, "size": size, "mtime_ns": mtime, "published": published,
            "model": settings.get("model")}


def _last_line(path: str | os.PathLike[str]) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        end = fh.tell()
        chunk = b""
        pos = end
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            chunk = fh.read(step) + chunk
            body = chunk.rstrip(b"\n")
            if b"\n" in body or pos == 0:
                return body.rsplit(b"\n", 1)[-1]
        return b""


def read_footer(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The footer of a shard output, or None if the file is absent, incomplete or not a shard output."""
    try:
        line = _last_line(path)
        footer = json.loads(line)
    except (OSError, ValueError):
        return None
    if isinstance(footer, dict) and isinstance(footer.get("shard"), dict) \
            and footer["shard"].get("format") == FORMAT:
        return footer["shard"]
    return None


def _summary(shard: str, output: str, footer: dict[str, Any], seconds: float, skipped: bool) -> dict[str, Any]:
    return {"shard": shard, "output": output, "articles": footer["articles"], "failures": footer["failures"],
            "seconds": round(seconds, 3), "skipped": skipped, "pid": os.getpid(), "extractors_built": _BUILT}


def process_shard(shard: str, out_dir: str, published: str | None = None, batch_size: int = 32) -> dict:
    """Extract one shard into one JSON Lines file in ``out_dir``; skip it if already done.

    Runs on a Dask worker (or anywhere). Returns ``{shard, output, articles, failures, seconds, skipped,
    pid, extractors_built}``: ``pid`` is the process that ran it and ``extractors_built`` how many times
    that process has loaded the model so far.
    """
    from sitrep.sources import iter_inputs

    started = time.perf_counter()
    shard = shard if "://" in shard else os.path.abspath(shard)
    os.makedirs(out_dir, exist_ok=True)
    output = os.path.join(os.path.abspath(out_dir), output_name(shard))
    state = _shard_state(shard, published)
    footer = read_footer(output)
    if footer is not None and state["size"] is not None and all(footer.get(k) == v for k, v in state.items()):
        return _summary(shard, output, footer, time.perf_counter() - started, skipped=True)

    tmp = f"{output}.{os.getpid()}.{threading.get_ident()}.tmp"
    articles = failures = 0
    try:
        with _LOCK, open(tmp, "w", encoding="utf-8") as fh:
            extractor = _extractor(batch_size)
            for result in extractor.run(iter_inputs([shard], published)):
                if isinstance(result, Failure):
                    failures += 1
                    line = {"failure": {"input": result.input, "code": result.code, "reason": result.reason,
                                        "retry": result.retry}}
                else:
                    articles += 1
                    line = result
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            footer = {**state, "articles": articles, "failures": failures}
            fh.write(json.dumps({"shard": footer}, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return _summary(shard, output, footer, time.perf_counter() - started, skipped=False)


# -- the driver -------------------------------------------------------------------------------------
def _dask() -> Any:
    try:
        import dask  # noqa: F401
        from dask import distributed
    except ImportError:
        raise SitrepError("the Dask engine needs: pip install 'sitrep[dask]'", MISSING_DASK) from None
    return distributed


def _shard_list(shards: Iterable[str]) -> list[str]:
    """Files as given, directories walked, globs expanded; absolute; duplicates dropped, order kept."""
    from sitrep.sources.dispatch import expand
    from sitrep.sources.fetch import is_url

    out: dict[str, None] = {}
    for name in expand(shards):
        if name == "-":
            raise SitrepError("the Dask engine reads shard files, not standard input", errors.NOT_FOUND)
        out[name if is_url(name) else os.path.abspath(name)] = None
    return list(out)


def run(shards: list[str], out_dir: str, *, scheduler: str | None = None, workers: int = 2,
        published: str | None = None, batch_size: int = 32,
        on_done: Callable[[dict], None] | None = None) -> list[dict]:
    """Extract every shard on Dask, one task per shard; returns the shard summaries in completion order.

    ``scheduler``: a ``tcp://host:port`` address to connect to; without it a ``LocalCluster`` of
    ``workers`` processes (one thread each) is started on 127.0.0.1 and closed at the end. ``shards`` may
    name directories and globs (expanded here). ``on_done`` is called with each summary as it arrives.
    A task that raises does not stop the others; when all have ended, :class:`SitrepError` ``E502`` names
    the shards that failed (completed outputs stay: a re-run does only what is left).
    """
    distributed = _dask()
    names = _shard_list(shards)
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    if not names:
        return []
    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None)
    try:
        client = distributed.Client(scheduler or cluster)
    except OSError as exc:  # includes TimeoutError: nothing listening there
        if cluster is not None:
            cluster.close()
        raise SitrepError(f"cannot reach the Dask scheduler {scheduler or 'started here'}: {exc}",
                          NO_SCHEDULER) from None
    summaries: list[dict] = []
    failed: list[tuple[str, BaseException]] = []
    try:
        futures = client.map(process_shard, names, out_dir=out_dir, published=published,
                             batch_size=batch_size, pure=False)
        shard_of = {f.key: name for f, name in zip(futures, names, strict=True)}
        for future in distributed.as_completed(futures):
            try:
                summary = future.result()
            except Exception as exc:  # reported below; the other shards go on
                failed.append((shard_of[future.key], exc))
                continue
            summaries.append(summary)
            if on_done is not None:
                on_done(summary)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if failed:
        shown = "; ".join(f"{name}: {type(exc).__name__}: {exc}" for name, exc in failed[:3])
        more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
        raise SitrepError(f"{len(failed)} of {len(names)} shard(s) failed: {shown}{more}; "
                          "re-run to extract what is left", TASK_FAILED)
    return summaries


# -- manifests and outputs --------------------------------------------------------------------------
def read_manifest(path: str | os.PathLike[str]) -> list[str]:
    """Shard paths listed in a manifest: one path or glob per line; ``#`` comment lines and blank lines
    are ignored; relative paths are relative to the manifest's folder. Globs are expanded (sorted, ``**``
    recursive); a glob matching nothing is kept as written, so its task reports it as not found."""
    manifest = Path(path)
    try:
        text = manifest.read_text(encoding="utf-8")
    except OSError as exc:
        raise SitrepError(f"{path}: cannot read manifest ({exc.strerror})", errors.NOT_FOUND) from None
    base = manifest.resolve().parent
    out: dict[str, None] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "://" not in line:
            line = os.path.normpath(os.path.join(base, os.path.expanduser(line)))
        matches = sorted(glob.glob(line, recursive=True)) if set("*?[") & set(line) else []
        for name in matches or [line]:
            out[name] = None
    return list(out)


def iter_outputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any] | Failure]:
    """Read shard outputs back: contract dicts and :class:`Failure` objects, in file order.

    A directory stands for every ``*.jsonl`` in it (sorted). An output without its footer (cut short,
    or not written by :func:`process_shard`) raises :class:`SitrepError` ``E503`` before any of its
    lines is yielded.
    """
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(str(f) for f in Path(p).glob("*.jsonl"))
        else:
            files.append(str(p))
    for name in files:
        if read_footer(name) is None:
            raise SitrepError(f"{name}: not a complete shard output (no footer); re-run the Dask step",
                              BAD_OUTPUT)
        with open(name, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise SitrepError(f"{name}:{number}: invalid JSON in shard output ({exc})", BAD_OUTPUT) from None
                if "shard" in record and len(record) == 1:
                    continue
                if "failure" in record and len(record) == 1:
                    f = record["failure"]
                    yield Failure(f["input"], f["code"], f["reason"], f.get("retry"))
                    continue
                yield record
