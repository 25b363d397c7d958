"""Stories across articles: the bundled pairs that report one event become one story counted once; the pairs
that only share place and type stay apart. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_store import location  # noqa: F401 - the SQLite / PostgreSQL fixture

from sitrep.export import ACLED_COLUMNS, export
from sitrep.reconcile import reconcile, reconcile_rows
from sitrep.store import open_store

from conftest import EXAMPLES

SAME = [
    ("2024-09-11-maiduguri-dam-floods", "2024-09-12-maiduguri-flood-toll-rises", "Disaster"),
    ("2025-01-27-goma-fighting-outskirts", "2025-01-28-goma-city-center-clashes", "Battles"),
    ("2025-03-10-beni-market-attack", "2025-03-11-beni-attack-toll-rises", "Violence against civilians"),
]
APART = [
    ("2025-04-02-kharkiv-shelling-saltivka", "2025-04-10-kharkiv-shelling-industrial", "Explosions/Remote violence"),
    ("2025-05-06-nairobi-teachers-protest", "2025-05-20-nairobi-doctors-protest", "Protests"),
    ("2025-10-05-mogadishu-car-bomb-checkpoint", "2025-10-12-mogadishu-bomb-tea-shop",
     "Explosions/Remote violence"),
]


@pytest.fixture(scope="module")
def pair_results(extract_text):
    names = sorted({n for a, b, _ in SAME + APART for n in (a, b)})
    out = []
    for name in names:
        path = EXAMPLES / f"{name}.txt"
        out.append(extract_text(path.read_text(encoding="utf-8"), id=name, published=name[:10]))
    return out


@pytest.fixture
def store(location, pair_results):  # noqa: F811
    s = open_store(location)
    s.add_many([(r, None, None) for r in pair_results])
    return s


def _stories(store, article: str, etype: str) -> set[int]:
    rows = store.query('SELECT e.story_id FROM events e JOIN articles a ON a.id = e.article_id '
                       'WHERE a.input_id = ? AND e.type = ?', (article, etype))
    return {r[0] for r in rows}


@pytest.mark.parametrize(("first", "second", "etype"), SAME)
def test_same_event_is_one_story_counted_once(store, first, second, etype):
    a, b = _stories(store, first, etype), _stories(store, second, etype)
    assert a and b, "both articles report the event"
    shared = a & b
    assert shared, f"{first} and {second} should share a {etype} story"
    rows = [s for s in store.stories(type=etype) if s["id"] in shared]
    assert rows and max(s["articles"] for s in rows) == 2  # one story, told by two articles


@pytest.mark.parametrize(("first", "second", "etype"), APART)
def test_same_place_and_type_other_day_stays_apart(store, first, second, etype):
    a, b = _stories(store, first, etype), _stories(store, second, etype)
    assert a and b, "both articles report an event of this type"
    assert not a & b, f"{first} and {second} are different events"


def test_repeated_figure_counts_once(store):
    groups = reconcile(store, place="Beni", category="displaced")
    assert len(groups) == 1
    estimates = groups[0]["estimates"]
    assert len(estimates) == 1 and estimates[0]["low"] == 2000
    assert len(estimates[0]["repeated_in"]) == 1  # the second outlet's copy is linked, not counted again


def test_relinking_adds_no_story(store, pair_results):
    before = store.count("stories")
    store.add_many([(r, None, None) for r in pair_results[:3]])
    assert store.count("stories") == before


def test_exports_parse(store):
    gj = json.loads(export(store, "geojson"))
    assert gj["type"] == "FeatureCollection" and gj["features"]
    for feat in gj["features"]:
        lon, lat = feat["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    kinds = {f["properties"]["kind"] for f in gj["features"]}
    assert kinds == {"event", "figure"}
    acled = list(csv.reader(io.StringIO(export(store, "acled"))))
    assert acled[0] == ACLED_COLUMNS and len(acled) > 5
    assert {r[ACLED_COLUMNS.index("event_type")] for r in acled[1:]} >= {"Battles", "Protests"}
    hxl = list(csv.reader(io.StringIO(export(store, "hxl"))))
    tags = hxl[1]
    assert all(t.startswith("#") for t in tags)
    assert {"#affected+killed", "#affected+idps", "#geo+lat", "#geo+lon", "#adm1+name", "#meta+source"} <= set(tags)
    plain = list(csv.DictReader(io.StringIO(export(store, "csv"))))
    assert plain and {"place", "category", "low", "high", "source"} <= set(plain[0])
    full = json.loads(export(store, "json"))
    assert set(full) == {"figures", "events", "stories"}


def test_reconcile_arithmetic():
    rows = [
        {"place": "Mosul", "country_code": "IQ", "category": "displaced", "low": 500000, "high": None,
         "modality": "expected", "source": "Minister", "date": "2016-07-30", "article": "a"},
        {"place": "Mosul", "country_code": "IQ", "category": "displaced", "low": None, "high": 1000000,
         "modality": "possible", "source": "ICRC", "date": "2016-07-30", "article": "a"},
        {"place": "Mosul", "country_code": "IQ", "category": "displaced", "low": 200000, "high": 400000,
         "modality": "reported", "source": "IOM", "date": "2016-07-20", "article": "b"},
    ]
    (g,) = reconcile_rows(rows)
    assert g["spread"] == [200000, 1000000]
    assert g["conservative"] == {"value": 200000, "modality": "reported", "source": "IOM"}
    assert g["central"] == 500000  # median of 500,000, 1,000,000 and 300,000
    assert g["period"] == "2016-07" and g["sources"] == 3
