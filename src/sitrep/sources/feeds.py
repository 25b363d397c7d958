"""RSS and Atom feeds (feedparser), and single web pages, fetched over http(s).

A feed is read from a file (``.rss``, ``.atom``, or ``.xml`` whose content is a feed) or from an http(s)
URL. Each item's link is fetched and the page read by the HTML reader; the item's title, date and link
fill what the page leaves out. An http(s) URL that is not a feed is read as one page.

Each item yields an :class:`Article` (``id`` = the item's link) or a :class:`Failure` naming the link,
so ``sitrep ingest --retry-failed`` fetches just that page again.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sitrep import errors
from sitrep.errors import InputError
from sitrep.sources.base import Article, Failure, Item, decode_web
from sitrep.sources.fetch import FetchConfig, Response, fetch
from sitrep.sources.html import looks_like_html, read_html
from sitrep.sources.text import read_text

FEED_SUFFIXES = (".rss", ".atom", ".xml")
HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "application/xml", "text/xml", ""}  # "" when the server sends no type


def looks_like_feed(data: bytes) -> bool:
    """An RSS, RDF or Atom root element near the top of a document that is not an HTML page."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return False
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def failure(exc: InputError, name: str, retry: str | None = None) -> Failure:
    """The one-line Failure of ``name`` from an InputError whose message starts ``name: ``."""
    message = " ".join(str(exc.args[0]).split())
    reason = message[len(name) + 2:] if message.startswith(f"{name}: ") else message
    return Failure(name, exc.code, reason, retry if retry is not None else name)


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    return None


def _parse(data: bytes, base: str | None) -> Any:
    import feedparser

    headers = {"content-location": base} if base else None
    # Always bytes: given a string, feedparser would fetch URLs and open files itself.
    return feedparser.parse(data, response_headers=headers)


def read_feed(data: bytes, name: str, published: str | None = None, *, base: str | None = None,
              config: FetchConfig | None = None, stats: Counter[str] | None = None) -> Iterator[Item]:
    """Read a feed's bytes (from file or URL ``name``) and yield an item per entry, fetching each link."""
    parsed = _parse(data, base)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({' '.join(str(problem).split())})" if problem else ""
        yield Failure(name, errors.BAD_RECORD, f"not an RSS or Atom feed{detail}", name)
        return
    if not parsed.entries:
        yield Failure(name, errors.EMPTY, "the feed has no items", name)
        return
    for number, entry in enumerate(parsed.entries, 1):
        if stats is not None:
            stats["feed.items"] += 1
        link = (entry.get("link") or "").strip()
        if not link:
            where = f"{name} (item {number})"
            yield Failure(where, errors.BAD_RECORD, "feed item has no link", name)
            continue
        title = entry.get("title") or None
        yield from read_url(link, published, config=config, stats=stats, title=title, date=_date(entry),
                            as_feed=False)


def read_page(resp: Response, name: str, published: str | None = None) -> Article:
    """A fetched page (HTML, or plain text) as an Article; raises InputError."""
    kind = resp.content_type
    if kind not in HTML_TYPES | TEXT_TYPES:
        raise InputError(f"{name}: not an HTML page (content type {kind})", errors.NO_TEXT)
    text = decode_web(resp.data, name, resp.charset)
    if kind in HTML_TYPES or looks_like_html(text):
        return read_html(text, name, published)
    if kind in ("text/plain", ""):
        return read_text(text, name, published)
    raise InputError(f"{name}: not an HTML page or a feed (content type {kind})", errors.NO_TEXT)


def read_url(url: str, published: str | None = None, *, config: FetchConfig | None = None,
             stats: Counter[str] | None = None, title: str | None = None, date: str | None = None,
             as_feed: bool = True) -> Iterator[Item]:
    """Fetch ``url``: a feed (when ``as_feed``) is read item by item, anything else as one page.

    ``title`` and ``date`` (YYYY-MM-DD), from a feed item, fill what the page does not give.
    """
    if stats is not None:
        stats["fetch.urls"] += 1
    try:
        resp = fetch(url, config)
    except InputError as exc:
        if stats is not None:
            stats["fetch.failed"] += 1
        yield failure(exc, url)
        return
    if as_feed and looks_like_feed(resp.data):
        yield from read_feed(resp.data, url, published, base=resp.url, config=config, stats=stats)
        return
    try:
        article = read_page(resp, url, published)
    except InputError as exc:
        yield failure(exc, url)
        return
    article.published = article.published or date
    article.title = article.title or title
    article.url = article.url or resp.url
    yield article
