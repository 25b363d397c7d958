"""The evaluation gate: run fixed development subsets and fail when a score falls below its pinned floor.

Floors live in ``eval/floors.json`` under version control::

    {"name": {"task": "places", "data": "../shared/eval/places/lgl.xml", "limit": 100,
              "floors": {"f1": 0.70, "acc161": 0.75}}}

Paths are relative to the floors file's folder's parent (the repository root). A missing data set is a
skip, except under ``CI=true`` where it is a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError


def load_floors(path: Path) -> dict[str, dict[str, Any]]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SitrepError(f"{path}: cannot read floors ({exc})", "E403") from None


def run_gate(floors_path: Path, only: list[str] | None = None) -> tuple[bool, list[dict[str, Any]]]:
    """Returns (passed, checks); each check is one metric of one set against its floor."""
    from sitrep import eval as ev
    from sitrep.api import Extractor

    floors = load_floors(floors_path)
    root = floors_path.resolve().parent.parent
    strict = os.environ.get("CI", "").lower() == "true"
    extractor = Extractor()
    checks: list[dict[str, Any]] = []
    for name, spec in floors.items():
        if only and name not in only:
            continue
        data = (root / spec["data"]).resolve()
        if not data.exists():
            checks.append({"set": name, "metric": "-", "floor": None, "score": None,
                           "status": "FAIL" if strict else "skip", "note": f"{data} is absent"})
            continue
        result = ev.run(spec["task"], data, limit=spec.get("limit"), extractor=extractor)
        row = next(r for r in result["rows"] if r["system"] == "sitrep")
        for metric, floor in spec["floors"].items():
            score = row.get(metric)
            ok = score is not None and score + 1e-9 >= floor
            checks.append({"set": name, "metric": metric, "floor": floor, "score": score,
                           "status": "ok" if ok else "FAIL", "note": f"n={result['n']}"})
    return all(c["status"] != "FAIL" for c in checks), checks
