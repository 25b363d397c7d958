"""JSON Lines: one article per line with ``text`` and optionally id, title, url, published, source."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sitrep import errors
from sitrep.sources.base import Article, Failure
from sitrep.textutil import normalize_newlines


def looks_like_jsonl(text: str) -> bool:
    first = text.lstrip()[:1]
    return first == "{"


def read_jsonl(text: str, name: str, published: str | None = None) -> Iterator[Article | Failure]:
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            last = number == len(lines) or all(not rest.strip() for rest in lines[number:])
            if last and not text.endswith("\n"):
                yield Failure(where, errors.TRUNCATED, f"truncated JSON record ({exc.msg})", where)
            else:
                yield Failure(where, errors.BAD_RECORD, f"invalid JSON ({exc.msg} at column {exc.colno})", where)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Failure(where, errors.BAD_RECORD, "record has no 'text' string", where)
            continue
        body = normalize_newlines(record["text"])
        if not body.strip():
            yield Failure(where, errors.EMPTY, "empty 'text'", where)
            continue
        title = record.get("title")
        date = record.get("published") or record.get("date") or published
        yield Article(
            id=str(record.get("id") or where),
            text=body,
            title=title if isinstance(title, str) else None,
            published=str(date)[:10] if date else None,
            url=record.get("url") if isinstance(record.get("url"), str) else None,
            outlet=record.get("source") if isinstance(record.get("source"), str) else None,
            layout="body" if title else "plain",
            extra={"retry": where},
        )
