"""Publication date and relative dates ("on Saturday", "last week") resolved against it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from sitrep.pipeline import ext

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MONTH_RE = "|".join(MONTHS + [m[:3] for m in MONTHS] + ["sept"])
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "a": 1, "an": 1, "several": 3, "few": 3}


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for i, m in enumerate(MONTHS, 1):
        if word == m or (len(word) >= 3 and m.startswith(word)):
            return i
    return None


def resolve(text: str, published: date | None) -> str | None:
    """Resolve a date expression to ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when it can't be."""
    t = text.lower().strip()
    t = re.sub(r"^(on|in|since|by|from|until|during|the)\s+", "", t)
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        return m.group(0)
    m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", t) or re.search(
        rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", t)
    if m:
        a, b, year = m.groups()
        day, month = (int(a), _month(b)) if a.isdigit() else (int(b), _month(a))
        if month and 1 <= day <= 31:
            y = int(year) if year else (published.year if published else None)
            if y is None:
                return None
            if not year and published and (month, day) > (published.month, published.day):
                y -= 1
            try:
                return date(y, month, day).isoformat()
            except ValueError:
                return None
    m = re.search(rf"\b({_MONTH_RE})\.?(?:\s+(\d{{4}}))?\b", t)
    if m and _month(m.group(1)) and not t.startswith("may ") or (m and m.group(2)):
        month = _month(m.group(1))
        if month:
            if m.group(2):
                return f"{int(m.group(2)):04d}-{month:02d}"
            if published:
                y = published.year - (1 if month > published.month else 0)
                return f"{y:04d}-{month:02d}"
    if published is None:
        m = re.fullmatch(r"(\d{4})", t)
        return m.group(1) if m else None
    if t in {"today", "this morning", "this afternoon", "this evening", "tonight", "earlier today"}:
        return published.isoformat()
    if t in {"yesterday", "last night", "yesterday morning", "yesterday evening"}:
        return (published - timedelta(days=1)).isoformat()
    for i, wd in enumerate(WEEKDAYS):
        if re.fullmatch(rf"(last\s+)?{wd}(\s+(morning|afternoon|evening|night))?", t):
            back = (published.weekday() - i) % 7
            if t.startswith("last") and back == 0:
                back = 7
            return (published - timedelta(days=back)).isoformat()
        if re.fullmatch(rf"next\s+{wd}", t):
            ahead = (i - published.weekday()) % 7 or 7
            return (published + timedelta(days=ahead)).isoformat()
    m = re.fullmatch(r"(\w+)\s+(day|week|month|year)s?\s+ago", t)
    if m and (m.group(1) in _NUM_WORDS or m.group(1).isdigit()):
        n = int(m.group(1)) if m.group(1).isdigit() else _NUM_WORDS[m.group(1)]
        unit = m.group(2)
        if unit == "day":
            return (published - timedelta(days=n)).isoformat()
        if unit == "week":
            return (published - timedelta(weeks=n)).isoformat()
        if unit == "month":
            y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}"
        return f"{published.year - n:04d}"
    if t in {"last week", "the past week", "past week", "the previous week"}:
        return (published - timedelta(days=7)).isoformat()
    if t in {"this week", "earlier this week"}:
        return published.isoformat()
    if t in {"last month", "the previous month"}:
        y, mo = divmod(published.year * 12 + published.month - 2, 12)
        return f"{y:04d}-{mo + 1:02d}"
    if t in {"this month", "earlier this month"}:
        return f"{published.year:04d}-{published.month:02d}"
    if t in {"last year", "the previous year"}:
        return f"{published.year - 1:04d}"
    if t in {"this year", "earlier this year"}:
        return f"{published.year:04d}"
    m = re.fullmatch(r"(\d{4})", t)
    return m.group(1) if m else None


@Language.factory("sitrep_dates_v1", assigns=["doc._.dates"], requires=["doc.ents"])
def make_dates(nlp: Language, name: str) -> DatesComponent:
    return DatesComponent()


class DatesComponent:
    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta or {}
        published = parse_iso(meta.get("published"))
        found = []
        for ent in ext.ents_of(doc):
            if ent.label_ not in {"DATE", "TIME"}:
                continue
            value = resolve(ent.text, published)
            found.append({"text": ent.text, "start": ent.start_char, "end": ent.end_char, "value": value,
                          "token_start": ent.start, "token_end": ent.end})
        doc._.dates = found
        return doc
