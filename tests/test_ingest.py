"""Ingest: duplicates are linked and not re-extracted; re-ingesting adds nothing; a killed run resumes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep.ingest import ingest
from sitrep.store import open_store

from conftest import EXAMPLES


def body(i: int) -> str:
    towns = ["Kassala", "Beira", "Goma", "Maiduguri", "Sittwe", "Kharkiv", "Aden", "Djibo"]
    town = towns[i % len(towns)]
    return (f"Floods hit {town} for day {i}\nResidents wait for aid\n"
            f"At least {10 + i} people were killed and more than {1000 + 37 * i} displaced in {town} after "
            f"heavy rain on Monday, officials said. Rescue teams evacuated about {200 + i} families from "
            f"low-lying districts of {town}. Report number {i} describes damage to roads, bridges and "
            f"{300 + 11 * i} houses along the river.\n")


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_text(body(i), encoding="utf-8")
    return folder


def test_exact_and_near_duplicates_are_linked_not_extracted(tmp_path, corpus):
    original = (corpus / "a1.txt").read_text(encoding="utf-8")
    (corpus / "b_copy.txt").write_text(original.replace("\n", "\r\n"), encoding="utf-8")  # same content
    words = original.split(" ")
    words[-3] = "rivers"  # one word changed: a syndicated near-copy
    (corpus / "b_near.txt").write_text(" ".join(words), encoding="utf-8")
    store = open_store(tmp_path / "s.db")
    stats = ingest(store, [str(corpus)], workers=1, batch_size=4)
    assert (stats.ok, stats.duplicates, stats.failed) == (6, 2, 0)
    dups = {d["input_id"].rsplit("/", 1)[-1]: (d["kind"], d["first_copy"].rsplit("/", 1)[-1])
            for d in store.duplicates()}
    assert dups == {"b_copy.txt": ("exact", "a1.txt"), "b_near.txt": ("near", "a1.txt")}
    assert store.count("articles") == 6
    again = ingest(store, [str(corpus)], workers=1, batch_size=4)
    assert (again.ok, again.unchanged) == (0, 8)
    assert store.count("articles") == 6


def test_changed_input_is_extracted_again(tmp_path, corpus):
    store = open_store(tmp_path / "s.db")
    ingest(store, [str(corpus)], workers=1)
    (corpus / "a0.txt").write_text(body(40), encoding="utf-8")
    stats = ingest(store, [str(corpus)], workers=1)
    assert (stats.ok, stats.unchanged) == (1, 5)
    assert store.count("articles") == 6


def test_parallel_workers_match_single_process(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(20):
        (folder / f"n{i:02d}.txt").write_text(body(i), encoding="utf-8")
    one = open_store(tmp_path / "one.db")
    two = open_store(tmp_path / "two.db")
    ingest(one, [str(folder)], workers=1, batch_size=4)
    stats = ingest(two, [str(folder)], workers=2, batch_size=4)
    assert stats.ok == 20
    q = "SELECT a.input_id, f.category, f.low, f.high FROM figures f JOIN articles a ON a.id = f.article_id ORDER BY 1,2,3"
    assert one.query(q) == two.query(q)


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(db, timeout=1)
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _corpus(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "kill"
    folder.mkdir()
    for i in range(n):
        (folder / f"k{i:02d}.txt").write_text(body(i), encoding="utf-8")
    return folder


def _command(db: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "sitrep.cli", "ingest", "--db", str(db), "--workers", "1", "--batch-size", "3",
            "-q", str(folder)]


def _check_complete(db: Path, n: int) -> None:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT input_id, extraction FROM articles").fetchall()
    assert len(rows) == n and len({r[0] for r in rows}) == n
    for input_id, extraction in rows:  # no half-written article: facts match the stored extraction
        stored = con.execute("SELECT count(*) FROM figures f JOIN articles a ON a.id = f.article_id "
                             "WHERE a.input_id = ?", (input_id,)).fetchone()[0]
        assert stored == len(json.loads(extraction)["figures"]) > 0


@pytest.mark.parametrize("point, expect", [("after_commit:6", 6), ("mid_batch:2", 3)])
def test_kill_at_fixed_point_then_resume(tmp_path, point, expect):
    n = 12
    folder, db = _corpus(tmp_path, n), tmp_path / "k.db"
    env = {**os.environ, "SITREP_FAILPOINT": point}
    killed = subprocess.run(_command(db, folder), env=env, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL
    # after_commit:6 dies with two batches of 3 committed; mid_batch:2 dies while writing the 2nd article
    # of the first batch, so that transaction never commits and nothing is stored.
    assert _count(db) == (6 if point.startswith("after") else 0)
    res = subprocess.run(_command(db, folder), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "unchanged" in res.stderr
    _check_complete(db, n)


def test_kill_at_random_time_then_resume(tmp_path):
    n = 60
    folder, db = _corpus(tmp_path, n), tmp_path / "k.db"
    proc = subprocess.Popen(_command(db, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(random.uniform(0, 0.5))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _count(db) <= n
    res = subprocess.run(_command(db, folder), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    _check_complete(db, n)


def test_make_run_examples_have_no_duplicates(tmp_path):
    store = open_store(tmp_path / "e.db")
    stats = ingest(store, [str(EXAMPLES)], workers=1)
    assert stats.duplicates == 0 and stats.ok == len(list(EXAMPLES.glob("*.txt")))


def test_merge_links_duplicates_across_shards(tmp_path, extractor):
    from sitrep.ingest import merge
    from sitrep.sources import Article, Failure

    arts = [Article(f"s{i}", body(i)) for i in range(4)] + [Article("copy", body(2))]
    results = list(extractor.run(arts)) + [Failure("bad.jsonl:3", "E108", "invalid JSON", "bad.jsonl:3")]
    store = open_store(tmp_path / "m.db")
    stats = merge(store, results, batch_size=2)
    assert (stats.ok, stats.duplicates, stats.failed) == (4, 1, 1)
    assert [d["first_copy"] for d in store.duplicates()] == ["s2"]
    again = merge(store, results)
    assert (again.ok, again.unchanged) == (0, 5)
