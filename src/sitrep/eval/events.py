"""Events: type and sub-type accuracy and fatalities on ACLED-format notes; event place on JSON Lines of
sentences whose event verb and location spans are marked (the ``RELABEL`` rows are the checked gold).

ACLED notes describe one event each; sitrep's answer for a note is its first event. Sub-types are scored with
weighted and macro F1 over the gold sub-types.

CASE 2021 task 2 files (``.tsv`` with ``id``, ``EventSnippet``, ``SubType``) name ACLED's 25 sub-types in
upper-case codes; :data:`CASE_SUBTYPES` spells each as ACLED does. Rows with any other label (the shared
task's extra classes, e.g. ``NATURAL_DISASTER``) are counted and left out of the score.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.sources import Article

# CASE 2021 task 2 label -> (ACLED event type, ACLED sub-event type)
CASE_SUBTYPES = {
    "ABDUCT_DISSAP": ("Violence against civilians", "Abduction/forced disappearance"),
    "AGREEMENT": ("Strategic developments", "Agreement"),
    "AIR_STRIKE": ("Explosions/Remote violence", "Air/drone strike"),
    "ARMED_CLASH": ("Battles", "Armed clash"),
    "ARREST": ("Strategic developments", "Arrests"),
    "ART_MISS_ATTACK": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "ATTACK": ("Violence against civilians", "Attack"),
    "CHANGE_TO_GROUP_ACT": ("Strategic developments", "Change to group/activity"),
    "CHEM_WEAP": ("Explosions/Remote violence", "Chemical weapon"),
    "DISR_WEAP": ("Strategic developments", "Disrupted weapons use"),
    "FORCE_AGAINST_PROTEST": ("Protests", "Excessive force against protesters"),
    "GOV_REGAINS_TERIT": ("Battles", "Government regains territory"),
    "GRENADE": ("Explosions/Remote violence", "Grenade"),
    "HQ_ESTABLISHED": ("Strategic developments", "Headquarters or base established"),
    "MOB_VIOL": ("Riots", "Mob violence"),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("Battles", "Non-state actor overtakes territory"),
    "NON_VIOL_TERRIT_TRANSFER": ("Strategic developments", "Non-violent transfer of territory"),
    "OTHER": ("Strategic developments", "Other"),
    "PEACE_PROTEST": ("Protests", "Peaceful protest"),
    "PROPERTY_DISTRUCT": ("Strategic developments", "Looting/property destruction"),
    "PROTEST_WITH_INTER": ("Protests", "Protest with intervention"),
    "REM_EXPLOS": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "SEX_VIOL": ("Violence against civilians", "Sexual violence"),
    "SUIC_BOMB": ("Explosions/Remote violence", "Suicide bomb"),
    "VIOL_DEMONSTR": ("Riots", "Violent demonstration"),
}


def evaluate(data: Path, *, limit: int | None = None, peers: Path | None = None,
             extractor: Any = None) -> dict[str, Any]:
    if data.suffix == ".jsonl":
        return _places(data, limit=limit, extractor=extractor)
    if data.suffix == ".tsv":
        return _labelled(_case_rows(data), data, limit=limit, extractor=extractor)
    if data.suffix != ".csv":
        raise SitrepError(f"{data}: expected an ACLED-format .csv, a CASE 2021 .tsv or a .jsonl of event "
                          "sentences", "E403")
    return _acled(data, limit=limit, extractor=extractor)


def _case_rows(data: Path) -> tuple[list[dict[str, str]], int]:
    """CASE rows as ACLED-like dicts (notes, event_type, sub_event_type), and how many rows were left out."""
    rows, other = [], 0
    with data.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not {"EventSnippet", "SubType"} <= set(r):
                raise SitrepError(f"{data}: not a CASE 2021 task 2 file (needs EventSnippet and SubType columns)",
                                  "E403")
            label = CASE_SUBTYPES.get((r["SubType"] or "").strip())
            if label is None or not (r["EventSnippet"] or "").strip():
                other += 1
                continue
            rows.append({"event_id_cnty": r.get("id") or "", "notes": r["EventSnippet"], "event_type": label[0],
                         "sub_event_type": label[1]})
    return rows, other


def _labelled(parsed: tuple[list[dict[str, str]], int], data: Path, *, limit: int | None,
              extractor: Any) -> dict[str, Any]:
    """Type and sub-type scores on snippets that carry a sub-type but no fatality count."""
    rows, other = parsed
    if limit:
        rows = rows[:limit]
    result = _score(rows, data, extractor)
    for key in ("fatalities_exact_deaths", "fatalities_exact_all"):
        result["rows"][0].pop(key)
    result.pop("rows_with_deaths")
    result["left_out"] = other
    return result


def _extractor(extractor: Any) -> Any:
    if extractor is None:
        from sitrep.api import _extractor as default

        extractor = default()
    return extractor


def _acled(data: Path, *, limit: int | None, extractor: Any) -> dict[str, Any]:
    with data.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("notes") or "").strip()]
    if limit:
        rows = rows[:limit]
    return _score(rows, data, extractor)


def _score(rows: list[dict[str, str]], data: Path, extractor: Any) -> dict[str, Any]:
    extractor = _extractor(extractor)
    articles = [Article(id=r.get("event_id_cnty") or str(n), text=" ".join(r["notes"].split()), layout="body")
                for n, r in enumerate(rows)]
    gold_types, pred_types, gold_subs, pred_subs = [], [], [], []
    deaths_ok = deaths_n = all_ok = 0
    misses: Counter[tuple[str, str]] = Counter()
    for row, out in zip(rows, extractor.run(articles), strict=True):
        events = out["events"] if isinstance(out, dict) else []
        first = min(events, key=lambda e: e["start"]) if events else None
        gold_types.append(row["event_type"])
        gold_subs.append(row["sub_event_type"])
        pred_types.append(first["type"] if first else "none")
        pred_subs.append((first or {}).get("subtype") or "none")
        if pred_subs[-1] != gold_subs[-1]:
            misses[(gold_subs[-1], pred_subs[-1])] += 1
        want = int(float(row.get("fatalities") or 0))
        got = int((first or {}).get("fatalities") or 0)
        all_ok += want == got
        if want > 0:
            deaths_n += 1
            deaths_ok += want == got
    n = len(rows)
    weighted, macro = _f1(gold_subs, pred_subs)
    row = {"system": "sitrep", "type_acc": _div(sum(g == p for g, p in zip(gold_types, pred_types, strict=True)), n),
           "subtype_weighted_f1": weighted, "subtype_macro_f1": macro,
           "fatalities_exact_deaths": _div(deaths_ok, deaths_n), "fatalities_exact_all": _div(all_ok, n),
           "no_event": pred_types.count("none") / n if n else 0.0}
    return {"task": "events", "data": str(data), "n": n, "rows_with_deaths": deaths_n, "rows": [row],
            "confusions": [{"gold": g, "sitrep": p, "count": c} for (g, p), c in misses.most_common(15)]}


def _f1(gold: list[str], pred: list[str]) -> tuple[float, float]:
    labels = Counter(gold)
    f1s = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, pred, strict=True))
        fn = labels[label] - tp
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s[label] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    total = sum(labels.values())
    weighted = sum(f1s[x] * labels[x] for x in labels) / total if total else 0.0
    macro = sum(f1s.values()) / len(f1s) if f1s else 0.0
    return weighted, macro


def _div(a: int, b: int) -> float:
    return a / b if b else 0.0


def _places(data: Path, *, limit: int | None, extractor: Any) -> dict[str, Any]:
    from sitrep.pipeline.eventplace import event_place_span

    rows = []
    with data.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                if r.get("source") == "RELABEL" and any(s.get("label") == "VERB" for s in r.get("spans", [])):
                    rows.append(r)
    if limit:
        rows = rows[:limit]
    nlp = _extractor(extractor).nlp
    docs = []
    for r in rows:
        doc = nlp.make_doc(r["text"])
        doc._.meta = {"layout": "body", "published": None, "id": r.get("_id")}
        docs.append(doc)
    ok = ok_loc = n_loc = 0
    baseline_ok = 0
    for r, doc in zip(rows, nlp.pipe(docs), strict=True):
        verb = _chars(r, next(s for s in r["spans"] if s["label"] == "VERB"))
        gold = [_chars(r, s) for s in r["spans"] if s["label"] == "LOCATION"]
        trig = next((t for t in doc if verb[0] <= t.idx < verb[1]), None)
        span = event_place_span(doc, trig) if trig is not None else None
        hit = (not gold and span is None) or (span is not None and any(s < span[1] and span[0] < e
                                                                      for s, e in gold))
        ok += hit
        if gold:
            n_loc += 1
            ok_loc += hit
        first = next(((m.start, m.end) for rp in doc._.places or () for m in rp.mentions), None)
        baseline_ok += (not gold and first is None) or (first is not None and any(s < first[1] and first[0] < e
                                                                                  for s, e in gold))
    n = len(rows)
    return {"task": "events", "data": str(data), "n": n, "rows_with_location": n_loc,
            "rows": [{"system": "sitrep", "place_acc": _div(ok, n), "place_acc_located": _div(ok_loc, n_loc)},
                     {"system": "first place named", "place_acc": _div(baseline_ok, n)}]}


def _chars(row: dict[str, Any], span: dict[str, Any]) -> tuple[int, int]:
    """A span's characters, from its token offsets (the relabelled rows' character offsets are not kept)."""
    tokens = row.get("tokens") or []
    if tokens and span.get("token_start") is not None and span["token_end"] < len(tokens):
        return tokens[span["token_start"]]["start"], tokens[span["token_end"]]["end"]
    return span["start"], span["end"]


def format_table(result: dict[str, Any]) -> str:
    from sitrep.eval import table

    cols = list(result["rows"][0].keys())
    head = f"events: {result['n']} rows from {result['data']}"
    if "rows_with_deaths" in result:
        head += f" ({result['rows_with_deaths']} with deaths)"
    if result.get("left_out"):
        head += f" ({result['left_out']} rows with labels outside ACLED's 25 sub-types left out)"
    if "rows_with_location" in result:
        head += f" ({result['rows_with_location']} with a location)"
    lines = [head, table(result["rows"], cols)]
    if result.get("confusions"):
        lines.append("most frequent sub-type confusions:")
        lines.append(table(result["confusions"], ["gold", "sitrep", "count"]))
    return "\n".join(lines)
