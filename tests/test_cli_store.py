"""The command line and the embedded store, end to end on the bundled examples."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from sitrep.cli import main

from conftest import EXAMPLES, ROOT

GOOD = ("Floods displace thousands in Beira\nRescue teams search for survivors\n"
        "At least 12 people were killed and more than 3,000 displaced by floods in Beira on Monday, "
        "officials said.\n")


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory, runner):
    path = tmp_path_factory.mktemp("store") / "sitrep.db"
    res = runner.invoke(main, ["ingest", "--db", str(path), str(EXAMPLES)])
    assert res.exit_code == 0, res.output
    return path


def test_examples_are_ours_and_enough():
    files = sorted(EXAMPLES.glob("*.txt"))
    assert len(files) >= 12
    for f in files:
        lines = [ln for ln in f.read_text(encoding="utf-8").split("\n") if ln.strip()]
        assert any(ln.startswith("- ") for ln in lines), f  # related links
        assert re.match(r"\d{4}-\d{2}-\d{2}-", f.name)


def test_ingest_store_and_migrations(db):
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(list(EXAMPLES.glob("*.txt")))
    assert con.execute("SELECT count(*) FROM figures").fetchone()[0] > 50
    from sitrep.store.migrations import MIGRATIONS

    assert [r[0] for r in con.execute("SELECT version FROM migrations")] == [m[0] for m in MIGRATIONS]
    # every figure points into its article's text
    for text, ftext, start, end in con.execute(
            'SELECT a.text, f.text, f.start, f."end" FROM figures f JOIN articles a ON a.id = f.article_id'):
        assert text[start:end] == ftext


def test_reingest_adds_nothing(db, runner):
    before = sqlite3.connect(db).execute("SELECT count(*) FROM figures").fetchone()[0]
    res = runner.invoke(main, ["ingest", "--db", str(db), str(sorted(EXAMPLES.glob("*.txt"))[0])])
    assert res.exit_code == 0
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == before
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(list(EXAMPLES.glob("*.txt")))


def test_report(db, runner):
    res = runner.invoke(main, ["report", "--db", str(db)])
    assert res.exit_code == 0
    assert res.output.startswith("Situation report:")
    assert re.search(r"^  killed$", res.output, re.M)
    assert "\u2265" in res.output or "\u2264" in res.output  # bounds are shown


def test_figures_filters_and_formats(db, runner):
    res = runner.invoke(main, ["figures", "--db", str(db), "--category", "killed", "--json"])
    rows = json.loads(res.output)
    assert rows and all(r["category"] == "killed" for r in rows)
    res = runner.invoke(main, ["figures", "--db", str(db), "--place", "NG", "--csv"])
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert rows and all(r["country_code"] == "NG" for r in rows)
    res = runner.invoke(main, ["figures", "--db", str(db), "--since", "2025-01-01", "--json"])
    assert all((r["date"] or r["published"]) >= "2025-01-01" for r in json.loads(res.output))
    for command in ("quotes", "places", "actors"):
        res = runner.invoke(main, [command, "--db", str(db), "--json"])
        assert res.exit_code == 0 and json.loads(res.output), command


def test_extract_jsonl_validates(runner, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from conftest import need_shared

    schema = json.loads(need_shared("contract", "extraction.schema.json").read_text(encoding="utf-8"))
    res = runner.invoke(main, ["extract", "--jsonl", str(EXAMPLES)])
    assert res.exit_code == 0
    lines = res.output.strip().split("\n")
    assert len(lines) == len(list(EXAMPLES.glob("*.txt")))
    for line in lines:
        obj = json.loads(line)
        jsonschema.validate(obj, schema)
        for f in obj["figures"]:
            assert obj["article"]["text"][f["start"]:f["end"]] == f["text"]


def test_stdin(runner):
    res = runner.invoke(main, ["extract", "--published", "2024-03-04", "-"], input=GOOD)
    assert res.exit_code == 0
    obj = json.loads(res.output)
    assert obj["article"]["id"] == "-" and obj["article"]["published"] == "2024-03-04"
    assert {f["category"] for f in obj["figures"]} >= {"killed", "displaced"}


def test_exit_codes_failures_and_retry(runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    db = tmp_path / "s.db"
    res = runner.invoke(main, ["ingest", "--db", str(db), str(good), str(bad)])
    assert res.exit_code == 1
    assert f"{bad}: empty input [E101]" in res.output  # one line naming the input and the reason
    assert "Traceback" not in res.output
    res = runner.invoke(main, ["ingest", "--db", str(db), str(bad)])
    assert res.exit_code == 2
    res = runner.invoke(main, ["failures", "--db", str(db), "--json"])
    rows = json.loads(res.output)
    assert [(r["input"], r["code"], r["attempts"]) for r in rows] == [(str(bad), "E101", 2)]
    bad.write_text(GOOD.replace("Beira", "Quelimane"), encoding="utf-8")  # fixed: retry succeeds
    res = runner.invoke(main, ["ingest", "--db", str(db), "--retry-failed"])
    assert res.exit_code == 0
    assert json.loads(runner.invoke(main, ["failures", "--db", str(db), "--json"]).output) == []
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_console_script_installed():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "sitrep"
    assert script.exists() or shutil.which("sitrep")
    out = subprocess.run([str(script) if script.exists() else "sitrep", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "ingest" in out.stdout


def test_settings_are_documented():
    from sitrep.settings import SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"`{s.name}`" in readme and f"SITREP_{s.name.upper()}" in readme, s.name
