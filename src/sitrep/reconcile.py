"""Reconciled figures: per place, category and period, every estimate by source side by side, with the
spread, the conservative figure and the central figure.

- spread: the lowest to the highest bound any estimate gives;
- conservative: the smallest value any estimate commits to (the smallest non-null ``low``), with its modality
  and source;
- central: the median of the estimates' midpoints, an open bound counting as its given value.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

PERIODS = ("month", "week", "all")


def period_of(day: str | None, period: str) -> str:
    if not day:
        return "undated"
    if period == "all":
        return "all"
    if period == "week" and len(day) >= 10:
        from datetime import date

        y, w, _ = date.fromisoformat(day[:10]).isocalendar()
        return f"{y}-W{w:02d}"
    return day[:7]


def midpoint(low: float | None, high: float | None) -> float | None:
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def reconcile_rows(rows: list[dict[str, Any]], period: str = "month") -> list[dict[str, Any]]:
    """Group figure rows (as ``Store.figures`` returns them) into reconciled groups."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r.get("low") is None and r.get("high") is None:
            continue
        day = r.get("date") or r.get("published")
        key = (r.get("place") or "(no place)", r.get("country_code"), r["category"], period_of(day, period))
        groups[key].append(r)
    out = []
    for (place, cc, category, per), items in sorted(groups.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        ids = {r.get("id") for r in items}
        estimates = [{
            "source": r.get("source") or "(unattributed)", "low": r.get("low"), "high": r.get("high"),
            "modality": r.get("modality"), "date": r.get("date") or r.get("published"), "article": r.get("article"),
            "text": r.get("text"), "id": r.get("id"), "article_id": r.get("article_id"), "start": r.get("start"),
            "end": r.get("end"), "repeated_in": [],
        } for r in items if r.get("repeat_of") not in ids or r.get("repeat_of") is None]
        by_id = {e["id"]: e for e in estimates}
        for r in items:  # the same figure from another outlet's copy of the story counts once
            if r.get("repeat_of") is not None and r["repeat_of"] in by_id:
                by_id[r["repeat_of"]]["repeated_in"].append(r.get("article"))
        bounds = [v for e in estimates for v in (e["low"], e["high"]) if v is not None]
        lows = [e for e in estimates if e["low"] is not None]
        conservative = min(lows, key=lambda e: e["low"]) if lows else None
        mids = [m for e in estimates if (m := midpoint(e["low"], e["high"])) is not None]
        out.append({
            "place": place, "country_code": cc, "category": category, "period": per,
            "estimates": sorted(estimates, key=lambda e: (e["date"] or "", e["source"])),
            "spread": [min(bounds), max(bounds)] if bounds else None,
            "conservative": ({"value": conservative["low"], "modality": conservative["modality"],
                              "source": conservative["source"]} if conservative else None),
            "central": statistics.median(mids) if mids else None,
            "sources": len({e["source"] for e in estimates}),
        })
    return out


def reconcile(store: Any, place: str | None = None, category: str | None = None, since: str | None = None,
              period: str = "month") -> list[dict[str, Any]]:
    """Reconciled groups from a store, filtered like ``sitrep figures``."""
    return reconcile_rows(store.figures(place=place, category=category, since=since), period)


def _n(v: float | None) -> str:
    if v is None:
        return "?"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}"


def format_groups(groups: list[dict[str, Any]]) -> str:
    lines = []
    for g in groups:
        spread = f"{_n(g['spread'][0])}–{_n(g['spread'][1])}" if g["spread"] else "?"
        cons = g["conservative"]
        conservative = f"{_n(cons['value'])} ({cons['modality']}, {cons['source']})" if cons else "?"
        lines.append(f"{g['place']} ({g['country_code'] or '-'}) · {g['category']} · {g['period']}: "
                     f"{len(g['estimates'])} estimate(s) from {g['sources']} source(s); spread {spread}; "
                     f"conservative {conservative}; central {_n(g['central'])}")
        for e in g["estimates"]:
            rng = _n(e["low"]) if e["low"] == e["high"] else f"{_n(e['low'])}–{_n(e['high'])}"
            also = f" (repeated in {len(e['repeated_in'])} more)" if e.get("repeated_in") else ""
            lines.append(f"    {rng:<20} {e['modality']:<9} {e['date'] or '':<10}  {e['source']}  [{e['article']}]{also}")
    return "\n".join(lines)
