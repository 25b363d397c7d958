"""Linking events into stories, and repeated figures to their first copy."""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta
from typing import Any

PLACE_KM = 60.0
WINDOW_DAYS = 2
THRESHOLD = 1.0
STOP = {"the", "a", "an", "of", "in", "on", "and", "to", "at", "by", "for", "with", "was", "were", "is", "are",
        "said", "has", "have", "had", "that", "this", "from", "as", "it", "its", "their", "after", "be", "been"}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", (text or "").lower()) if w not in STOP}


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()


def _agents(actors_json: str) -> set[str]:
    return {a["name"] for a in json.loads(actors_json or "[]") if a.get("role") == "agent"}


def score(event: dict[str, Any], story: dict[str, Any], members: list[dict[str, Any]]) -> float | None:
    """How well an event fits a story; None when it cannot be the same event."""
    if event["lat"] is not None and story["lat"] is not None:
        dist = km(event["lat"], event["lon"], story["lat"], story["lon"])
        if dist > PLACE_KM:
            return None
        near = 1.0 if dist <= 15 else 0.6
    elif event["place"] and story["place"]:
        if event["place"] != story["place"]:
            return None
        near = 0.8
    else:
        near = 0.2
    gap = abs((date.fromisoformat(event["date"][:10]) - date.fromisoformat(story["last_date"][:10])).days) \
        if event["date"] and story["last_date"] else WINDOW_DAYS
    when = 1.0 - gap / (WINDOW_DAYS + 1)
    agents = _agents(event["actors"])
    theirs = set().union(*(_agents(m["actors"]) for m in members)) if members else set()
    if agents and theirs and not agents & theirs:
        return None  # different perpetrators: a different event
    shared = 0.5 if agents & theirs else 0.0
    mine = words(event["text"])
    overlap = max((len(mine & words(m["text"])) / max(1, len(mine | words(m["text"]))) for m in members),
                  default=0.0)
    subtype = 0.0 if not event["subtype"] or event["subtype"] == story["subtype"] else -0.3
    return near + when + shared + 2 * overlap + subtype


def link_article(db: Any, article_id: int) -> None:
    """Put each event of a stored article into a story, and mark its repeated figures."""
    events = db.dicts("SELECT id, article_id, type, subtype, place, country_code, lat, lon, date, text, actors "
                      "FROM events WHERE article_id = ? ORDER BY id", (article_id,))
    for ev in events:
        best: tuple[float, dict[str, Any]] | None = None
        if ev["date"]:
            stories = db.dicts(
                "SELECT * FROM stories WHERE type = ? AND last_date >= ? AND first_date <= ? AND "
                "(country_code = ? OR country_code IS NULL OR CAST(? AS TEXT) IS NULL)",
                (ev["type"], _shift(ev["date"], -WINDOW_DAYS), _shift(ev["date"], WINDOW_DAYS), ev["country_code"],
                 ev["country_code"]))
            for st in stories:
                members = db.dicts("SELECT text, actors, article_id FROM events WHERE story_id = ? ORDER BY id LIMIT 8",
                                   (st["id"],))
                s = score(ev, st, members)
                if s is not None and s >= THRESHOLD and (best is None or s > best[0]):
                    best = (s, st)
        if best is None:
            row = db.one("INSERT INTO stories (type, subtype, place, country_code, lat, lon, first_date, last_date,"
                         " label) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                         (ev["type"], ev["subtype"], ev["place"], ev["country_code"], ev["lat"], ev["lon"],
                          ev["date"], ev["date"], (ev["text"] or "")[:200]))
            story_id = int(row[0]) if row else 0
        else:
            st = best[1]
            story_id = int(st["id"])
            if ev["date"]:
                db.run("UPDATE stories SET first_date = CASE WHEN first_date IS NULL OR first_date > ? THEN ? ELSE "
                       "first_date END, last_date = CASE WHEN last_date IS NULL OR last_date < ? THEN ? ELSE last_date "
                       "END WHERE id = ?", (ev["date"], ev["date"], ev["date"], ev["date"], story_id))
        db.run("UPDATE events SET story_id = ? WHERE id = ?", (story_id, ev["id"]))
    _repeats(db, article_id)


def _repeats(db: Any, article_id: int) -> None:
    """A figure of this article that another article of the same story already gave is a repeat of it."""
    rows = db.all(
        "SELECT f.id, (SELECT min(g.id) FROM figures g JOIN events e2 ON e2.id = g.event_id "
        "  WHERE e2.story_id = e.story_id AND g.article_id <> f.article_id AND g.category = f.category "
        "  AND coalesce(g.low, -1) = coalesce(f.low, -1) AND coalesce(g.high, -1) = coalesce(f.high, -1) "
        "  AND g.repeat_of IS NULL) "
        "FROM figures f JOIN events e ON e.id = f.event_id WHERE f.article_id = ?", (article_id,))
    db.executemany("UPDATE figures SET repeat_of = ? WHERE id = ?", [(r[1], r[0]) for r in rows if r[1]])


def unlink_article(db: Any, input_id: str) -> None:
    """Before an article is replaced: forget its repeats and drop stories left without events."""
    old = db.all("SELECT DISTINCT e.story_id FROM events e JOIN articles a ON a.id = e.article_id "
                 "WHERE a.input_id = ? AND e.story_id IS NOT NULL", (input_id,))
    if not old:
        return
    db.run("UPDATE figures SET repeat_of = NULL WHERE repeat_of IN (SELECT f.id FROM figures f JOIN articles a ON "
           "a.id = f.article_id WHERE a.input_id = ?)", (input_id,))
    db.run("DELETE FROM articles WHERE input_id = ?", (input_id,))
    for (sid,) in old:
        if db.one("SELECT 1 FROM events WHERE story_id = ?", (sid,)) is None:
            db.run("DELETE FROM stories WHERE id = ?", (sid,))
