"""Place resolution on short texts written for the tests: which of a name's namesakes the text means."""

from __future__ import annotations

import pytest


def place_of(extract_text, text: str, name: str) -> dict:
    places = extract_text(text, layout="body")["places"]
    return next(p for p in places if any(m["text"] == name for m in p["mentions"]))


@pytest.mark.parametrize(("text", "name"), [
    ("WASHINGTON - The talks on a ceasefire resumed on Tuesday, officials said.", "WASHINGTON"),
    ("Diplomats in Kabul said Washington would send more food aid to the displaced.", "Washington"),
])
def test_a_bare_capital_name_is_the_capital_not_the_subdivision_named_alike(extract_text, text, name):
    washington = place_of(extract_text, text, name)
    assert (washington["admin1"], washington["feature"]) == ("US.DC", "city")


@pytest.mark.parametrize("text", [
    "The fires burned 4,000 hectares of forest in Washington state, officials said.",
    "The first case was found in the state of Washington in 2003, officials said.",
])
def test_a_name_the_text_calls_a_state_is_the_state(extract_text, text):
    washington = place_of(extract_text, text, "Washington")
    assert (washington["admin1"], washington["feature"]) == ("US.WA", "admin1")
