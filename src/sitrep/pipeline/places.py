"""Places: every place mention resolved to a GeoNames entry from the local gazetteer.

Candidates come from the SQLite index (never a scan); the choice weighs population, feature kind,
the article's country context (country names and demonyms such as "Iraqi"), and closeness to the
other places the article names.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from sitrep import gazetteer as gz
from sitrep.pipeline import ext  # noqa: F401
from sitrep.pipeline.lexicon import Lexicon, shared_lexicon

PLACE_LABELS = {"GPE", "LOC", "FAC"}
GENERIC = {"city", "town", "village", "country", "region", "province", "state", "capital", "north", "south",
           "east", "west", "camp", "border", "area", "district"}


@dataclass
class PlaceMention:
    text: str
    start: int
    end: int
    token_start: int
    token_end: int


@dataclass
class ResolvedPlace:
    place: gz.Place
    mentions: list[PlaceMention] = field(default_factory=list)

    @property
    def key(self) -> int:
        return self.place.geonameid


def _clean(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and (doc[end - 1].text in {"'s", "\u2019s", "'", ".", ","} or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None


def _lookup_text(span: Span) -> str:
    return " ".join(t.text for t in span if t.text not in {"]", ")", "[", "("})


def score(cand: gz.Place, context: Counter[str], anchors: list[tuple[float, float]], exact: bool) -> float:
    s = math.log10(cand.population + 10)
    s += {"country": 4.0, "region": 2.5, "admin1": 1.5, "admin2": 0.8, "city": 0.0}.get(cand.feature, 0)
    if cand.alternate:
        s -= 1.5
    if not exact:
        s -= 0.5
    total = sum(context.values())
    if total and cand.country_code:
        share = context.get(cand.country_code, 0) / total
        s += 4.0 * share + (1.5 if context.get(cand.country_code) else 0.0)
    if anchors and cand.feature not in {"country"}:
        nearest = min(gz.distance_km((cand.lat, cand.lon), a) for a in anchors)
        s += 2.0 if nearest < 150 else 1.0 if nearest < 500 else 0.0
    return s


@Language.factory("sitrep_places_v1", assigns=["doc._.places"], requires=["doc.ents", "doc._.blocks"])
def make_places(nlp: Language, name: str) -> PlacesComponent:
    return PlacesComponent()


class PlacesComponent:
    def __init__(self, gazetteer: gz.Gazetteer | None = None, lexicon: Lexicon | None = None) -> None:
        self._gaz = gazetteer
        self._lex = lexicon

    @property
    def gaz(self) -> gz.Gazetteer:
        if self._gaz is None:
            self._gaz = gz.shared()
        return self._gaz

    @property
    def lex(self) -> Lexicon:
        if self._lex is None:
            self._lex = shared_lexicon()
        return self._lex

    def mentions(self, doc: Doc) -> list[Span]:
        structure = doc._.blocks
        spans = []
        for ent in doc.ents:
            if ent.label_ == "NORP":  # "the Kurdish region", "Ethiopia's Somali region"
                k = ent.end
                while k < len(doc) and doc[k].text in {"]", ")"}:
                    k += 1
                if k < len(doc) and doc[k].lower_ in {"region", "state", "province"} and \
                        self.gaz.candidates(f"{ent.text} {doc[k].lower_}"):
                    spans.append(doc[ent.start:k + 1])
                continue
            if ent.label_ not in PLACE_LABELS and not (ent.label_ in {"ORG", "PERSON", "NORP"}
                                                       and self._is_country_name(ent.text)):
                continue
            if structure is not None and structure.kind(ent.start_char) == "related":
                continue
            span = _clean(ent)
            if span is None or span.text.lower() in GENERIC or self.lex.is_actor_alias(span.text):
                continue
            if not any(t.is_alpha and t.text[:1].isupper() for t in span):
                continue
            spans.append(span)
        return spans

    def _is_country_name(self, text: str) -> bool:
        return any(c.feature == "country" and not c.alternate for c in self.gaz.candidates(text)[:1])

    def country_context(self, doc: Doc, spans: list[Span]) -> Counter[str]:
        context: Counter[str] = Counter()
        for span in spans:
            cands = self.gaz.candidates(span.text)
            if cands and cands[0].feature == "country":
                context[cands[0].country_code or ""] += 2
        for token in doc:
            if token.text[:1].isupper() and token.pos_ in {"ADJ", "PROPN", "NOUN"}:
                cc = self.gaz.demonym(token.text)
                if cc:
                    context[cc] += 1
        return context

    def __call__(self, doc: Doc) -> Doc:
        spans = self.mentions(doc)
        context = self.country_context(doc, spans)
        # Pass 1: resolve unambiguous or dominant names to anchor the rest.
        anchors: list[tuple[float, float]] = []
        chosen: dict[int, gz.Place] = {}
        for span in spans:
            cands = self.gaz.candidates(span.text)
            if len(cands) == 1 and cands[0].feature != "country":
                anchors.append((cands[0].lat, cands[0].lon))
                if cands[0].country_code:  # an unambiguous town names its country too
                    context[cands[0].country_code] += 1
        for i, span in enumerate(spans):
            cands = self.gaz.candidates(_lookup_text(span))
            if not cands:
                continue
            best = max(cands, key=lambda c: score(c, context, anchors, True))
            chosen[i] = best
            if best.country_code:
                context[best.country_code] += 0.5
        resolved: dict[int, ResolvedPlace] = {}
        for i, place in chosen.items():
            span = spans[i]
            entry = resolved.setdefault(place.geonameid, ResolvedPlace(place))
            entry.mentions.append(PlaceMention(span.text, span.start_char, span.end_char, span.start, span.end))
        doc._.places = sorted(resolved.values(), key=lambda r: r.mentions[0].start)
        return doc
