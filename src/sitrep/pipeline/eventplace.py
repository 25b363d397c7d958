"""Where an event happened: the place name of its sentence that is the event's setting.

A sentence names many places; only some say where the event of a trigger took place. A place is a candidate
when it fills a locative slot the trigger governs ("killed in X", "captured X", "In X, ..."); it is not one
when it names a side ("Syria's army", "US-led", "X captured the town"), a cause or a time ("since the
ceasefire in X", "protested against X"), or another clause's business. Among the candidates the most specific
wins: a place that only locates another ("al-Tijara neighbourhood in central Damascus", "the town of X, 80 km
south of Y", "X in northern Syria") gives way to the place it locates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitrep.pipeline import eventlex as lex
from sitrep.pipeline import ext
from sitrep.pipeline.actors import FORCE_NOUNS, TITLES, Actor
from sitrep.pipeline.places import ResolvedPlace

LOCATIVE_PREPS = {"in", "at", "near", "outside", "across", "around", "inside", "throughout", "on", "of", "from",
                  "within", "off", "along", "between", "over", "into", "towards", "toward", "to", "beyond"}
AWAY = {"to", "toward", "towards", "into", "for"}
PLACE_WORDS = lex.TERRITORY | {"neighbourhood", "neighborhood", "province", "region", "governorate", "port",
                               "countryside", "suburb", "streets", "street", "square", "outskirts", "state",
                               "county", "municipality", "township", "capital", "island", "valley", "border",
                               "district", "quarter", "zone", "prefecture", "department", "country",
                               "vicinity", "junction", "crossing", "checkpoint", "school", "stadium", "outpost",
                               "market", "hospital", "plant", "factory", "settlement", "farm", "wharf", "palace",
                               "embassy", "mosque", "church", "hotel", "prison", "station", "lake", "river",
                               "mountain", "sector", "refinery", "complex", "perimeter", "edge", "entrance",
                               "installation", "facility", "pipeline", "coast", "coastline", "airspace", "waters",
                               "soil"}
TERRITORY_VERBS = {"capture", "liberate", "seize", "retake", "recapture", "overrun", "storm", "besiege", "enter",
                   "shell", "bomb", "raid", "attack", "patrol", "occupy", "invade", "hit", "strike", "bombard"}
BROADNESS = {"country": 1.5, "continent": 3.0, "region": 2.0}
SIDE_KINDS = {"armed_group", "military"}
NOT_SETTING = {"according", "since", "against", "before", "following", "until", "despite", "unlike", "like"}
FACILITIES = {"base", "airport", "port", "camp", "position", "embassy", "headquarters", "road", "highway", "bridge"}
OTHER_CLAUSE = {"conj", "relcl", "ccomp", "advcl", "acl", "parataxis"}
PEOPLE = FORCE_NOUNS | TITLES | {"force", "troop", "soldier", "government", "authority", "authorities", "people",
                                 "man", "woman", "group", "militant", "rebel", "fighter", "citizen", "national",
                                 "airstrike", "strike", "leader", "president", "minister", "police", "team",
                                 "player", "company", "firm", "unit", "squad", "brigade", "battalion", "regime",
                                 "student", "protester", "demonstrator", "newspaper", "paper", "daily", "agency",
                                 "television", "radio", "channel", "network", "ministry", "council", "committee"}
CONFLICT_NOUNS = {"conflict", "war", "crisis", "uprising", "revolution", "insurgency"}
OTHER_TIME = {"while", "since", "before", "although", "though", "because", "whereas", "until", "unless"}
MOVED = {"send", "deport", "take", "transfer", "move", "fly", "bring", "rush", "evacuate", "carry", "transport",
         "hand", "airlift", "return"}
STATIVE = {"have", "control", "own", "live", "hold", "include", "follow", "accuse", "say", "claim",
           "know", "call", "represent", "govern", "rule", "border", "base", "belong"}
RELATIVE = {"which", "that", "who", "whom", "where", "what"}
HARMED = {"kill", "shoot", "wound", "injure", "murder", "stab", "behead", "abduct", "kidnap", "arrest", "detain",
          "torture", "execute", "assassinate", "beat", "lynch", "hurt", "die", "leave"}


@dataclass
class _Candidate:
    start: int  # token offsets
    end: int
    root: Token
    place: ResolvedPlace | None  # resolved by the gazetteer
    score: float = 0.0


def event_place_span(doc: Doc, trig: Token, sides: set[int] | None = None) -> tuple[int, int] | None:
    """The character span of where the event of ``trig`` happened, from the place names of its sentence
    (resolved by the gazetteer, tagged by the parser, or a proper name in a place's slot); None when the
    sentence does not say. ``sides``: the tokens of the document's armed groups and forces, when the caller
    has them already (read from ``doc._.actors`` otherwise)."""
    if lex.other_sense(trig):
        return None  # "Canada captured the silver": no event, so no place of one
    cands = []
    if sides is None:
        sides = armed_tokens(doc._.actors.finish() if doc._.actors is not None else ())
    for c in _candidates(doc, trig.sent, sides):
        score = _place_score(trig, c.root, doc[c.end - 1], c.place.place.feature if c.place is not None else None)
        if score is not None and c.place is not None and c.place.place.feature in BROADNESS and \
                c.root.dep_ in {"compound", "poss", "nmod"} and c.root.head.lemma_.lower() in FACILITIES:
            score = None  # "the US military base in X": whose base, not where
        if score is not None:
            c.score = score + (BROADNESS.get(c.place.place.feature, 0.0) if c.place is not None else 0.0)
            cands.append(c)
    if not cands:
        return None
    for c in cands:
        if any(_reference(c, o) for o in cands if o is not c):
            c.score += 5.0
        elif any(o is not c and _locates(c, o) for o in cands):
            c.score += 3.0
    best = min(cands, key=lambda c: c.score)
    return doc[best.start].idx, doc[best.end - 1].idx + len(doc[best.end - 1].text)


REFERENCE_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                        "north-east", "north-west", "south-east", "south-west", "far", "away", "outside"}
DISTANCE_WORDS = {"some", "about", "around", "nearly", "roughly", "approximately", "just", "only", "km", "kms",
                  "kilometers", "kilometres", "kilometer", "kilometre", "miles", "mile", "mi", "not", "located",
                  "situated", "town", "city", "village", "district", "province", "area"}
NESTING = {"compound", "pobj", "prep", "poss", "amod", "nmod", "appos", "conj", "npadvmod", "advmod"}


def _anchors(root: Token) -> set[int]:
    """The name's token and the place words it names or modifies ("the village of X", "X district")."""
    out = {root.i}
    t = root
    for _ in range(3):
        if t.head.i == t.i or t.dep_ not in NESTING:
            break
        t = t.head
        if t.lemma_.lower() in PLACE_WORDS and t.pos_ == "NOUN":
            out.add(t.i)
        elif t.lower_ != "of":
            break
    return out


def _population(c: _Candidate) -> int:
    return c.place.place.population if c.place is not None else 0


def _reference(c: _Candidate, other: _Candidate) -> bool:
    """``c`` is a reference point for ``other``: "X, some 80 km south of Y", "X, not far from Y"."""
    head = c.root.head
    if not (c.root.dep_ == "pobj" and head.lower_ in {"of", "from"} and head.head.lower_ in REFERENCE_DIRECTIONS):
        return False
    between = c.root.doc[other.end:head.head.i]
    return other.end <= head.head.i and len(between) <= 8 and all(
        t.like_num or t.is_punct or t.lower_ in DISTANCE_WORDS for t in between)


def _locates(b: _Candidate, a: _Candidate) -> bool:
    """Whether place ``b`` only serves to locate place ``a``: "al-Tijara neighbourhood in central Damascus",
    "the village of X in the countryside of Y", "X, 80 km south of Y", "the Y neighbourhood of X"."""
    mine, theirs = _anchors(b.root), _anchors(a.root)
    if mine & theirs:  # both name the same place word: the smaller place is the one meant
        return a.root.i not in mine and _population(b) > _population(a)
    t = b.root
    for _ in range(6):
        if t.head.i == t.i or t.dep_ not in NESTING:
            return False
        t = t.head
        if t.i in theirs:
            return True
    return False


def armed_tokens(actors: Iterable[Actor]) -> set[int]:
    """The tokens of the armed groups and forces among a document's actors."""
    return {i for a in actors if a.kind in SIDE_KINDS for m in a.mentions for i in range(m.token_start, m.token_end)}


def _candidates(doc: Doc, sent, sides: set[int]) -> list[_Candidate]:
    spans: dict[tuple[int, int], _Candidate] = {}
    for rp in doc._.places or ():
        for m in rp.mentions:
            if sent.start <= m.token_start < sent.end:
                spans[(m.token_start, m.token_end)] = _Candidate(m.token_start, m.token_end,
                                                                 doc[m.token_start:m.token_end].root, rp)

    def free(s: int, e: int) -> bool:
        return not any(s2 < e and s < e2 for s2, e2 in spans)

    for ent in ext.sent_ents(doc, sent):
        if ent.label_ in {"GPE", "LOC", "FAC"} and free(ent.start, ent.end):
            spans[(ent.start, ent.end)] = _Candidate(ent.start, ent.end, ent.root, None)
    for t in sent:  # "in Khanasir town", "captured Knin": a proper name where a place goes
        if t.lower_ in {"border", "frontier"} and t.dep_ == "pobj" and free(t.i, t.i + 1):
            mods = [c for c in doc[t.left_edge.i:t.i] if c.ent_type_ == "NORP"]
            if len(mods) >= 2:  # "near the Iraqi-Syrian border"
                spans[(mods[0].i, t.i + 1)] = _Candidate(mods[0].i, t.i + 1, t, None)
            continue
        if t.pos_ != "PROPN" or t.i in sides or t.is_upper and len(t) <= 4 or t.text.endswith("-") or \
                t.dep_ == "compound" and t.head.lemma_.lower() not in PLACE_WORDS or not free(t.i, t.i + 1):
            continue
        slot = t.dep_ == "pobj" and t.head.lower_ in {"in", "near", "outside", "on", "at", "around", "into",
                                                      "through", "along", "from"} or \
            t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in PLACE_WORDS or \
            t.dep_ == "dobj" and t.head.lemma_.lower() in TERRITORY_VERBS and t.ent_type_ != "PERSON" or \
            t.dep_ == "compound" and t.head.lemma_.lower() in PLACE_WORDS
        if slot and t.ent_type_ not in {"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY"}:
            left = t.i
            while left > sent.start and doc[left - 1].dep_ == "compound" and doc[left - 1].pos_ == "PROPN":
                left -= 1
            spans[(left, t.i + 1)] = _Candidate(left, t.i + 1, t, None)
    return list(spans.values())


def _place_score(trig: Token, root: Token, last: Token, feature: str | None) -> float | None:
    """How well a place name fits as the setting of the trigger's event; None when it is not one. ``feature``
    is the gazetteer's kind of place, None when the name is not resolved."""
    if root.ent_type_ == "NORP" and root.lower_ not in {"border", "frontier"} or \
            root.dep_ == "amod" and root.head.lemma_.lower() not in PLACE_WORDS:
        return None  # "Syrian troops": a side, not a setting
    if any(c.dep_ == "appos" and c.lemma_.lower() in TITLES for c in root.children) or \
            last.text.endswith("-"):
        return None  # "Abu Zubaydah, al-Qaida's top coordinator": a person; "Shiite-": a broken word
    extra = 0.0
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.ent_type_ == "ORG":
        return None  # "Blackwater Security Consulting of North Carolina": the organisation's home
    if root.dep_ in {"compound", "nmod", "poss"} and root.head.lemma_.lower() not in PLACE_WORDS and \
            root.head.ent_type_ not in {"DATE", "TIME"}:  # "captured Kabul September 27" is misparsed
        head = root.head.lemma_.lower()
        if root.head.pos_ != "NOUN" or head in PEOPLE or root.head.lower_ in PEOPLE or feature is None or \
                feature in BROADNESS and head not in CONFLICT_NOUNS:
            return None  # "Syria's army", "U.S. forces", "a U.S. airstrike": a side
        extra = 1.0  # "a posh Sofia restaurant", "the Mosul operation", "Syria's conflict"
    # climb through place words ("the Aziziyah district of X") to the slot the place fills
    slot = root
    while slot.head.i != slot.i and (slot.head.lemma_.lower() in PLACE_WORDS and slot.dep_ in {
            "compound", "pobj", "prep", "nmod", "amod", "poss", "appos"} or slot.dep_ in {"pobj", "prep", "conj",
                                                                                          "appos"}):
        if slot.dep_ == "prep" and slot.lower_ in LOCATIVE_PREPS:
            break
        slot = slot.head
    prep = slot if slot.dep_ == "prep" else None
    if prep is not None and prep.lower_ not in LOCATIVE_PREPS:
        return None  # "protested against X", "killed by X", "since X"
    if root.dep_ == "nsubj" and root.head.i == trig.i and trig.pos_ in {"VERB", "AUX"}:
        return None  # "X captured the town", "the Abu Sayyaf detonated a bomb": the name is a side
    if root.dep_ == "nsubjpass" and root.head.i == trig.i and trig.lemma_.lower() in HARMED:
        return None  # "Kupczyk was shot": a person
    doc, end = root.doc, last.i
    if end + 2 < len(doc) and doc[end + 1].text == "-" and not last.whitespace_ and not doc[end + 1].whitespace_:
        return None  # "a US-Kurdish operation", "US-led forces": a side
    if prep is not None and prep.lower_ == "from" and prep.head.pos_ in {"NOUN", "PROPN"}:
        return None  # "a driver from X": where a person comes from
    preds = [trig, *([trig.head] if trig.pos_ == "NOUN" or trig.dep_ in {"xcomp", "conj", "advcl", "pcomp"}
                     else [])]
    under = any(p.i == a.i for p in preds for a in root.ancestors)
    clause = 0.0
    for a in root.ancestors:
        if a.i == trig.i:
            break
        if a.dep_ == "prep" and a.lower_ in NOT_SETTING:
            return None  # "killed since the ceasefire in X": X is where something else happened
        if a.dep_ in {"nsubj", "nsubjpass"} and a.head.i == trig.i and a.i != root.i:
            clause = max(clause, 2.0)  # "an officer with the brigade in X was shot": X describes the victim
        if a.pos_ in {"VERB", "AUX"} and a.dep_ in OTHER_CLAUSE:
            if a.dep_ in {"conj", "parataxis", "ccomp"} and a.lemma_.lower() not in HARMED | TERRITORY_VERBS and any(
                    c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ not in RELATIVE for c in a.children):
                return None  # "..., and Israel has demanded X": another clause with its own subject
            if a.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in OTHER_TIME for c in a.children) and any(
                    c.dep_ in {"nsubj", "nsubjpass"} for c in a.children):
                return None  # "killed ... while thousands rallied at X": something else, elsewhere
            if a.dep_ == "conj" and a.lemma_.lower() in MOVED or any(c.lower_ == "later" for c in a.children):
                return None  # "captured and sent to X", "shot and later died at X": where they went after
            if a.dep_ in {"relcl", "acl"} and a.lemma_.lower() in STATIVE:
                return None  # "troops which have their bases in X": what describes someone, not where
            clause = 2.0  # "captured X and is now besieging Y": Y is the next event's place
    # the place words around a name ("the village of X") add no distance: "in the village of X" is as close as
    # "in Syria"; the nearest to the trigger breaks ties
    score = float(distance(trig, root)) - (len(_anchors(root)) - 1) * 1.0 + abs(root.i - trig.i) * 0.01
    if not under:
        if any(a.i == trig.i for a in root.ancestors):
            pass
        elif trig.dep_ != "ROOT" and any(a.dep_ == "ROOT" and a.i == root.head.head.i for a in [root.head]) or \
                root.sent.root.i in {a.i for a in root.ancestors} and prep is not None and \
                prep.head.i == root.sent.root.i and trig.is_ancestor(root) is False and prep.i < trig.i:
            score += 2  # a sentence-level "In X, ..." adjunct
        else:
            score += 20  # a place elsewhere in the sentence, when nothing closer says where
    if prep is not None and prep.lower_ in AWAY:
        score += 3
    return score + clause + extra


def distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the parse tree (far when they share no ancestor)."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 12 + abs(a.i - b.i) // 4
