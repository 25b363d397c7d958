"""The example gold format (``../shared/examples/*.gold.json``), by the matching rules of its ``about``."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from sitrep.eval import table
from sitrep.gazetteer import distance_km


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def names_match(output: str | None, gold: Any) -> bool:
    if gold is None:
        return output is None
    options = gold if isinstance(gold, list) else [gold]
    return output is not None and any(norm(g) in norm(output) for g in options)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.02 * abs(b)


def span_of(text: str, evidence: str) -> tuple[int, int]:
    start = text.find(evidence)
    return (start, start + len(evidence)) if start >= 0 else (-1, -1)


def overlapping(items: list[dict[str, Any]], span: tuple[int, int]) -> list[dict[str, Any]]:
    return [i for i in items if i["start"] < span[1] and span[0] < i["end"]]


def figure_ok(f: dict[str, Any], g: dict[str, Any]) -> bool:
    for key in ("low", "high"):
        if key in g and not close(f[key], g[key]):
            return False
    for key in ("category", "unit", "modality", "approximate"):
        if key in g and f[key] != g[key]:
            return False
    if "place" in g and not names_match(f["place"], g["place"]):
        return False
    return "source" not in g or names_match(f["source"], g["source"])


def quote_ok(q: dict[str, Any], g: dict[str, Any]) -> bool:
    return q["kind"] == g.get("kind", q["kind"]) and names_match(q["speaker"], g["speaker"])


def place_ok(p: dict[str, Any], g: dict[str, Any]) -> bool:
    named = names_match(p["name"], g["name"]) or any(names_match(m["text"], g["name"]) for m in p["mentions"])
    return named and p["country_code"] == g["country_code"] and \
        distance_km((p["lat"], p["lon"]), (g["lat"], g["lon"])) <= g.get("km", 60)


def actor_ok(a: dict[str, Any], g: dict[str, Any]) -> bool:
    return all(any(m["text"] == want for m in a["mentions"]) for want in g["mentions"])


def event_ok(e: dict[str, Any], g: dict[str, Any]) -> bool:
    if g.get("type") and e["type"] not in g["type"]:
        return False
    if g.get("subtype") and e.get("subtype") not in g["subtype"]:
        return False
    if g.get("place") and not names_match((e.get("place") or {}).get("name"), g["place"]):
        return False
    if "modality" in g and e["modality"] != g["modality"]:
        return False
    names = [a["name"] for a in e.get("actors", [])]
    return all(any(any(n == o or n.startswith(o) for o in options) for n in names) for options in g.get("actors", []))


def score(gold: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Per kind and level: found / total, and the gold items missed."""
    text = result["article"]["text"]
    out: dict[str, Any] = {"missed": []}
    checks = {
        "figures": lambda g: any(figure_ok(f, g) for f in overlapping(result["figures"], span_of(text, g["evidence"]))),
        "quotes": lambda g: any(quote_ok(q, g) for q in overlapping(result["quotes"], span_of(text, g["evidence"]))),
        "places": lambda g: any(place_ok(p, g) for p in result["places"]),
        "actors": lambda g: any(actor_ok(a, g) for a in result["actors"]),
        "events": lambda g: any(event_ok(e, g) for e in overlapping(result["events"], span_of(text, g["evidence"]))),
    }
    for kind, check in checks.items():
        for level in ("required", "stretch"):
            items = [g for g in gold.get(kind, []) if g.get("level") == level]
            hits = [check(g) for g in items]
            out[f"{kind}_{level}"] = (sum(hits), len(items))
            out["missed"] += [{"kind": kind, "level": level, "item": g.get("evidence") or g.get("name") or
                               g.get("mentions")} for g, hit in zip(items, hits, strict=True) if not hit]
    bad = [t for t in gold.get("not_figures", []) if overlapping(result["figures"], span_of(text, t))]
    out["not_figures_violations"] = bad
    return out


def evaluate(data: Path, *, limit: int | None = None, peers: Path | None = None,
             extractor: Any = None) -> dict[str, Any]:
    """``data``: a ``*.gold.json`` file (its article is the ``.txt`` beside it) or a folder of them."""
    from sitrep.api import Extractor
    from sitrep.sources import Article

    golds = sorted(data.glob("*.gold.json")) if data.is_dir() else [data]
    golds = golds[:limit] if limit else golds
    extractor = extractor or Extractor()
    per_article = []
    totals: dict[str, list[int]] = {}
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text_path = path.with_name(path.name.replace(".gold.json", ".txt"))
        published = _published(gold)
        article = Article(id=str(text_path), text=text_path.read_text(encoding="utf-8"), published=published)
        result = next(iter(extractor.run([article])))
        scored = score(gold, result)
        per_article.append({"article": text_path.name, **scored})
        for key, value in scored.items():
            if isinstance(value, tuple):
                totals.setdefault(key, [0, 0])
                totals[key][0] += value[0]
                totals[key][1] += value[1]
    row: dict[str, Any] = {"system": "sitrep"}
    for key, (hit, total) in totals.items():
        row[key] = hit / total if total else None
    row["not_figures_violations"] = sum(len(a["not_figures_violations"]) for a in per_article)
    return {"task": "seed", "data": str(data), "n": len(golds), "rows": [row], "articles": per_article,
            "counts": {k: f"{h}/{t}" for k, (h, t) in totals.items()}}


def _published(gold: dict[str, Any]) -> str | None:
    import re

    m = re.search(r"published (\d{4}-\d{2}-\d{2})", gold.get("about", ""))
    return m.group(1) if m else None


def format_table(result: dict[str, Any]) -> str:
    cols = ["system"] + [k for k in result["counts"]] + ["not_figures_violations"]
    rows = [{**result["rows"][0], **{k: result["counts"][k] for k in result["counts"]}}]
    lines = [f"seed: {result['n']} article(s) from {result['data']}", table(rows, cols)]
    for art in result["articles"]:
        for miss in art["missed"]:
            lines.append(f"  missed {miss['level']} {miss['kind']} in {art['article']}: {miss['item']}")
    return "\n".join(lines)
