"""From a processed Doc to the JSON object of the output contract (``sitrep/1``)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from sitrep.pipeline.ext import text_of
from sitrep.sources import Article

SCHEMA = "sitrep/1"


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) >= 1 else round(float(value), 6)


def _event(e: Any, text: str) -> dict[str, Any]:
    p = e.place.place if e.place is not None else None
    return {
        "type": e.type, "subtype": e.subtype,
        "actors": [{"name": name, "role": role} for name, role in e.actors],
        "place": {"name": p.name, "lat": round(p.lat, 5), "lon": round(p.lon, 5), "country_code": p.country_code,
                  "geonameid": p.geonameid if p.geonameid > 0 else None} if p else None,
        "place_mention": ({"text": text[e.place_span[0]:e.place_span[1]], "start": e.place_span[0],
                           "end": e.place_span[1]} if e.place_span else None),
        "date": e.date, "modality": e.modality, "figures": list(e.figures), "fatalities": e.fatalities,
        "text": e.text, "start": e.start, "end": e.end,
    }


def to_dict(doc: Doc, article: Article) -> dict[str, Any]:
    text = text_of(doc)
    structure = doc._.blocks
    blocks = structure.blocks if structure is not None else []
    actors = doc._.actors.finish() if doc._.actors is not None else []
    places = []
    for rp in doc._.places or ():
        p = rp.place
        places.append({
            "name": p.name, "geonameid": p.geonameid if p.geonameid > 0 else None, "lat": round(p.lat, 5),
            "lon": round(p.lon, 5), "country_code": p.country_code, "admin1": p.admin1, "feature": p.feature,
            "population": p.population or None,
            "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in rp.mentions],
        })
    figures = []
    for f in doc._.figures or ():
        place = f.place.place if f.place is not None else None
        figures.append({
            "category": f.category, "low": _num(f.low), "high": _num(f.high), "approximate": f.approximate,
            "unit": f.unit, "text": f.text, "start": f.start, "end": f.end,
            "place": place.name if place else None,
            "place_geonameid": place.geonameid if place and place.geonameid > 0 else None,
            "country_code": place.country_code if place else None,
            "lat": round(place.lat, 5) if place else None, "lon": round(place.lon, 5) if place else None,
            "source": f.source, "modality": f.modality, "date": f.date, "sentence": f.sentence,
        })
    quotes = [{
        "speaker": q.speaker,
        "speaker_mention": ({"text": q.speaker_mention[0], "start": q.speaker_mention[1],
                             "end": q.speaker_mention[2]} if q.speaker_mention else None),
        "kind": q.kind, "cue": q.cue, "text": q.text, "start": q.start, "end": q.end,
    } for q in doc._.quotes or ()]
    return {
        "schema": SCHEMA,
        "article": {
            "id": article.id, "title": article.title, "subtitle": article.subtitle,
            "published": article.published, "url": article.url, "outlet": article.outlet, "text": text,
            "section_headings": [b.text for b in blocks if b.kind == "heading"],
            "related_links": [b.text[2:].strip() for b in blocks if b.kind == "related"],
        },
        "actors": [{
            "name": a.name, "kind": a.kind, "role": a.role, "country_code": a.country_code,
            "mentions": [{"text": m.text, "start": m.start, "end": m.end, "how": m.how} for m in a.mentions],
        } for a in actors],
        "places": places,
        "quotes": quotes,
        "figures": figures,
        "events": [_event(e, text) for e in doc._.events or ()],
        "dates": [{k: d[k] for k in ("text", "start", "end", "value")} for d in doc._.dates or ()],
    }
