"""WARC and WARC.gz files, such as Common Crawl's CC-NEWS (warcio).

Each HTML ``response`` record with a 2xx status goes to the HTML reader: the article's ``id`` is the
record's ``WARC-Target-URI``, and its date is the page's own, else the record's ``WARC-Date``. Every
other record (``request``, ``warcinfo``, ``metadata``, ``revisit``, non-HTML or non-2xx responses) is
skipped and counted.

Counts go into the ``stats`` Counter when one is passed (``iter_inputs(paths, stats=Counter())``):

=============================  =================================================
``warc.records``               records seen
``warc.html``                  HTML responses handed to the HTML reader
``warc.skipped.not_response``  request, warcinfo, metadata, revisit, ... records
``warc.skipped.not_html``      responses whose Content-Type is not HTML
``warc.skipped.status``        HTML responses with a status other than 2xx
=============================  =================================================

and each file's totals are logged (``logging`` INFO, logger ``sitrep.sources.warc``).

A record that fails (no text, truncated, too large, ...) is a :class:`Failure` named by its URI whose
``retry`` is ``<file>@<offset>``: :func:`read_warc_record` reads just that record again.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO, Any

from sitrep import errors
from sitrep.errors import InputError
from sitrep.sources.base import Failure, Item, decode_web
from sitrep.sources.html import read_html

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = {"text/html", "application/xhtml+xml"}
MAX_BYTES = 5_000_000  # an HTML payload beyond this is not read further and fails (CC-NEWS caps at 1 MiB)
TOO_LARGE = "E112"  # as in sitrep.sources.fetch
_RETRY = re.compile(r"^(?P<path>.+\.warc(?:\.gz)?)@(?P<offset>\d+)$", re.I)


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def split_retry(name: str) -> tuple[str, int] | None:
    """``crawl.warc.gz@1234`` -> (``crawl.warc.gz``, 1234): one record, as a failure records it."""
    match = _RETRY.match(name)
    return (match.group("path"), int(match.group("offset"))) if match else None


def _media_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    kind, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return kind.strip().lower(), charset


def _record(record: Any, locate: Callable[[], str], published: str | None, stats: Counter[str],
            max_bytes: int) -> Item | None:
    """One record: an Article, a Failure, or None when it is skipped (and counted).

    ``locate()`` gives ``<file>@<offset>``; warcio knows the offset only once the record is read.
    """
    stats["warc.records"] += 1
    if record.rec_type != "response" or record.http_headers is None:
        stats["warc.skipped.not_response"] += 1
        return None
    kind, charset = _media_type(record.http_headers.get_header("Content-Type"))
    if kind not in HTML_TYPES:
        stats["warc.skipped.not_html"] += 1
        return None
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        stats["warc.skipped.status"] += 1
        return None
    stats["warc.html"] += 1
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    try:
        data = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # a broken chunked or gzip payload inside an otherwise good record
        where = locate()
        return Failure(uri or where, errors.BAD_RECORD, f"unreadable payload ({type(exc).__name__}: "
                                                        f"{' '.join(str(exc).split())})", where)
    where = locate()
    uri = uri or where
    try:
        if len(data) > max_bytes:
            raise InputError(f"{uri}: record too large (more than the limit of {max_bytes:,} bytes)", TOO_LARGE)
        article = read_html(decode_web(data, uri, charset), uri, published)
    except InputError as exc:
        message = " ".join(str(exc.args[0]).split())
        reason = message[len(uri) + 2:] if message.startswith(f"{uri}: ") else message
        return Failure(uri, exc.code, reason, where)
    warc_date = record.rec_headers.get_header("WARC-Date") or ""
    article.published = article.published or (warc_date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", warc_date)
                                               else None)
    article.url = article.url or uri
    article.extra["retry"] = where
    article.extra["warc_date"] = warc_date or None
    return article


_ITERATOR: type | None = None


def _archive_iterator() -> type:
    """warcio's ArchiveIterator, noting whether the last gzip member ended properly (warcio ends quietly)."""
    global _ITERATOR
    if _ITERATOR is None:
        from warcio.archiveiterator import ArchiveIterator

        class Records(ArchiveIterator):
            gzip_complete: bool | None = None  # None: not compressed

            def close(self) -> None:
                decompressor = getattr(self.reader, "decompressor", None) if self.reader else None
                if decompressor is not None and hasattr(decompressor, "eof"):
                    self.gzip_complete = bool(decompressor.eof)
                super().close()

        _ITERATOR = Records
    return _ITERATOR


