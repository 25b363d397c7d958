"""The faster routes through the spaCy model (sitrep.pipeline.speed) give exactly spaCy's own output."""

from __future__ import annotations

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

from sitrep import settings
from sitrep.pipeline.speed import (
    CompiledAttributeRuler,
    attribute_rules_supported,
    cache_lemmas,
    compile_attribute_ruler,
    use_matmul,
)

from conftest import need_shared

COLUMNS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


def _articles(limit: int) -> list[str]:
    from sitrep.eval.places import read_lgl

    return [doc.text for doc in read_lgl(need_shared("eval", "places", "lgl.xml"))[:limit]]


def _analyses(docs) -> list[list[tuple]]:
    return [[tuple(row) + (t.lemma_, str(t.morph)) for t, row in zip(doc, doc.to_array(COLUMNS).tolist(),
                                                                    strict=True)] for doc in docs]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _articles(60)


def test_fast_paths_and_numpy_matmul_give_spacys_output_on_real_articles(texts):
    name = settings.get("model")
    plain = spacy.load(name)
    fast = spacy.load(name)
    use_matmul(fast, "numpy")
    assert compile_attribute_ruler(fast)
    assert cache_lemmas(fast)
    assert type(fast.get_pipe("attribute_ruler")).__name__ == "CompiledAttributeRuler"
    expected = _analyses(plain.pipe(texts))
    got = _analyses(fast.pipe(texts))
    assert sum(len(d) for d in got) > 10_000
    assert got == expected
    # and again, now that the caches are warm
    assert _analyses(fast.pipe(texts[:10])) == expected[:10]


def test_small_caches_that_fill_and_start_again_change_nothing(texts, monkeypatch):
    from sitrep.pipeline import speed

    monkeypatch.setattr(speed, "CACHE_LIMIT", 50)
    name = settings.get("model")
    plain = spacy.load(name)
    fast = spacy.load(name)
    assert compile_attribute_ruler(fast) and cache_lemmas(fast)
    assert _analyses(fast.pipe(texts[:15])) == _analyses(plain.pipe(texts[:15]))
    assert len(fast.get_pipe("attribute_ruler")._cache) <= 50


RULES = [  # every construct the compiled ruler evaluates, on real text
    {"patterns": [[{"TAG": {"IN": ["NN", "NNS"]}, "LOWER": {"REGEX": "^[a-m]"}}]], "attrs": {"LEMMA": "early"}},
    {"patterns": [[{"TAG": "NN", "DEP": {"NOT_IN": ["nsubj", ""]}}]], "attrs": {"POS": "X", "MORPH": "Foo=Bar"}},
    {"patterns": [[{"IS_PUNCT": True}]], "attrs": {"MORPH": "Punct=Yes"}},
    {"patterns": [[{"lower": "the"}, {"TAG": {"IN": ["NN", "NNP"]}}], [{"TEXT": "in"}, {}]],
     "attrs": {"LEMMA": "after-the"}, "index": -1},
    {"patterns": [[{"DEP": "prep"}, {"DEP": "det"}, {"IS_ALPHA": True}]], "attrs": {"TAG": "XX"}, "index": 1},
    {"patterns": [[{"LOWER": {"IN": ["said", "says"]}}]], "attrs": {"POS": "VERB", "LEMMA": "say"}},
]


def test_compiled_ruler_matches_spacys_attribute_ruler_rule_by_rule(texts):
    nlp = spacy.load(settings.get("model"), exclude=["attribute_ruler", "lemmatizer", "ner"])
    ruler = nlp.add_pipe("attribute_ruler", name="plain_ruler")
    ruler.add_patterns(RULES)
    assert attribute_rules_supported(RULES)
    compiled = CompiledAttributeRuler(nlp, "compiled", RULES)
    with nlp.select_pipes(disable=["plain_ruler"]):
        parsed = list(nlp.pipe(texts[:30]))
    twins = [doc.copy() for doc in parsed]
    expected = _analyses(ruler(doc) for doc in parsed)
    got = _analyses(compiled(doc) for doc in twins)
    assert got == expected
    lemmas = [t.lemma_ for doc in twins for t in doc]
    assert {"early", "after-the", "say"} <= set(lemmas)  # the rules did fire


def test_unsupported_rules_stay_with_spacy():
    assert not attribute_rules_supported([{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"LEMMA": "a"}}])
    assert not attribute_rules_supported([{"patterns": [[{"_": {"x": 1}}]], "attrs": {"LEMMA": "a"}}])
    assert not attribute_rules_supported([{"patterns": [[{"LOWER": {"FUZZY": "a"}}]], "attrs": {"LEMMA": "a"}}])
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"LEMMA": "a"})
    assert not compile_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_loaded_pipeline_uses_the_fast_paths_and_the_setting_turns_them_off(monkeypatch):
    from sitrep.errors import SitrepError
    from sitrep.pipeline.build import load

    monkeypatch.setenv("SITREP_FAST_PATHS", "off")
    assert type(load().get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    monkeypatch.setenv("SITREP_FAST_PATHS", "maybe")
    with pytest.raises(SitrepError, match="fast_paths"):
        load()
