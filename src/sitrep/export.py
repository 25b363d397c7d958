"""Exports for other tools: figures as CSV or JSON, GeoJSON of events and figures (QGIS), ACLED-style event
CSV with ACLED's column names, and a figures CSV with HXL hashtags for the Humanitarian Data Exchange."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

FORMATS = ("csv", "json", "geojson", "acled", "hxl")

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Riots": "Political violence",
            "Protests": "Demonstrations", "Strategic developments": "Strategic developments"}

FIGURE_COLUMNS = ["place", "country_code", "admin1", "lat", "lon", "category", "low", "high", "unit", "modality",
                  "source", "date", "article", "text"]
# HXL hashtags per column; the category decides the #affected attribute
HXL = {"place": "#loc+name", "country_code": "#country+code", "admin1": "#adm1+name", "lat": "#geo+lat",
       "lon": "#geo+lon", "low": "#affected+num+min", "high": "#affected+num+max", "unit": "#indicator+unit",
       "modality": "#status", "source": "#meta+source", "date": "#date+reported", "article": "#meta+url",
       "text": "#description", "category": "#indicator+category", "hxl_total": "#affected"}
HXL_CATEGORY = {"killed": "+killed", "injured": "+injured", "displaced": "+idps", "refugees": "+refugees",
                "returnees": "+returnees", "evacuated": "+evacuated", "missing": "+missing", "in_need": "+inneed",
                "affected": "+affected", "homeless": "+homeless", "sick": "+infected", "kidnapped": "+abducted",
                "detained": "+detained", "sheltered": "+sheltered"}


def _rows_figures(store: Any, place=None, category=None, since=None) -> list[dict[str, Any]]:
    rows = store.figures(place=place, category=category, since=since)
    admin = {(r["name"], r["country_code"]): r for r in store.places()}
    out = []
    for r in rows:
        if r.get("repeat_of") is not None:
            continue  # counted once: the first copy stands for its repeats
        row = {k: r.get(k) for k in FIGURE_COLUMNS if k not in {"admin1"}}
        row["admin1"] = None
        p = admin.get((r.get("place"), r.get("country_code")))
        if p is not None and p.get("admin1"):
            from sitrep import gazetteer as gz

            region = gz.shared().admin1(p["admin1"])
            row["admin1"] = region.name if region is not None else p["admin1"]
        out.append(row)
    return out


def export(store: Any, fmt: str, *, place: str | None = None, category: str | None = None,
           since: str | None = None) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return _csv(_rows_figures(store, place, category, since), FIGURE_COLUMNS)
    if fmt == "hxl":
        return hxl(_rows_figures(store, place, category, since))
    events = store.events(place=place, since=since)
    if fmt == "acled":
        return acled(events, store)
    if fmt == "geojson":
        return json.dumps(geojson(events, _rows_figures(store, place, category, since)), ensure_ascii=False)
    return json.dumps({"figures": _rows_figures(store, place, category, since), "events": events,
                       "stories": store.stories(place=place, since=since)}, ensure_ascii=False, indent=2)


def _csv(rows: list[dict[str, Any]], columns: list[str], header_rows: list[list[str]] | None = None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for extra in header_rows or []:
        w.writerow(extra)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return buf.getvalue()


def hxl(rows: list[dict[str, Any]]) -> str:
    """Figures with an HXL hashtag row under the header; the people count carries the category's attribute."""
    columns = [*FIGURE_COLUMNS, "hxl_total"]
    tags = [HXL.get(c, "") for c in columns]
    out = []
    for r in rows:
        r = dict(r)
        r["hxl_total"] = r["low"] if r["low"] is not None else r["high"]
        out.append(r)
    # one file can carry several categories: the generic #affected column is refined per category in its own
    # column, so HDX tools can filter with #affected+idps, #affected+killed, ...
    cats = sorted({r["category"] for r in out if r["category"] in HXL_CATEGORY})
    for c in cats:
        columns.append(f"{c}_count")
        tags.append("#affected" + HXL_CATEGORY[c])
        for r in out:
            r[f"{c}_count"] = r["hxl_total"] if r["category"] == c else None
    return _csv(out, columns, [tags])


def acled(events: list[dict[str, Any]], store: Any) -> str:
    countries = {}
    rows = []
    for e in events:
        actors = e.get("actors") or []
        agents = [a["name"] for a in actors if a["role"] == "agent"]
        targets = [a["name"] for a in actors if a["role"] == "target"]
        cc = e.get("country_code") or ""
        if cc and cc not in countries:
            from sitrep import gazetteer as gz

            country = gz.shared().country(cc)
            countries[cc] = country.name if country is not None else cc
        date = e.get("date") or ""
        rows.append({
            "event_id_cnty": f"{cc or 'XX'}SR{e['id']}", "event_date": date, "year": date[:4],
            "time_precision": 1 if len(date) == 10 else 3, "disorder_type": DISORDER.get(e["type"], "Other"),
            "event_type": e["type"], "sub_event_type": e.get("subtype") or "",
            "actor1": agents[0] if agents else "", "assoc_actor_1": "; ".join(agents[1:]),
            "actor2": targets[0] if targets else "", "assoc_actor_2": "; ".join(targets[1:]),
            "civilian_targeting": "Civilian targeting" if e["type"] == "Violence against civilians" else "",
            "iso": cc, "country": countries.get(cc, ""), "location": e.get("place") or "",
            "latitude": e.get("lat"), "longitude": e.get("lon"), "geo_precision": 1 if e.get("lat") else "",
            "source": e.get("outlet") or e.get("article"), "source_scale": "", "notes": e.get("text") or "",
            "fatalities": e.get("fatalities") or 0, "tags": f"modality={e['modality']}; story={e.get('story_id')}",
        })
    return _csv(rows, ACLED_COLUMNS)


def geojson(events: list[dict[str, Any]], figures: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for e in events:
        if e.get("lat") is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [e["lon"], e["lat"]]},
                         "properties": {"kind": "event", "type": e["type"], "subtype": e.get("subtype"),
                                        "place": e.get("place"), "date": e.get("date"), "modality": e["modality"],
                                        "fatalities": e.get("fatalities"), "story": e.get("story_id"),
                                        "actors": "; ".join(f"{a['name']} ({a['role']})" for a in e.get("actors", [])),
                                        "text": e.get("text"), "article": e.get("article")}})
    for f in figures:
        if f.get("lat") is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [f["lon"], f["lat"]]},
                         "properties": {"kind": "figure", **{k: f.get(k) for k in FIGURE_COLUMNS
                                                            if k not in {"lat", "lon"}}}})
    return {"type": "FeatureCollection", "features": features}
