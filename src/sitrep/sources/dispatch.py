"""Walk paths (files, directories, globs, URLs, ``-``), sniff each input's format and hand it to its reader.

``iter_inputs(paths, published, stats=Counter(), fetch=FetchConfig(...))``: ``stats``, when given, collects
counts from the readers (``warc.records``, ``warc.html``, ``warc.skipped.*``, ``feed.items``,
``fetch.urls``, ``fetch.failed``); ``fetch`` sets the limits for http(s) URLs and feed items.
"""

from __future__ import annotations

import glob
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitrep import errors
from sitrep.errors import InputError
from sitrep.sources.base import Article, Failure, Item, date_from_name, decode
from sitrep.sources.feeds import looks_like_feed, read_feed, read_url
from sitrep.sources.fetch import FetchConfig, is_url
from sitrep.sources.html import looks_like_html, read_html
from sitrep.sources.jsonl import looks_like_jsonl, read_jsonl
from sitrep.sources.text import read_text
from sitrep.sources.warc import WARC_SUFFIXES, is_warc, read_warc, read_warc_record, split_retry

# What a directory walk picks up. Feeds saved as ``.xml`` are read when named (or globbed), not when a
# directory is walked: too many other XML files live in directories.
SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".ndjson", ".json", ".rss", ".atom"}
_GLOB = set("*?[")


def is_glob(name: str) -> bool:
    """A pattern to expand: it has ``*``, ``?`` or ``[`` and no such file exists (URLs are never globs)."""
    return bool(_GLOB & set(name)) and not is_url(name) and not Path(name).exists()


def _walk(path: Path) -> Iterator[str]:
    for child in sorted(path.rglob("*")):
        if child.is_file() and not child.name.startswith(".") and (
                child.suffix.lower() in SUFFIXES or child.name.lower().endswith(WARC_SUFFIXES)):
            yield str(child)


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Input names: files as given, directories walked, globs expanded (``**`` recursive), URLs as given.

    A glob's matching files are taken whatever their suffix (the pattern says which); matching
    directories are walked. A glob matching nothing is passed on, to fail as not found.
    """
    for raw in paths:
        if raw == "-" or is_url(raw):
            yield raw
            continue
        if is_glob(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield raw
            seen: set[str] = set()
            for match in matches:
                path = Path(match)
                for name in _walk(path) if path.is_dir() else [match] if path.is_file() else []:
                    if name not in seen:
                        seen.add(name)
                        yield name
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield raw


def read_bytes(data: bytes, name: str, published: str | None = None) -> Iterator[Item]:
    """Read one input's bytes; yields articles and failures, never raises for bad input."""
    try:
        text = decode(data, name)
    except InputError as exc:
        yield Failure(name, exc.code, str(exc.args[0]).split(": ", 1)[-1], name)
        return
    date = published or date_from_name(name)
    lower = name.lower()
    try:
        if lower.endswith((".jsonl", ".ndjson")) or (not lower.endswith((".txt", ".html", ".htm"))
                                                     and looks_like_jsonl(text)):
            yield from read_jsonl(text, name, date)
        elif lower.endswith((".html", ".htm")) or looks_like_html(text):
            yield read_html(text, name, date)
        else:
            yield read_text(text, name, date)
    except InputError as exc:
        yield Failure(name, exc.code, str(exc.args[0]).split(": ", 1)[-1], name)


def read_path(name: str, published: str | None = None, *, stats: Counter[str] | None = None,
              fetch: FetchConfig | None = None) -> Iterator[Item]:
    if name == "-":
        yield from read_bytes(sys.stdin.buffer.read(), "-", published)
        return
    if is_url(name):  # http(s) is fetched (a feed, or one page); other schemes are refused
        yield from read_url(name, published, config=fetch, stats=stats)
        return
    if is_warc(name):
        yield from read_warc(name, published, stats=stats)
        return
    record = split_retry(name)
    if record and not Path(name).exists() and Path(record[0]).is_file():  # one WARC record, from a failure
        yield from read_warc_record(record[0], record[1], published, stats=stats)
        return
    base, _, line = name.partition(":")
    if line.isdigit() and Path(base).is_file():  # a single JSONL record, as recorded by a failure
        text_lines = Path(base).read_bytes().split(b"\n")
        idx = int(line) - 1
        chunk = text_lines[idx] if idx < len(text_lines) else b""
        for item in read_bytes(chunk + b"\n", base + ".jsonl" if not base.endswith("l") else base, published):
            if isinstance(item, Article) and item.id.endswith(":1"):
                item.id = name
            elif isinstance(item, Failure):
                item.input = item.retry = name
            yield item
        return
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        reason = "no file matches this pattern" if is_glob(name) else "no such file or directory"
        yield Failure(name, errors.NOT_FOUND, reason, name)
        return
    except OSError as exc:
        yield Failure(name, errors.NOT_FOUND, f"cannot read ({exc.strerror})", name)
        return
    lower = name.lower()
    if lower.endswith((".rss", ".atom")) or (lower.endswith(".xml") and looks_like_feed(data)):
        yield from read_feed(data, name, published, config=fetch, stats=stats)
        return
    yield from read_bytes(data, name, published)


def iter_inputs(paths: Iterable[str], published: str | None = None, *, stats: Counter[str] | None = None,
                fetch: FetchConfig | None = None) -> Iterator[Item]:
    """Every article (or failure) in ``paths``; see the module docstring for ``stats`` and ``fetch``."""
    for name in expand(paths):
        yield from read_path(name, published, stats=stats, fetch=fetch)
