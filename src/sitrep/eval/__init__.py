"""Evaluation against public gold sets, scored the same way for sitrep and for peers.

Each task module exposes ``evaluate(data, *, limit=None, peers=None, extractor=None) -> dict`` and
``format_table(result) -> str``. A result dict has at least ``task``, ``data``, ``n`` and ``rows``: one
row per system (``system`` plus metric columns), sitrep first.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError

TASKS = {
    "places": "sitrep.eval.places",
    "attribution": "sitrep.eval.attribution",
    "figures": "sitrep.eval.figures",
    "seed": "sitrep.eval.seed",
    "events": "sitrep.eval.events",
}


def run(task: str, data: str | Path, *, limit: int | None = None, peers: str | Path | None = None,
        extractor: Any = None) -> dict[str, Any]:
    if task not in TASKS:
        raise SitrepError(f"unknown evaluation task '{task}' (one of: {', '.join(TASKS)})", "E401")
    path = Path(data)
    if not path.exists():
        raise SitrepError(f"{path}: no such evaluation data", "E402")
    module = importlib.import_module(TASKS[task])
    return module.evaluate(path, limit=limit, peers=Path(peers) if peers else None, extractor=extractor)


def format_table(result: dict[str, Any]) -> str:
    module = importlib.import_module(TASKS[result["task"]])
    return module.format_table(result)


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain text table; floats to three decimals."""
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.3f}"
        return "" if v is None else str(v)

    widths = {c: max(len(c), *(len(cell(r.get(c))) for r in rows)) if rows else len(c) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(cell(r.get(c)).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(lines)
