"""Plain text in the example layout: headline, standfirst, paragraphs, ``- `` related links."""

from __future__ import annotations

from sitrep.sources.base import Article


def read_text(text: str, name: str, published: str | None = None) -> Article:
    lines = [line for line in text.split("\n") if line.strip()]
    title = lines[0].strip() if lines else None
    subtitle = lines[1].strip() if len(lines) > 1 and not lines[1].startswith("- ") else None
    return Article(id=name, text=text, title=title, subtitle=subtitle, published=published, layout="plain")
