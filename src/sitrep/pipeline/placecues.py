"""What a place name's surroundings say about which namesake it is, beyond population and the article's
other names: lists, neighbouring namesakes, containment ("Cairo's Abbasiya"), the words "state" and
"province", short forms of names, and stray readings. Plain functions over the places component's
mentions and candidates (see :mod:`sitrep.pipeline.places`)."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from sitrep import gazetteer as gz
from sitrep.textutil import fold

if TYPE_CHECKING:
    from sitrep.pipeline.places import _Mention

COORD = {"and", "or", ",", "&", "/"}
PART_WORDS = {"district", "neighbourhood", "neighborhood", "suburb", "quarter", "borough", "area", "section"}
# words joining a name to what tells it from namesakes: "upon Tyne", "am Main", "Town"
SHORT_FORM_LINKS = {"upon", "on", "am", "an", "im", "in", "bei", "sur", "sul", "del", "de", "town"}
PAIR_KM = 40.0  # readings of two names this close reinforce each other (paired) ...
PAIR_BONUS = 1.0  # ... by this much per other name (up to two)
STRAY_POPULATION = 100_000  # a town smaller than this, in a country no other name points to ...
STRAY_POPULATION_A1 = 3_000_000  # the same for a first-level subdivision
STRAY_FOCUS = 2.0  # ... while other names point to one other country this much, is no reading (stray)


def approx_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: cheap, and close enough below a few hundred kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def short_form(key: str, name: str) -> bool:
    """Whether ``key`` is ``name`` without the words that tell it from namesakes: "Newcastle" (upon Tyne),
    "Frankfurt" (am Main), "Halle" (Saale), "Enfield" (Town); not "Manhattan" (Beach) or "Butte" (County)."""
    full = fold(name)
    if not full.startswith(key + " "):
        return False
    rest = name[len(key):].lstrip(" ,-")
    return rest.startswith("(") or full[len(key) + 1:].split(" ")[0] in SHORT_FORM_LINKS


def kind_said(doc: Doc, m: _Mention) -> bool:
    """Whether the text calls the place a subdivision: "Washington state", "the state of Washington"."""
    after = doc[m.end] if m.end < len(doc) else None
    if after is not None and after.text in {"state", "province", "oblast", "governorate", "prefecture"}:
        return True
    return m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].text in {"state", "province"}


def container(doc: Doc, m: _Mention, by_start: dict[int, int], by_end: dict[int, int]) -> int | None:
    """The mention of a place ``m`` lies in, by the words between them: "Cairo's Abbasiya", "the
    Adhamiyah district of Baghdad", "the Cincinnati suburb of West Chester"."""
    n = len(doc)
    if m.start >= 2 and doc[m.start - 1].lower_ in {"'s", "’s", "'"}:
        return by_end.get(m.start - 1)
    # "the A district of B" puts either in the other ("the Baghdad district of Adhamiyah"): the smaller
    # of the two places lies in the bigger, which _place_parts settles.
    k = m.end - 1 if doc[m.end - 1].lower_ in PART_WORDS else m.end
    if k + 1 < n and doc[k].lower_ in PART_WORDS and doc[k + 1].lower_ == "of":
        return by_start.get(k + 2)
    if m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in PART_WORDS:
        hit = by_end.get(m.start - 2)  # "the Cincinnati suburb of ...", or the kind inside the name:
        return hit if hit is not None else by_end.get(m.start - 1)  # "the Adhamiyah district of ..."
    return None


def list_peers(doc: Doc, found: list[_Mention], groups: dict[tuple[str, str | None], list[int]],
                keys: list[tuple[str, str | None]]) -> list[set[int]]:
    """Per name group, the other groups named with it in one list ("British Columbia, Alberta, Ontario and
    New Brunswick"): mentions joined only by commas, "and" or "or"."""
    group_of = {i: gi for gi, g in enumerate(keys) for i in groups[g]}
    order = sorted(group_of, key=lambda i: found[i].start)
    runs: list[list[int]] = []
    for a, b in zip([None, *order], order, strict=False):
        joined = a is not None and all(t.text in COORD for t in doc[found[a].end:found[b].start]) and \
            found[b].start > found[a].end
        if joined:
            runs[-1].append(b)
        else:
            runs.append([b])
    peers: list[set[int]] = [set() for _ in keys]
    for run in runs:
        if len(run) >= 3:
            members = {group_of[i] for i in run}
            for gi in members:
                peers[gi] |= members - {gi}
    return peers


def paired(cands: list[list[gz.Place]]) -> list[dict[int, int]]:
    """Per name group, its town readings that lie close to a reading of other names (up to two):
    namesakes rarely sit side by side by chance ("Paris" and "Henry County": both in Tennessee)."""
    cells: dict[tuple[int, int], list[tuple[int, gz.Place]]] = {}
    for gi, cs in enumerate(cands):
        for c in cs:
            if c.feature in {"city", "admin2"}:
                cells.setdefault((int(c.lat // 0.5), int(c.lon // 0.5)), []).append((gi, c))
    out: list[dict[int, int]] = [{} for _ in cands]
    if len({gi for v in cells.values() for gi, _ in v}) < 2:
        return out
    for (y, x), members in cells.items():
        near = [m for dy in (-1, 0, 1) for dx in (-1, 0, 1) for m in cells.get((y + dy, x + dx), ())]
        for gi, c in members:
            groups = {gj for gj, o in near if gj != gi and o.geonameid != c.geonameid
                      and approx_km(c.lat, c.lon, o.lat, o.lon) <= PAIR_KM}
            if groups:
                out[gi][c.geonameid] = min(len(groups), 2)
    return out


def stray(c: gz.Place, gi: int, vote_cc: Counter[str], own_cc: list[dict[str, float]], vote_a1: Counter[str],
           own_a1: list[dict[str, float]], anchors: list[tuple[int, float, float]]) -> bool:
    """Whether a small town is the only reading of a name in an article whose other names all point to
    another country: "Heathrow" in a London story is not the hamlet in Florida, "Java" in an Indonesian one
    not the village in Georgia. Better no place than that one."""
    if c.feature not in {"city", "admin2", "admin1"} or not c.country_code or \
            c.population >= (STRAY_POPULATION_A1 if c.feature == "admin1" else STRAY_POPULATION):
        return False
    others = {cc: v - own_cc[gi].get(cc, 0.0) for cc, v in vote_cc.items()}
    if others.get(c.country_code, 0.0) >= 0.5 or max(others.values(), default=0.0) < STRAY_FOCUS:
        return False
    if c.admin1 and vote_a1[c.admin1] - own_a1[gi].get(c.admin1, 0.0) >= 0.5:
        return False
    return not any(approx_km(c.lat, c.lon, la, lo) < 400 for gj, la, lo in anchors if gj != gi)