def _iterate(stream: IO[bytes], path: str, published: str | None, stats: Counter[str], max_bytes: int,
             limit: int | None = None) -> Iterator[Item]:
    from warcio.exceptions import ArchiveLoadFailed

    records = _archive_iterator()(stream)
    seen = 0
    record = None
    try:
        for record in records:
            item = _record(record, lambda: f"{path}@{records.get_record_offset()}", published, stats, max_bytes)
            if item is not None:
                yield item
            seen += 1
            if limit is not None and seen >= limit:
                return
    except ArchiveLoadFailed as exc:
        reason = " ".join(str(exc).split())
        yield Failure(path, errors.BAD_RECORD, f"not a readable WARC file ({reason})", path)
        return
    except Exception as exc:  # warcio on a corrupt file: zlib errors, EOFError, broken headers, ...
        detail = " ".join(str(exc).split()) or type(exc).__name__
        yield Failure(path, errors.BAD_RECORD, f"corrupt WARC file after {seen} records ({detail})", path)
        return
    # warcio ends quietly on a file cut short: either the last record it read has fewer bytes than its
    # Content-Length, or bytes are left over after it (a record whose headers were cut).
    missing = getattr(getattr(record, "raw_stream", None), "limit", 0)
    size = os.fstat(stream.fileno()).st_size
    end = records.offset if isinstance(records.offset, int) else size
    if records.gzip_complete is False:
        yield Failure(path, errors.TRUNCATED, f"WARC file cut short (its last gzip member, after {seen} records, "
                                              "is incomplete)", path)
    elif record is not None and record.rec_headers.get_header("Content-Length") is None:
        yield Failure(path, errors.TRUNCATED, f"WARC file cut short (record {seen} has no Content-Length)", path)
    elif isinstance(missing, int) and missing > 0:
        yield Failure(path, errors.TRUNCATED, f"WARC file cut short (record {seen} lacks {missing:,} bytes)", path)
    elif end < size:
        yield Failure(path, errors.TRUNCATED, f"WARC file cut short or corrupt after {seen} records "
                                              f"({size - end:,} bytes at offset {end:,} not read)", path)


def read_warc(path: str, published: str | None = None, *, stats: Counter[str] | None = None,
              max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    """Every HTML response in the WARC(.gz) file at ``path``; skipped records are counted in ``stats``."""
    counts: Counter[str] = Counter()
    try:
        stream = open(path, "rb")  # closed below, once the generator is drained or closed
    except FileNotFoundError:
        yield Failure(path, errors.NOT_FOUND, "no such file or directory", path)
        return
    except OSError as exc:
        yield Failure(path, errors.NOT_FOUND, f"cannot read ({exc.strerror})", path)
        return
    try:
        yield from _iterate(stream, path, published, counts, max_bytes)
    finally:
        stream.close()
        if stats is not None:
            stats.update(counts)
        skipped = sum(v for k, v in counts.items() if k.startswith("warc.skipped."))
        log.info("%s: %d records, %d HTML responses read, %d skipped (%s)", path, counts["warc.records"],
                 counts["warc.html"], skipped,
                 ", ".join(f"{k.rsplit('.', 1)[-1]} {v}" for k, v in sorted(counts.items())
                           if k.startswith("warc.skipped.")) or "none")


def read_warc_record(path: str, offset: int, published: str | None = None, *,
                     stats: Counter[str] | None = None, max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    """The one record at byte ``offset`` of ``path`` (as recorded in a failure's ``retry``)."""
    counts: Counter[str] = Counter()
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            items = list(_iterate(stream, path, published, counts, max_bytes, limit=1))
    except OSError as exc:
        yield Failure(f"{path}@{offset}", errors.NOT_FOUND, f"cannot read ({exc.strerror})", f"{path}@{offset}")
        return
    if stats is not None:
        stats.update(counts)
    yield from items
    if not items:
        yield Failure(f"{path}@{offset}", errors.NO_TEXT, "the record is not an HTML response", None)
