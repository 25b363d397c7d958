"""The figures evaluation: its CSV readers, its scorer on a hand-made example, and a run on the IDMC set."""

from __future__ import annotations

import pytest

from sitrep.eval import figures as ev

from conftest import need_shared

IDMC = ("eval", "figures", "idmc_fully_labelled.csv")


def test_reads_idmc_rows():
    rows = ev.read_rows(need_shared(*IDMC))
    assert len(rows) == 133
    assert all(r.quantity is not None and r.text for r in rows)
    assert {r.term for r in rows} <= set(ev.TERM_CATEGORIES)
    assert {r.unit for r in rows} == {"people", "households", "houses"}
    housing = [r for r in rows if r.term in ev.HOUSING_TERMS]
    assert housing and all(r.unit == "houses" for r in housing)
    assert sum(r.country is not None for r in rows) > 120  # 'Name;ISO3;numeric' gives ISO2


def test_reads_idetect_layout(tmp_path):
    path = tmp_path / "excerpts.csv"
    path.write_text(
        "Excerpt,Quantity,Term,Unit,Location,Country\n"
        '"Floods forced 1,200 families from their homes in Kassala.",1200,FORCED_TO_FLEE,HOUSEHOLD,Kassala,SDN\n'
        '"The storm destroyed 45 houses near Beira.",45.0,Destroyed housing,Person,Beira,Mozambique\n'
        '"No figure here.",,Displaced,People,,\n', encoding="utf-8")
    rows = ev.read_rows(path)
    assert [(r.quantity, r.term, r.unit, r.country) for r in rows] == [
        (1200, "forced to flee", "households", "SD"), (45, "destroyed housing", "houses", "MZ"),
        (None, "displaced", "people", None)]
    assert rows[0].categories == {"displaced"}


@pytest.mark.parametrize("text, value", [
    ("some 14 000 people", 14000), ("61, 000 people", 61000), ("2.14 lakh people", 214000),
    ("one million people", 1_000_000), ("Fifteen people", 15), ("1,286 families", 1286),
    ("2.000 mineros", 2000), ("1.2 million", 1_200_000),
])
def test_written_values(text, value):
    assert value in ev.written_values(text)


def test_scorer_on_a_hand_made_example():
    row = ev.Row("0", "Floods forced 1,200 families from their homes in Kassala, and 30 people died.", 1200,
                 "forced to flee", "households", "Kassala", "SD")
    assert ev.is_written(row) and ev.is_named(row)

    def fig(low, category, unit, place=None, cc=None, start=0):
        return {"low": low, "high": low, "category": category, "unit": unit, "place": place, "country_code": cc,
                "start": start, "modality": "reported"}

    right = ev.score_row(row, [fig(1200, "displaced", "households", "Kassala State", None)])
    assert right == {"quantity": True, "quantity_term": True, "quantity_term_unit": True, "location": True,
                     "named": True, "predicted": True, "predicted_right": True}
    wrong_unit = ev.score_row(row, [fig(1200, "displaced", "people", None, "SD")])
    assert (wrong_unit["quantity_term"], wrong_unit["quantity_term_unit"], wrong_unit["location"]) == \
        (True, False, True)  # the country code is enough for location
    # the first displacement figure is the one-per-excerpt prediction: here the wrong one
    other_first = ev.score_row(row, [fig(30, "evacuated", "people", start=0), fig(1200, "evacuated", "households",
                                                                                   start=10)])
    assert other_first["quantity"] and not other_first["quantity_term"] and not other_first["predicted_right"]
    m = ev._metrics([right, wrong_unit, other_first])
    assert m["quantity"] == 1.0 and m["quantity_term_unit"] == pytest.approx(1 / 3)
    assert m["quantity_p"] == pytest.approx(2 / 3) and m["quantity_r"] == pytest.approx(2 / 3)


def test_not_written_sums_do_not_qualify():
    row = ev.Row("0", "709,841 people displaced in Jajpur and 363,832 in Puri district.", 1073673, "displaced",
                 "people", "", None)
    assert not ev.is_written(row)


def test_evaluate_idmc(extractor, monkeypatch):
    monkeypatch.setattr(ev, "_quantulum", lambda rows: (None, "peer skipped in this test"))
    result = ev.evaluate(need_shared(*IDMC), extractor=extractor)
    ours = result["rows"][0]
    assert result["task"] == "figures" and result["n"] == 133 and ours["system"] == "sitrep"
    assert 100 <= result["counts"]["qualifying"] <= 120
    assert ours["qualifying_quantity"] >= ours["qualifying_quantity_term"] >= ours["qualifying_quantity_term_unit"]
    assert ours["qualifying_quantity_term_unit"] >= 0.85
    assert ours["qualifying_quantity_f1"] >= 0.8
    table = ev.format_table(result)
    assert "qualifying rows" in table and "note: peer skipped in this test" in table
