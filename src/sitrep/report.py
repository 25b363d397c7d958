"""The situation report: per place and category, every figure with its range, source, modality, date."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

SYMBOLS = {"usd": "$", "eur": "\u20ac", "gbp": "\u00a3"}
MODALITY_WORD = {"reported": "reported", "expected": "expected", "possible": "possibly", "negated": "not"}


def fmt_number(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "?"
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit in SYMBOLS:
        return f"{SYMBOLS[unit]}{value:,.0f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def fmt_range(low: float | None, high: float | None, approximate: bool, unit: str | None = None) -> str:
    tilde = "~" if approximate else ""
    if low is not None and high is not None:
        if low == high:
            return f"{tilde}{fmt_number(low, unit)}"
        return f"{tilde}{fmt_number(low, unit)}\u2013{fmt_number(high, unit)}"
    if low is not None:
        return f"\u2265 {tilde}{fmt_number(low, unit)}"
    if high is not None:
        return f"\u2264 {tilde}{fmt_number(high, unit)}"
    return "?"


def render(figures: list[dict[str, Any]], articles: int, db: str,
           stories: list[dict[str, Any]] | None = None) -> str:
    groups: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    repeats: dict[int, int] = defaultdict(int)
    for f in figures:
        if f.get("repeat_of") is not None:
            repeats[f["repeat_of"]] += 1
    figures = [f for f in figures if f.get("repeat_of") is None]  # a figure another outlet repeated counts once
    for f in figures:
        groups[(f["place"] or "(no place)", f["country_code"] or "")][f["category"]].append(f)
    lines = [f"Situation report: {articles} articles, {len(figures)} figures ({db})", ""]
    for (place, cc), cats in sorted(groups.items(), key=lambda kv: (-sum(len(v) for v in kv[1].values()), kv[0])):
        lines.append(f"{place}{', ' + cc if cc else ''}")
        for category, items in sorted(cats.items()):
            lines.append(f"  {category}")
            for f in items:
                rng = fmt_range(f["low"], f["high"], bool(f["approximate"]), f["unit"])
                unit = "" if f["unit"] in {"people", "share", *SYMBOLS} else f" {f['unit']}"
                also = f"  (+{repeats[f['id']]} repeat)" if repeats.get(f.get("id")) else ""
                lines.append(f"    {MODALITY_WORD.get(f['modality'], f['modality']):<9} {rng + unit:<22} "
                             f"{(f['source'] or '(article)')[:40]:<40}  {f['date'] or '':<10}  {f['article']}{also}")
        lines.append("")
    if stories:
        shared = [s for s in stories if s["articles"] > 1]
        lines.append(f"Stories: {len(stories)} events, {len(shared)} told by more than one article (counted once)")
        for st in shared:
            when = st["first_date"] if st["first_date"] == st["last_date"] else f"{st['first_date']}..{st['last_date']}"
            dead = f", {st['fatalities']} killed" if st.get("fatalities") else ""
            lines.append(f"  {st['type']}{' / ' + st['subtype'] if st['subtype'] else ''} in {st['place'] or '?'}"
                         f" ({when}): {st['articles']} articles{dead}")
    return "\n".join(lines).rstrip() + "\n"
