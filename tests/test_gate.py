"""The evaluation gate fails when a score is below its floor, and passes at the pinned floors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sitrep.cli import main

from conftest import ROOT, need_shared


def write_floors(tmp_path, floor: float):
    need_shared("examples", "mosul-2016.gold.json")
    folder = tmp_path / "eval"
    folder.mkdir()
    (folder / "floors.json").write_text(json.dumps({
        "seed": {"task": "seed", "data": str(ROOT.parent / "shared" / "examples"),
                 "floors": {"figures_required": floor}}}), encoding="utf-8")
    return folder / "floors.json"


def test_gate_fails_below_floor(tmp_path):
    res = CliRunner().invoke(main, ["gate", "--floors", str(write_floors(tmp_path, 1.01))])
    assert res.exit_code == 1 and "FAIL" in res.output


def test_gate_passes_at_floor(tmp_path):
    res = CliRunner().invoke(main, ["gate", "--floors", str(write_floors(tmp_path, 1.0))])
    assert res.exit_code == 0 and "gate: passed" in res.output


def test_missing_data_fails_under_ci(tmp_path, monkeypatch):
    folder = tmp_path / "eval"
    folder.mkdir()
    (folder / "floors.json").write_text(json.dumps({
        "nothing": {"task": "seed", "data": "no/such/folder", "floors": {"figures_required": 1.0}}}))
    monkeypatch.setenv("CI", "true")
    assert CliRunner().invoke(main, ["gate", "--floors", str(folder / "floors.json")]).exit_code == 1
    monkeypatch.setenv("CI", "false")
    assert CliRunner().invoke(main, ["gate", "--floors", str(folder / "floors.json")]).exit_code == 0
