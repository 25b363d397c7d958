"""One store test suite, run against SQLite and against a real PostgreSQL server.

PostgreSQL comes from ``SITREP_TEST_POSTGRES`` (a postgresql:// URL to a database the tests may wipe);
``.ci/run`` installs and starts a server and sets it. Without it the PostgreSQL half skips, except under
``CI=true`` where that is a failure.
"""

from __future__ import annotations

import copy
import os

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.sources import Failure
from sitrep.store import open_store
from sitrep.store.migrations import MIGRATIONS

from conftest import EXAMPLES

PG = os.environ.get("SITREP_TEST_POSTGRES")


def _wipe_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    if not PG:
        message = "SITREP_TEST_POSTGRES is not set: no PostgreSQL server to test against"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true)")
        pytest.skip(message)
    _wipe_postgres(PG)
    return PG


@pytest.fixture(scope="module")
def results(extract_text):
    files = sorted(EXAMPLES.glob("*.txt"))[:3]
    return [extract_text(f.read_text(encoding="utf-8"), id=f.name, published=f.name[:10]) for f in files]


def test_migrations_recorded_once(location):
    store = open_store(location)
    assert store.versions() == [m[0] for m in MIGRATIONS]
    again = open_store(location)
    assert again.migrate() == [] and again.versions() == store.versions()


def test_add_and_query(location, results):
    store = open_store(location)
    for r in results:
        store.add(r, "hash-" + r["article"]["id"], b"\x00\x01" * 8)
    assert store.count("articles") == 3
    figures = store.figures()
    assert len(figures) == sum(len(r["figures"]) for r in results)
    killed = store.figures(category="killed")
    assert killed and all(f["category"] == "killed" for f in killed)
    cc = figures[0]["country_code"]
    assert all(f["country_code"] == cc for f in store.figures(place=cc))
    name = figures[0]["place"]
    assert store.figures(place=name.lower()[:4])  # case-insensitive substring on both backends
    assert all(f["date"] >= "2024-06-01" for f in store.figures(since="2024-06-01") if f["date"])
    assert store.quotes() and store.places() and store.actors()
    assert store.signatures()[0][1] == b"\x00\x01" * 8
    assert store.stored_hash(results[0]["article"]["id"]) == "hash-" + results[0]["article"]["id"]
    assert store.find_hash("hash-" + results[1]["article"]["id"])[1] == results[1]["article"]["id"]


def test_readding_replaces(location, results):
    store = open_store(location)
    store.add(results[0])
    store.add(results[0])
    assert store.count("articles") == 1
    assert len(store.figures()) == len(results[0]["figures"])


def test_batch_is_one_transaction(location, results):
    store = open_store(location)
    broken = copy.deepcopy(results[1])
    broken["figures"][0]["category"] = None  # NOT NULL: the write fails midway
    with pytest.raises(Exception):  # noqa: B017 - the backend's own integrity error
        store.add_many([(results[0], None, None), (broken, None, None)])
    assert store.count("articles") == 0 and store.count("figures") == 0


def test_failures_and_duplicates(location, results):
    store = open_store(location)
    store.add_failure(Failure("x.txt", "E101", "empty input", "x.txt"))
    store.add_failure(Failure("x.txt", "E101", "empty input", "x.txt"))
    rows = store.failures()
    assert [(r["input"], r["attempts"]) for r in rows] == [("x.txt", 2)]
    aid = store.add(results[0])
    store.add_duplicate("copy.txt", aid, "near", 0.93)
    assert store.is_duplicate("copy.txt")
    assert store.duplicates()[0]["first_copy"] == results[0]["article"]["id"]


def test_cli_ingest_and_report(location):
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", "--db", location, "--workers", "1", "-q", str(EXAMPLES)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["report", "--db", location])
    assert res.exit_code == 0 and "Situation report" in res.output
    assert ":sitrep@" not in res.output and (location.endswith(".db") or "***@" in res.output)


def test_place_totals_follow_inserts_and_replacements(location, results):  # noqa: F811
    """The running totals behind the places list equal a count over every mention, after a re-ingest too."""
    store = open_store(location)
    store.add_many([(r, None, None) for r in results])

    def live():
        return sorted((p["name"], p["country_code"], p["feature"], p["articles"], p["mentions"])
                      for p in store.places(since="0000"))

    def totals():
        return sorted((p["name"], p["country_code"], p["feature"], p["articles"], p["mentions"])
                      for p in store.places())

    assert totals() == live() and len(live()) > 5
    store.add_many([(results[0], None, None)])  # replaced: its places are taken off, then counted again
    assert totals() == live()
    first = {p["name"] for p in results[0]["places"]} - {p["name"] for r in results[1:] for p in r["places"]}
    store.db.begin()
    store.db.run("DELETE FROM articles WHERE input_id = ?", (results[0]["article"]["id"],))
    store.db.commit()
    assert totals() == live()
    assert not first & {p[0] for p in totals()}
