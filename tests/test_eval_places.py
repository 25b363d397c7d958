"""The geoparsing evaluation: gold readers on the shared sets, the scorer on a hand-made case, a short run."""

from __future__ import annotations

import math

import pytest

from sitrep.eval import places as ev
from sitrep.eval.places import Toponym

from conftest import need_shared


def test_read_lgl_rows():
    docs = ev.read(need_shared("eval", "places", "lgl.xml"))
    assert len(docs) == 588
    assert sum(len(d.toponyms) for d in docs) == 5088
    assert sum(t.resolved for d in docs for t in d.toponyms) == 4462
    for d in docs[:50]:
        for t in d.toponyms:
            assert d.text[t.start:t.end] == t.phrase


def test_read_geovirus_shifted_offsets():
    docs = ev.read(need_shared("eval", "places", "GeoVirus.xml"))
    assert len(docs) == 229
    assert sum(len(d.toponyms) for d in docs) == 2170
    assert all(d.text[t.start:t.end] == t.phrase and t.resolved for d in docs for t in d.toponyms)


def test_read_trnews_realigns_offsets():
    path = need_shared("eval", "places", "TR-News.xml")
    docs = ev.read(path)
    assert len(docs) == 118
    total = sum(len(d.toponyms) for d in docs)
    assert 1300 <= total <= 1319  # a few offsets may be unplaceable; none is guessed
    for d in docs:
        for t in d.toponyms:
            assert " ".join(d.text[t.start:t.end].split()).lower() == " ".join(t.phrase.split()).lower()


def test_peer_files_align_with_lgl():
    folder = need_shared("eval", "places", "peers-lgl")
    docs = ev.read(need_shared("eval", "places", "lgl.xml"))
    ev.check_alignment(folder, docs)  # raises when document order differs
    gold = ev.read_gritta(folder / "lgl_gold.txt")
    assert len(gold) == len(docs)
    assert sorted((t.start, t.end) for t in gold[0]) == \
        sorted((t.start, t.end) for t in docs[0].toponyms if t.resolved)
    names = {ev.peer_name(p) for p in ev.peer_files(folder)}
    assert {"Edinburgh", "GeoTxt", "CLAVIN"} <= names and "gold" not in names


def test_align_finds_the_nearest_occurrence():
    text = "Springfield is far. Later, in Springfield again, and springfield."
    assert ev.align(text, "Springfield", 0, 11) == (0, 11)
    assert ev.align(text, "Springfield", 29, 40) == (30, 41)  # off by one
    assert ev.align(text, "springfield", 31, 42) == (53, 64)  # the exact spelling before a nearer case variant
    assert ev.align(text, "Shelbyville", 0, 11) is None


def test_scorer_on_a_hand_made_case():
    # "Flooding hit Lyon and Paris, then Berlin." - gold: Lyon, Paris, Berlin; an unresolved "hit".
    gold = [Toponym(13, 17, "Lyon", 45.76, 4.84), Toponym(22, 27, "Paris", 48.86, 2.35),
            Toponym(34, 40, "Berlin", 52.52, 13.40), Toponym(9, 12, "hit")]
    predicted = [
        Toponym(13, 17, "Lyon", 45.76, 4.84),          # exact, right place
        Toponym(18, 27, "and Paris", 33.66, -95.56),   # overlaps Paris too, but less exactly: a false alarm
        Toponym(0, 8, "Flooding", 0.0, 0.0),           # false alarm
        Toponym(22, 27, "Paris", 48.86, 2.35),         # second claim on Paris: not matched again
    ]
    row = ev.score([(gold, predicted)], "test")
    assert row["matched"] == 2 and row["gold"] == 3 and row["predicted"] == 4
    assert row["precision"] == pytest.approx(0.5)
    assert row["recall"] == pytest.approx(2 / 3)
    assert row["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    # equal overlaps (5 characters): the prediction starting nearer the gold span is matched
    assert row["acc161"] == pytest.approx(1.0)
    assert row["median_km"] == pytest.approx(0.0)


def test_auc_definition():
    assert ev.auc([0.0, 0.0]) == 0.0
    assert ev.auc([ev.MAX_KM, ev.MAX_KM]) == pytest.approx(1.0, abs=1e-4)
    errors = [0.0, 100.0, 1000.0]
    scaled = sorted(math.log1p(e) / math.log(ev.MAX_KM) for e in errors)
    expected = ((scaled[0] + scaled[1]) / 2 + (scaled[1] + scaled[2]) / 2) / 2
    assert ev.auc(errors) == pytest.approx(expected)
    assert ev.auc([]) is None


def test_read_gwn_layout(tmp_path):
    """The GeoWebNews layout (GWN.xml + Geocoding/gwn_full.txt), on a folder written here."""
    text = "Storms hit Leeds and York on Monday."
    (tmp_path / "Geocoding").mkdir()
    (tmp_path / "GWN.xml").write_text(
        '<?xml version="1.0" ?><articles><article file="a1"><title>t</title><link>l</link>'
        f"<text>{text}</text><toponyms>"
        "<toponym><extractedName>Leeds</extractedName><type>Literal</type><start>11</start><end>16</end>"
        "<geonamesID>2644688</geonamesID><latitude>53.79</latitude><longitude>-1.55</longitude></toponym>"
        "<toponym><extractedName>York</extractedName><type>Literal</type><start>21</start><end>25</end>"
        "<geonamesID>2633352</geonamesID><latitude>53.96</latitude><longitude>-1.08</longitude></toponym>"
        "</toponyms></article></articles>", encoding="utf-8")
    (tmp_path / "Geocoding" / "gwn_full.txt").write_text(
        "Leeds,,Leeds,,53.79,,-1.55,,11,,16||York,,York,,53.96,,-1.08,,21,,25||\n", encoding="utf-8")
    (tmp_path / "gwn_edin.txt").write_text("Leeds,,Leeds,,53.8,,-1.5,,11,,16||\n", encoding="utf-8")
    docs = ev.read(tmp_path)
    assert len(docs) == 1 and [t.phrase for t in docs[0].toponyms] == ["Leeds", "York"]
    assert [ev.peer_name(p) for p in ev.peer_files(tmp_path)] == ["Edinburgh"]
    (tmp_path / "Geocoding" / "gwn_full.txt").unlink()  # without it: the XML's resolved toponyms
    assert [t.phrase for t in ev.read(tmp_path / "GWN.xml")[0].toponyms] == ["Leeds", "York"]


def test_evaluate_lgl_subset(extractor):
    path = need_shared("eval", "places", "lgl.xml")
    result = ev.evaluate(path, limit=20, peers=need_shared("eval", "places", "peers-lgl"), extractor=extractor)
    assert result["task"] == "places" and result["n"] == 20
    rows = {r["system"]: r for r in result["rows"]}
    assert result["rows"][0]["system"] == "sitrep" and "Edinburgh" in rows
    ours = rows["sitrep"]
    assert ours["gold"] == rows["Edinburgh"]["gold"] > 100
    assert 0.6 <= ours["f1"] <= 1.0 and 0.6 <= ours["acc161"] <= 1.0 and 0.0 <= ours["auc"] <= 0.5
    table = ev.format_table(result)
    assert "sitrep" in table and "acc161" in table
    # the far misses listed are exactly the matched toponyms the accuracy counts as wrong
    far = result["far"]
    assert sum(f["count"] for f in far) == round((1 - ours["acc161"]) * ours["matched"]) > 0
    assert all(f["km"] > 161 for f in far) and far == sorted(far, key=lambda f: -f["count"])
    assert "more than 161 km off" in table
