"""Walk paths (files, directories, ``-``), sniff each input's format and hand it to its reader."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitrep import errors
from sitrep.errors import InputError
from sitrep.sources.base import Article, Failure, Item, date_from_name, decode
from sitrep.sources.html import looks_like_html, read_html
from sitrep.sources.jsonl import looks_like_jsonl, read_jsonl
from sitrep.sources.text import read_text

SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".ndjson", ".json"}


def expand(paths: Iterable[str]) -> Iterator[str]:
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
                    yield str(child)
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


def read_path(name: str, published: str | None = None) -> Iterator[Item]:
    if name == "-":
        yield from read_bytes(sys.stdin.buffer.read(), "-", published)
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
        yield Failure(name, errors.NOT_FOUND, "no such file or directory", name)
        return
    except OSError as exc:
        yield Failure(name, errors.NOT_FOUND, f"cannot read ({exc.strerror})", name)
        return
    yield from read_bytes(data, name, published)


def iter_inputs(paths: Iterable[str], published: str | None = None) -> Iterator[Item]:
    for name in expand(paths):
        yield from read_path(name, published)
