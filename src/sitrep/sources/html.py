"""HTML pages, through trafilatura: title, date, outlet and canonical URL from the page itself."""

from __future__ import annotations

import re

from sitrep import errors
from sitrep.errors import InputError
from sitrep.sources.base import Article

_OPEN_HTML = re.compile(r"<html[\s>]", re.I)
_CLOSE = re.compile(r"</(html|body)\s*>", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or "<body" in text[:20000].lower()


def read_html(text: str, name: str, published: str | None = None) -> Article:
    # A page cut mid-record has its opening tags but never closes its body or document.
    if _OPEN_HTML.search(text[:4096]) and not _CLOSE.search(text[-4096:]):
        raise InputError(f"{name}: truncated HTML (no closing </body> or </html>)", errors.TRUNCATED)
    import trafilatura

    doc = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False
    )
    if doc is None or not (doc.text or "").strip():
        raise InputError(f"{name}: no article text found in the HTML", errors.NO_TEXT)
    body = doc.text.strip()
    return Article(
        id=name,
        text=body,
        title=doc.title or None,
        subtitle=doc.description or None,
        published=published or (doc.date[:10] if doc.date else None),
        url=doc.url or None,
        outlet=doc.sitename or None,
        layout="body",
    )
