"""The reference article against its hand annotation, by the matching rules in the gold file's `about`."""

from __future__ import annotations

import json

import pytest

from sitrep.eval import seed

from conftest import need_shared

KINDS = ("figures", "quotes", "places", "actors")


@pytest.fixture(scope="module")
def gold_and_result(extract_text):
    path = need_shared("examples", "mosul-2016.txt")
    gold = json.loads(need_shared("examples", "mosul-2016.gold.json").read_text(encoding="utf-8"))
    result = extract_text(path.read_text(encoding="utf-8"), id=str(path), published="2016-07-30")
    return gold, result


@pytest.fixture(scope="module")
def scored(gold_and_result):
    return seed.score(*gold_and_result)


def test_schema(gold_and_result):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(need_shared("contract", "extraction.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(gold_and_result[1], schema)


@pytest.mark.parametrize("kind", KINDS)
def test_every_required_item(scored, kind):
    hit, total = scored[f"{kind}_required"]
    missed = [m for m in scored["missed"] if m["kind"] == kind and m["level"] == "required"]
    assert total > 0 and hit == total, missed


def test_at_least_half_the_stretch_items(scored):
    hit = sum(scored[f"{k}_stretch"][0] for k in KINDS)
    total = sum(scored[f"{k}_stretch"][1] for k in KINDS)
    assert hit * 2 >= total, scored["missed"]


def test_not_figures(gold_and_result, scored):
    gold, result = gold_and_result
    assert scored["not_figures_violations"] == []
    text = result["article"]["text"]
    for link in result["article"]["related_links"]:
        assert not seed.overlapping(result["figures"], seed.span_of(text, link))


def test_article_structure(gold_and_result):
    gold, result = gold_and_result
    art = result["article"]
    assert art["title"] == gold["article"]["title"]
    assert art["subtitle"] == gold["article"]["subtitle"]
    assert art["section_headings"] == gold["article"]["section_headings"]
    assert art["related_links"] == gold["article"]["related_links"]


def test_minister_is_one_actor_with_all_mentions(gold_and_result):
    """'Obeidi', 'he' and 'Iraq's defence minister' are the minister; the pronoun is resolved."""
    _, result = gold_and_result
    persons = [a for a in result["actors"] if a["kind"] == "person"]
    assert len(persons) == 1
    hows = {m["how"] for m in persons[0]["mentions"]}
    assert {"name", "surname", "role", "pronoun"} <= hows
