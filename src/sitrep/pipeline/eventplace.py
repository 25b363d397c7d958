"""Where an event happened: the place name of its sentence that is the event's setting.

A sentence names many places; only some say where the event of a trigger took place. A place is a candidate
when it fills a locative slot the trigger governs ("killed in X", "captured X", "In X, ..."); it is not one
when it names a side ("Syria's army", "US-led", "X captured the town"), a cause or a time ("since the
ceasefire in X", "protested against X"), or another clause's business. Among the candidates the most specific
wins: a place that only locates another ("al-Tijara neighbourhood in central Damascus", "the town of X, 80 km
south of Y", "X in northern Syria") gives way to the place it locates.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitrep.pipeline import eventlex as lex
from sitrep.pipeline import ext
from sitrep.pipeline.places import ResolvedPlace

LOCATIVE_PREPS = {"in", "at", "near", "outside", "across", "around", "inside", "throughout", "on", "of", "from",
                  "within", "off", "along", "between", "over", "into", "towards", "toward", "to", "beyond"}
AWAY = {"to", "toward", "towards", "into", "for"}
PLACE_WORDS = lex.TERRITORY | {"neighbourhood", "neighborhood", "province", "region", "governorate", "port",
                               "countryside", "suburb", "streets", "street", "square", "outskirts", "state",
                               "county", "municipality", "township", "capital", "island", "valley", "border",
                               "district", "quarter", "zone", "prefecture", "department", "country",
                               "vicinity"}
TERRITORY_VERBS = {"capture", "liberate", "seize", "retake", "recapture", "overrun", "storm", "besiege", "enter",
                   "shell", "bomb", "raid", "attack", "patrol", "occupy", "invade", "hit", "strike", "bombard"}
BROADNESS = {"country": 1.5, "continent": 3.0, "region": 2.0}
SIDE_KINDS = {"armed_group", "military"}


@dataclass
class _Candidate:
    start: int  # token offsets
    end: int
    root: Token
    place: ResolvedPlace | None  # resolved by the gazetteer
    score: float = 0.0


def event_place_span(doc: Doc, trig: Token) -> tuple[int, int] | None:
    """The character span of where the event of ``trig`` happened, from the place names of its sentence
    (resolved by the gazetteer, tagged by the parser, or a proper name in a place's slot); None when the
    sentence does not say."""
    cands = []
    for c in _candidates(doc, trig.sent):
        score = _place_score(trig, c.root)
        if score is not None:
            c.score = score + (BROADNESS.get(c.place.place.feature, 0.0) if c.place is not None else 0.0)
            cands.append(c)
    if not cands:
        return None
    best = min(cands, key=lambda c: c.score)
    return doc[best.start].idx, doc[best.end - 1].idx + len(doc[best.end - 1].text)


def _candidates(doc: Doc, sent) -> list[_Candidate]:
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
        if t.pos_ != "PROPN" or t.dep_ == "compound" and t.head.lemma_.lower() not in PLACE_WORDS or \
                not free(t.i, t.i + 1):
            continue
        slot = t.dep_ == "pobj" and t.head.lower_ in {"in", "near", "outside", "on", "at", "around", "into"} or \
            t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in PLACE_WORDS or \
            t.dep_ == "dobj" and t.head.lemma_.lower() in TERRITORY_VERBS and t.ent_type_ != "PERSON" or \
            t.dep_ == "compound" and t.head.lemma_.lower() in PLACE_WORDS
        if slot and t.ent_type_ not in {"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY"}:
            left = t.i
            while left > sent.start and doc[left - 1].dep_ == "compound" and doc[left - 1].pos_ == "PROPN":
                left -= 1
            spans[(left, t.i + 1)] = _Candidate(left, t.i + 1, t, None)
    return list(spans.values())


def _place_score(trig: Token, root: Token) -> float | None:
    """How well a place name fits as the setting of the trigger's event; None when it is not one."""
    if root.ent_type_ == "NORP" or root.dep_ in {"poss", "amod"} and root.head.lemma_.lower() not in PLACE_WORDS:
        return None  # "Syria's army", "Syrian troops": a side, not a setting
    if root.dep_ in {"compound", "nmod"} and root.head.lemma_.lower() not in PLACE_WORDS:
        return None  # "U.S. forces", "a U.S. airstrike"
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
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.i == trig.i and trig.lemma_.lower() in TERRITORY_VERBS \
            and root.dep_ == "nsubj":
        return None  # "X captured the town": the place names a side
    if prep is not None and prep.lower_ == "from" and prep.head.pos_ in {"NOUN", "PROPN"}:
        return None  # "a driver from X": where a person comes from
    preds = [trig, *([trig.head] if trig.pos_ == "NOUN" or trig.dep_ in {"xcomp", "conj", "advcl", "pcomp"}
                     else [])]
    under = any(p.i == a.i for p in preds for a in root.ancestors)
    score = float(distance(trig, root))
    if not under:
        if any(a.i == trig.i for a in root.ancestors):
            pass
        elif trig.dep_ != "ROOT" and any(a.dep_ == "ROOT" and a.i == root.head.head.i for a in [root.head]) or \
                root.sent.root.i in {a.i for a in root.ancestors} and prep is not None and \
                prep.head.i == root.sent.root.i and trig.is_ancestor(root) is False and prep.i < trig.i:
            score += 2  # a sentence-level "In X, ..." adjunct
        else:
            return None
    if prep is not None and prep.lower_ in AWAY:
        score += 3
    return score


def distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the parse tree (far when they share no ancestor)."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 12 + abs(a.i - b.i) // 4
