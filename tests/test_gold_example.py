"""The reference article against its hand annotation, by the matching rules in the gold file's `about`."""

from __future__ import annotations

import json
import unicodedata

import pytest
from conftest import need_shared


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def names_match(output: str | None, gold) -> bool:
    if gold is None:
        return output is None
    options = gold if isinstance(gold, list) else [gold]
    return output is not None and any(norm(g) in norm(output) for g in options)


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.02 * abs(b)


@pytest.fixture(scope="module")
def gold_and_result(extract_text):
    path = need_shared("examples", "mosul-2016.txt")
    gold = json.loads(need_shared("examples", "mosul-2016.gold.json").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    result = extract_text(text, id=str(path), published="2016-07-30")
    return gold, result


def span_of(result, evidence: str) -> tuple[int, int]:
    text = result["article"]["text"]
    start = text.find(evidence)
    assert start >= 0, f"evidence not in text: {evidence!r}"
    return start, start + len(evidence)


def overlapping(items, span):
    return [i for i in items if i["start"] < span[1] and span[0] < i["end"]]


def figure_ok(f, g) -> bool:
    for key in ("low", "high"):
        if key in g and not close(f[key], g[key]):
            return False
    for key in ("category", "unit", "modality"):
        if key in g and f[key] != g[key]:
            return False
    if "approximate" in g and f["approximate"] != g["approximate"]:
        return False
    if "place" in g and not names_match(f["place"], g["place"]):
        return False
    return "source" not in g or names_match(f["source"], g["source"])


def items(gold, kind, level):
    return [g for g in gold[kind] if g["level"] == level]


def test_schema(gold_and_result):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(need_shared("contract", "extraction.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(gold_and_result[1], schema)


def test_required_figures(gold_and_result):
    gold, result = gold_and_result
    missing = []
    for g in items(gold, "figures", "required"):
        cands = overlapping(result["figures"], span_of(result, g["evidence"]))
        if not any(figure_ok(f, g) for f in cands):
            missing.append((g["evidence"], cands))
    assert not missing, missing


def test_not_figures(gold_and_result):
    gold, result = gold_and_result
    for text in gold["not_figures"]:
        assert not overlapping(result["figures"], span_of(result, text)), text
    related = [b for b in result["article"]["related_links"]]
    assert len(related) == len(gold["article"]["related_links"])
    for link in related:
        assert not overlapping(result["figures"], span_of(result, link))


def test_article_structure(gold_and_result):
    gold, result = gold_and_result
    art = result["article"]
    assert art["title"] == gold["article"]["title"]
    assert art["section_headings"] == gold["article"]["section_headings"]
    assert art["related_links"] == gold["article"]["related_links"]


def test_required_quotes(gold_and_result):
    gold, result = gold_and_result
    missing = []
    for g in items(gold, "quotes", "required"):
        cands = overlapping(result["quotes"], span_of(result, g["evidence"]))
        if not any(q["kind"] == g["kind"] and names_match(q["speaker"], g["speaker"]) for q in cands):
            missing.append((g["evidence"], [(q["kind"], q["speaker"]) for q in cands]))
    assert not missing, missing


def test_required_places(gold_and_result):
    from sitrep.gazetteer import distance_km

    gold, result = gold_and_result
    for g in items(gold, "places", "required"):
        ok = [p for p in result["places"]
              if (names_match(p["name"], g["name"]) or any(names_match(m["text"], g["name"]) for m in p["mentions"]))
              and p["country_code"] == g["country_code"]
              and distance_km((p["lat"], p["lon"]), (g["lat"], g["lon"])) <= g.get("km", 60)]
        assert ok, g["name"]


def test_required_actors(gold_and_result):
    gold, result = gold_and_result
    for g in items(gold, "actors", "required"):
        ok = [a for a in result["actors"]
              if all(any(m["text"] == want for m in a["mentions"]) for want in g["mentions"])]
        assert ok, (g["mentions"], [(a["name"], [m["text"] for m in a["mentions"]]) for a in result["actors"]])


def test_stretch_share(gold_and_result):
    """At least half of the stretch figures, quotes, places and actors (the issue's bar for evaluation)."""
    gold, result = gold_and_result
    hits = total = 0
    for g in items(gold, "figures", "stretch"):
        total += 1
        hits += any(figure_ok(f, g) for f in overlapping(result["figures"], span_of(result, g["evidence"])))
    for g in items(gold, "quotes", "stretch"):
        total += 1
        hits += any(names_match(q["speaker"], g["speaker"])
                    for q in overlapping(result["quotes"], span_of(result, g["evidence"])))
    assert hits * 2 >= total, f"{hits}/{total} stretch items"
