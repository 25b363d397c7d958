"""Places: every place mention resolved to a GeoNames entry from the local gazetteer.

Mentions come from the named-entity recogniser and from the gazetteer:

- GPE/LOC/FAC entities, cleaned ("the U.S.", "Iraq's") and split at commas ("Gainesville, Ga.");
- entities of other labels (ORG, PERSON, ...) and unlabelled proper nouns that are place names *and* read
  as places: after a locative preposition ("in Huntsville"), before ", State", in a dateline
  ("COLUMBUS, Ohio"), coordinated with a place ("Paris and Lyon"), or named as a place elsewhere in the
  article (one sense per article);
- place names inside organisation names ("Laurel County Sheriff's Office", "University of Kentucky");
- newspaper abbreviations of states and provinces ("Ga.", "B.C.").

Demonyms ("Russian troops") are not place mentions (GeoWebNews' taxonomy counts them as non-toponyms);
they only lend their country to the article's context.

Candidates come from the SQLite index (never a scan), at most ``MAX_CANDS`` per name. A candidate's prior
is its population (log), its kind (countries and regions before cities, cities before same-named
counties, a national capital before its namesakes), minus a penalty when only an alternate name matches.
An explicit qualifier ("Paris, Tenn.", "Mosul, Iraq") restricts the candidates. Then, for a few rounds,
every name votes for the countries and first-level subdivisions of its candidates, weighted by how likely
each is (demonyms and state abbreviations vote too), and each candidate gains from the votes of the
*other* names for its country and subdivision and from lying near the places chosen for them: the local
reading wins in local news ("Paris" beside "Henry County" in Tennessee), the famous one elsewhere. Every
mention of one name in an article gets the same place.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy
import spacy.symbols
from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_UPPER, POS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep import gazetteer as gz
from sitrep.pipeline import ext
from sitrep.pipeline import placecues as cues
from sitrep.pipeline.lexicon import Lexicon, shared_lexicon
from sitrep.pipeline.phones import phone_places
from sitrep.textutil import fold as _fold

fold = lru_cache(maxsize=1 << 17)(_fold)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
OTHER_LABELS = {"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
GENERIC = {"city", "town", "village", "country", "region", "province", "state", "capital", "north", "south",
           "east", "west", "camp", "border", "area", "district", "county", "university", "center", "centre",
           "university of", "college", "school", "church", "hospital", "park", "valley", "river", "lake",
           "central", "western", "eastern", "northern", "southern", "olympic", "gulf", "coast", "bay", "forest",
           "delta", "lot", "bar", "mount", "island", "islands", "harbor", "harbour", "port", "beach", "hills",
           "heights", "springs", "falls", "union", "liberty", "victory", "independence", "earth", "moon"}
LOCATIVE = {"in", "near", "at", "from", "outside", "across", "throughout", "around", "into", "to", "through",
            "toward", "towards", "within", "via", "inside", "beyond", "between", "nearby", "en"}
# prepositions that put even a name the recogniser took for a person in a place ("in Gainesville")
IN_PLACE = {"in", "near", "outside", "across", "throughout", "around", "into", "toward", "towards", "within",
            "inside", "beyond"}
# "an Alexandria man", "Roselle police": a head noun that makes its modifier a place
PLACE_HEADS = {"man", "woman", "men", "women", "resident", "residents", "native", "natives", "police", "area",
               "teen", "teenager", "boy", "girl", "couple", "family", "officers", "firefighters", "neighborhood",
               "suburb", "suburbs", "homeowners", "voters", "motorists", "township", "county", "city", "office",
               "offices"}
SUBDIVISION_KEY = "#subdivision"  # the group of a name the text calls a subdivision
SUBDIVISION_WORDS = {"province", "governorate", "prefecture", "oblast", "state", "region", "district",
                     "department"}
# "Grozny's streets": a possession only a place has
POSS_PLACE = {"streets", "outskirts", "suburbs", "suburb", "mayor", "residents", "old", "airport", "districts",
              "neighbourhoods", "neighborhoods", "downtown", "centre", "center"}
PART_KM = 150.0  # how far a place inside another may lie from that one's point
TITLES = {"Pope", "President", "King", "Queen", "Prince", "Princess", "Sheikh", "Bishop", "Archbishop",
          "Patriarch", "Cardinal", "Imam", "Father", "Emir", "Sultan", "General", "Governor", "Senator", "Mayor",
          "Chancellor", "Judge", "Colonel", "Commander"}
SAINT_WORDS = {"St.", "St", "Saint", "Ste.", "Sainte", "San", "Santa", "Sao", "São"}
WORSHIP_PLACES = {"church", "churches", "cathedral", "chapel", "basilica", "parish", "monastery", "abbey",
                  "shrine", "convent", "order"}
# "captured Jaffna": verbs whose object is a place taken
TAKEN = {"capture", "seize", "overrun", "storm", "liberate", "recapture", "retake", "besiege", "shell"}
# "Athens Police Department", "Alexandria City Public Schools", "University of Rochester": an institution
# named after its town
CIVIC_HEADS = {"police", "sheriff", "sheriff's", "fire", "city", "county", "public", "schools", "school",
               "township", "municipal", "board", "council", "chamber", "historical", "regional", "area",
               "community", "department", "hospital", "library", "mayor", "town"}
CIVIC_OF = {"university", "college", "city", "town", "village", "diocese", "archdiocese", "port", "county",
            "mayor", "state", "province"}
INSTITUTION_WORDS = {"Center", "Centre", "Institute", "Hospital", "College", "School", "University", "Museum",
                     "Council", "Library", "Academy", "Clinic"}
STREET_WORDS = {"St.", "St", "Street", "Ave.", "Ave", "Avenue", "Rd.", "Road", "Dr.", "Drive", "Blvd.", "Boulevard",
                "Lane", "Ln.", "Hwy.", "Highway", "Pike", "Way", "Court", "Ct.", "Place", "Pl."}
# "Rift Valley fever", "West Nile virus", "Japanese encephalitis", "Crimean-Congo haemorrhagic fever"
DISEASE_WORDS = {"fever", "virus", "flu", "influenza", "disease", "encephalitis", "haemorrhagic", "hemorrhagic",
                 "respiratory"}
# "the regional capital, X": a place named in apposition
APPOSED = {"capital", "city", "town", "village", "province", "district", "region", "county", "state"}
# "the city of X", "north of X", "residents of X": an "of" that introduces a place
OF_PLACE = {"city", "town", "village", "county", "state", "province", "region", "north", "south", "east", "west",
            "northeast", "northwest", "southeast", "southwest", "outskirts", "suburbs", "suburb", "part", "parts",
            "residents", "resident", "people", "capital", "mayor", "governor", "streets", "center", "centre",
            "heart", "rest", "kingdom", "republic", "miles", "kilometres", "kilometers", "km", "borough",
            "township", "island", "coast", "border", "areas", "area", "district"}
SIDES = {"north": "north", "northern": "north", "south": "south", "southern": "south", "east": "east",
         "eastern": "east", "west": "west", "western": "west"}
COMPASS = re.compile(r"(north|south)-?(east|west)(?:ern)?")  # "southwest", "north-eastern"
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper",
              "lower", "greater", "northeastern", "northwestern", "southeastern", "southwestern", "northeast",
              "northwest", "southeast", "southwest", "mid"}
DASHES = {"-", "\u2013", "\u2014", "--", "(", ":"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
FEATURE_BONUS = {"continent": 3.5, "country": 3.5, "region": 2.0, "admin1": 1.5, "admin2": -0.5, "city": 0.0}
MAX_NGRAM = 4
_NAME_POS = {spacy.symbols.ADJ, spacy.symbols.PROPN, spacy.symbols.NOUN}
_NAME_POS_ARRAY = numpy.array(sorted(_NAME_POS), dtype="uint64")
# disambiguation (see __call__)
CAPITAL_BONUS = 1.5
THE_HAMLET = 20_000  # a town smaller than this is not what "the X" names
BIG_CITY = 1_000_000  # a city this big is what its subdivision's shared name means ("São Paulo")
PHONE_VOTE = 1.0  # what a local telephone number's area code counts for, like one name there
SHORT_FORM_PENALTY = 0.5
CAPITAL_OVER_A1 = 1.5  # a national capital's lead over the subdivision it is named like
NAMED_CAPITAL = 8.0  # a capital whose country the text names, over its namesakes in other countries
TEMPERATURE = 0.7
CC_WEIGHT = 2.0
A1_WEIGHT = 3.0
SMALL_NAMESAKE_RATIO = 50  # a town this many times smaller than its country's biggest namesake ...
SMALL_NAMESAKE_A1 = 0.5  # ... takes this share of the pull of a state named elsewhere
CONTEXT_FOCUS = 2.0  # votes count in full when one country has half of them or more
COUNTRY_CC_FACTOR = 1.5
DEMONYM_VOTE = 0.5
ROUNDS = 3
LIST_WEIGHT = 2.0  # per peer (up to 3) in a list read at a name's level
LEVEL_WEIGHT = 0.75  # per log1p(other names read at the same level)
MAX_CANDS = 15
PROXIMITY = (2.0, 1.5, 0.5)  # bonus within 50, 150, 400 km of another name's place


def _level_key(c: gz.Place) -> tuple[str, str | None]:
    """Which names read alike: a country among countries, a subdivision among its country's subdivisions."""
    return c.feature, c.country_code if c.feature == "admin1" else None


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


# "the city", "this country": a word that points back to the last place of its kind (None: any kind)
ANAPHORA = {"city": "city", "town": "city", "village": "city", "capital": "city", "camp": "city",
            "country": "country", "region": "admin1", "province": "admin1", "state": "admin1", "area": None}
ANAPHORA_DETERMINERS = {"the", "this", "that"}


def anaphoric_places(doc: Doc, sent: Span,
                     mentions: list[tuple[int, int, ResolvedPlace]]) -> list[tuple[Token, ResolvedPlace]]:
    """Each "the city"-like word of ``sent`` with the last place of its kind named before the sentence in
    the article's own text (not a related link or heading); ``mentions`` are (token start, token end,
    place) in text order."""
    structure = doc._.blocks
    out = []
    for t in sent:
        if t.lower_ not in ANAPHORA or t.i == 0 or doc[t.i - 1].lower_ not in ANAPHORA_DETERMINERS:
            continue
        feature = ANAPHORA[t.lower_]
        prior = [rp for s, _e, rp in mentions if s < sent.start and (feature is None or rp.place.feature == feature)
                 and (structure is None or structure.is_claim(doc[s].idx))]
        if prior:
            out.append((t, prior[-1]))
    return out


@dataclass
class _Mention:
    start: int  # token offsets
    end: int
    kind: str  # "ent" (a place entity), "name" (a place name read as a place), "abbrev"
    fixed: gz.Place | None = None  # the place, when the mention itself settles it (an abbreviation)
    qualifier: int | None = None  # index of the mention qualifying this one ("Paris, Tenn.")
    within: bool = False  # the qualifier says the place lies in it ("Milak in Nimroz province")
    part_of: int | None = None  # index of the mention of a place the text puts this one in ("Cairo's Abbasiya")
    lookup: str | None = None  # the name to look up when it is not the span's text ("Clarke" -> "Clarke County")

    def text(self, doc: Doc) -> str:
        return self.lookup or _lookup_text(doc[self.start:self.end])

    def key(self, doc: Doc) -> str:
        return fold(self.text(doc))


def _clean(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in {"'s", "\u2019s", "'", "\u2019", ".", ",", "-"}
                           or doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text not in {")"})):
        end -= 1
    return doc[start:end] if end > start else None


def _sides(span: Span) -> tuple[int, frozenset[str]]:
    """The direction words a name starts with and the halves they name: "Southern California" (1, {south}),
    "South West England" and "South-West England" (2 or 3, {south, west}), "Southwestern Ontario" (1, ...)."""
    sides: set[str] = set()
    k = span.start
    while k < span.end - 1 and len(sides) < 2:
        word = span.doc[k].lower_
        if word in SIDES and SIDES[word] not in sides:
            sides.add(SIDES[word])
        elif (compass := COMPASS.fullmatch(word)) and not sides:
            sides.update(compass.groups())
        elif word == "-" and sides and k + 1 < span.end - 1 and span.doc[k + 1].lower_ in SIDES:
            pass  # "South-West"
        else:
            break
        k += 1
    if len(sides) == 2 and sides in ({"north", "south"}, {"east", "west"}):
        return 0, frozenset()
    return k - span.start, frozenset(sides)


def _lookup_text(span: Span) -> str:
    """The span's text as written ("Port-au-Prince"), without brackets ("Kurdish] region")."""
    text = span.text
    if any(c in text for c in "[]()"):
        text = " ".join(text.translate(_BRACKETS).split())
    return text


_BRACKETS = str.maketrans({c: " " for c in "[]()"})


def _capitalised(span: Span) -> bool:
    return any(t.text[:1].isupper() and any(c.isalpha() for c in t.text) for t in span)


def _split(span: Span) -> list[Span]:
    """'Gainesville, Ga.' -> 'Gainesville', 'Ga.'; other spans as they are."""
    parts, start = [], span.start
    for t in span:
        if t.text == "," or t.text == ";":
            if t.i > start:
                parts.append(span.doc[start:t.i])
            start = t.i + 1
    if start < span.end:
        parts.append(span.doc[start:span.end])
    return parts


@Language.factory("sitrep_places_v1", assigns=["doc._.places"], requires=["doc.ents", "doc._.blocks"])
def make_places(nlp: Language, name: str) -> PlacesComponent:
    return PlacesComponent()


class PlacesComponent:
    def __init__(self, gazetteer: gz.Gazetteer | None = None, lexicon: Lexicon | None = None) -> None:
        self._gaz = gazetteer
        self._lex = lexicon
        self._actor_cache: dict[str, bool] = {}

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

    # -- gazetteer views ----------------------------------------------------------------------------------
    def cands(self, text: str) -> tuple[gz.Place, ...]:
        return self.gaz.candidates(text)

    def primary(self, text: str) -> tuple[gz.Place, ...]:
        """Candidates that carry the name as their own (not only as an alternate)."""
        return tuple(c for c in self.gaz.candidates(text) if not c.alternate)

    def strong_name(self, text: str) -> bool:
        """A name that is a place whatever the context: a country, continent, region, first-level
        subdivision, or an admin2 whose name says so ("Cook County")."""
        for c in self.primary(text):
            if c.feature in {"country", "continent", "region"} or (c.feature == "admin1" and c.population >= 100_000):
                return True
            if c.feature == "admin2" and gz.ADMIN2_KIND.search(text):
                return True
        return False

    def _is_country_name(self, text: str) -> bool:
        return any(c.feature == "country" and not c.alternate for c in self.gaz.candidates(text)[:1])

    # -- mentions -------------------------------------------------------------------------------------------
    def mentions(self, doc: Doc) -> list[Span]:
        """The mention spans (kept for callers that want spans only)."""
        return [doc[m.start:m.end] for m in self._mentions(doc)]

    def _usable(self, doc: Doc, span: Span) -> bool:
        structure = doc._.blocks
        if structure is not None and structure.kind(span.start_char) == "related":
            return False
        text = span.text
        low = text.lower()
        if span.end < len(doc) and doc[span.end].text in STREET_WORDS:
            return False  # "Atlantic Avenue", "Washington Street": a street, not the place it is named after
        if span.end < len(doc) and doc[span.end].lower_ in DISEASE_WORDS and \
                not any(c.feature == "country" for c in self.primary(_lookup_text(span))):
            return False  # "Rift Valley fever", "Marburg virus": a disease named after a place (not "U.S. flu cases")
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and ((after.ent_iob_ == "B" and after.ent_type_ == "PERSON" and not span[0].ent_type_)
                                  or (len(span) == 1 and text in TITLES and after.text[:1].isupper())):
            return False  # "Pope Tawadros", "Bishop Anba": a title before a name
        if span[0].text in SAINT_WORDS and span.start >= 2 and doc[span.start - 1].lower_ == "of" and \
                doc[span.start - 2].lower_ in WORSHIP_PLACES:
            return False  # "the church of St. Peter": the saint, not the town named after him
        if span.start and doc[span.start - 1].lower_ == "the" and (after is None or after.pos_ not in {"NOUN", "PROPN"}) \
                and self._only_hamlets(span):
            return False  # "at the White House": a building; towns seldom take "the"
        return _capitalised(span) and low not in GENERIC and low not in MONTHS and not self._actor(text)

    def _side(self, doc: Doc, m: _Mention, place: gz.Place) -> gz.Place:
        """For "Southern California", "Eastern Ukraine" (one name, read as its named part): that part of the
        place, as a region of its own; other mentions keep the place."""
        sides = _sides(doc[m.start:m.end]) if m.lookup is not None and m.end - m.start > 1 else (0, frozenset())
        if not sides[1] or place.feature not in {"country", "admin1"}:
            return place
        point = self.gaz.side_of(place, sides[1])
        if point is None:
            return place
        name = doc[m.start:m.end].text
        return gz.Place(-(20_000_000 + int.from_bytes(fold(name).encode()[:6], "big") % 10_000_000), name,
                        point[0], point[1], place.country_code, place.admin1 if place.feature == "admin1" else None,
                        "region", 0)

    def _only_hamlets(self, span: Span) -> bool:
        """Whether every reading of the name is a small town (no subdivision, country or region)."""
        cands = self.primary(_lookup_text(span))
        return bool(cands) and all(c.feature == "city" and c.population < THE_HAMLET for c in cands)

    def _abbreviation_before_period(self, doc: Doc, span: Span) -> tuple[gz.Place | None, int]:
        """A subdivision abbreviation whose period spaCy split off ("Churchill, Man. Her parents": "Man" "."),
        with the end of the span that takes the period in."""
        end = span.end
        if end < len(doc) and doc[end].text == "." and not doc[end - 1].whitespace_:
            fixed = self.gaz.abbreviation(span.text + ".")
            if fixed is not None:
                return fixed, end + 1
        return None, end

    def _widened(self, doc: Doc, span: Span) -> Span:
        """The recogniser cut a name short ("Goz [Beida]", "[Guinea]-Bissau"): the whole name, when the
        gazetteer knows it and the text around is free."""
        start, end = span.start, span.end
        if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and \
                not doc[end].whitespace_ and doc[end + 1].text[:1].isupper() and not doc[end + 1].ent_type_ and \
                self.primary(_lookup_text(doc[start:end + 2])):
            end += 2
        before = doc[start - 1] if start else None
        if before is not None and before.is_alpha and before.text[:1].isupper() and not before.ent_type_ and \
                not before.is_sent_start and self.primary(_lookup_text(doc[start - 1:end])):
            start -= 1
        return doc[start:end] if (start, end) != (span.start, span.end) else span

    def _actor(self, text: str) -> bool:
        hit = self._actor_cache.get(text)
        if hit is None:
            if len(self._actor_cache) > 50_000:
                self._actor_cache.clear()
            hit = self._actor_cache[text] = self.lex.is_actor_alias(text)
        return hit

    def _mentions(self, doc: Doc, full: str | None = None,
                  flags: tuple[list[int], list[bool]] | None = None) -> list[_Mention]:
        full = ext.text_of(doc) if full is None else full  # Doc.text joins every token: read it once
        n_tok = len(doc)
        taken = [False] * n_tok
        found: list[_Mention] = []
        ent_types, capword = flags or self._token_flags(doc, full)

        def add(start: int, end: int, kind: str, fixed: gz.Place | None = None, lookup: str | None = None) -> None:
            if any(taken[start:end]):
                return
            for i in range(start, end):
                taken[i] = True
            found.append(_Mention(start, end, kind, fixed, lookup=lookup))

        weak: list[tuple[Span, str]] = []  # (span, entity label) read as places only with evidence
        inner: list[Span] = []  # entities that may hold a place name
        for ent in ext.ents_of(doc):
            label = ent.label_
            if label == "NORP":
                k = ent.end
                while k < len(doc) and doc[k].text in {"]", ")"}:
                    k += 1
                if k < len(doc) and doc[k].lower_ in {"region", "state", "province"} and \
                        self.gaz.candidates(f"{ent.text} {doc[k].lower_}"):
                    add(ent.start, k + 1, "ent")  # "the Kurdish region", "Ethiopia's Somali region"
                    continue
            span = _clean(ent)
            if span is None:
                continue
            if label in PLACE_LABELS:
                span = self._widened(doc, span)
                for part in _split(span):
                    part = _clean(part)
                    if part is None or not self._usable(doc, part):
                        continue
                    fixed, end = self.gaz.abbreviation(part.text), part.end
                    if fixed is None:
                        fixed, end = self._abbreviation_before_period(doc, part)
                    if fixed is not None:
                        add(part.start, end, "abbrev", fixed)
                    elif (sub := self._spelled_subdivision(doc, part)) is not None:
                        add(part.start, part.end, "ent", sub)  # "the Hiran region": Hiiraan
                    elif self.cands(_lookup_text(part)):
                        add(part.start, part.end, "ent")
                    elif (sub := self._subdivision(part)) is not None:
                        add(part.start, part.end, "ent", sub)  # "Nimroz province"
                    elif len(part) > 1:
                        inner.append(part)
            elif label in OTHER_LABELS:
                if label == "NORP" or (label in {"ORG", "PERSON"} and self._is_country_name(span.text)):
                    if self._is_country_name(span.text) and self._usable(doc, span):
                        add(span.start, span.end, "ent")
                        continue
                if label == "NORP" and self.gaz.demonym(span.text):
                    continue  # demonyms are context, not mentions
                if label == "NORP" and self._usable(doc, span) and \
                        any(c.feature == "city" and c.population >= BIG_CITY for c in self.primary(_lookup_text(span))):
                    add(span.start, span.end, "ent")  # "eastern Aleppo" taken for a group of people
                    continue
                abbrev = self.gaz.abbreviation(span.text) if len(span.text) > 2 else None
                if abbrev is not None and label == "ORG" and self._usable(doc, span):
                    add(span.start, span.end, "abbrev", abbrev)  # "NSW" taken for an organisation
                    continue
                if self._usable(doc, span) and self.primary(_lookup_text(span)):
                    weak.append((span, label))
                elif len(span) > 1 and label != "PERSON":  # "Virginia Alexander" is a person
                    inner.append(span)
        found_keys = {m.key(doc) for m in found if m.kind == "ent"}

        # Place names inside longer names: "Laurel County Sheriff's Office", "University of Kentucky".
        for span in inner:
            i = span.start
            lead = _sides(span)[0]  # "South West England": direction words before the name
            while i < span.end:
                hit = None
                direction = (doc[i - 1].lower_ in DIRECTIONS and i - 1 == span.start) or 0 < lead == i - span.start
                if span.start < i < span.start + lead:
                    i = span.start + lead  # past "South West" in "South West England"
                    continue
                if i > span.start and doc[i - 1].lower_ not in {"of", "the"} and not direction:
                    i += 1  # "United Russia", "George Washington High School": part of another name
                    continue
                for n in range(min(MAX_NGRAM, span.end - i), 0, -1):
                    sub = doc[i:i + n]
                    if i == span.start and n <= lead:
                        continue  # not "South West" (a region of Cameroon) but the south-west of England
                    if not sub[0].text[:1].isupper() or not sub[-1].text[:1].isupper() or not self._usable(doc, sub):
                        continue
                    if n > 1 and sub[-1].text in INSTITUTION_WORDS:
                        continue  # "University of Michigan Center for ...": the centre is the organisation's
                    text = _lookup_text(sub)
                    head = doc[sub.end].lower_ if sub.end < span.end else ""
                    civic = (head in CIVIC_HEADS and i == span.start) or (
                        i > span.start + 1 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in CIVIC_OF)
                    if self.strong_name(text) or ((fold(text) in found_keys or civic) and self.primary(text)):
                        hit = sub
                        break
                if hit is not None:
                    if direction and hit.end == span.end:  # "Northern Europe", "Central Java": the named part
                        add(span.start, hit.end, "name", lookup=_lookup_text(hit))
                    else:
                        add(hit.start, hit.end, "name")
                    i = hit.end
                else:
                    i += 1

        # Proper nouns the recogniser left out: runs of capitalised words ending in a proper noun.
        i = 0
        while i < n_tok:
            if taken[i] or ent_types[i] or not capword[i]:
                i += 1
                continue
            j = i
            while j < n_tok and j - i < MAX_NGRAM and not taken[j] and not ent_types[j] and capword[j]:
                j += 1
            for n in range(j - i, 0, -1):
                sub = doc[i:i + n]
                if not (self._propn(sub[-1]) or sub.text.isupper()):
                    continue
                if self._usable(doc, sub) and self.primary(_lookup_text(sub)):
                    weak.append((sub, ""))
                    break
            i = j

        # "Clarke, Madison and Oconee counties": each name is a county.
        lowered = full.lower()
        lists = [t.i for t in ext.tokens_of(doc) if t.lower_ in {"counties", "parishes"}] \
            if "counties" in lowered or "parishes" in lowered else []
        for ti in lists:
            if ti == 0:
                continue
            kind = "County" if doc[ti].lower_ == "counties" else "Parish"
            k = ti
            while k > 0:
                j = k
                while j > 0 and capword[j - 1] and k - j < MAX_NGRAM:
                    j -= 1
                if j == k or any(taken[j:k]):
                    break
                sub = doc[j:k]
                cands = [c for c in self.primary(f"{_lookup_text(sub)} {kind}") if c.feature == "admin2"]
                if cands:
                    add(j, k, "name", lookup=f"{_lookup_text(sub)} {kind}")
                if j > 0 and doc[j - 1].text in {",", "and", "or", "&"}:
                    k = j - 1
                    if k > 0 and doc[k].text in {"and", "or"} and doc[k - 1].text == ",":
                        k -= 1
                else:
                    break

        # Names that read as places only in context, in text order so coordination carries over.
        weak.sort(key=lambda w: w[0].start)
        found_keys = {m.key(doc) for m in found if m.kind in {"ent", "name"}}
        # Words of people's full names ("Emilie Holroyd" ... "Holroyd said") are not places elsewhere either.
        person_words = {t.text for ent in ext.ents_of(doc) if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
        for span, label in weak + weak:  # twice: a name read as a place later in the text counts earlier too
            if any(taken[span.start:span.end]):
                continue
            if span.start and doc[span.start - 1].text == ",":
                fixed, end = self._abbreviation_before_period(doc, span)
                if fixed is not None:
                    add(span.start, end, "abbrev", fixed)
                    continue
            if len(span) == 1 and span.text in person_words and not self.strong_name(span.text):
                continue
            if self._evidence(doc, span, taken, found_keys, label):
                add(span.start, span.end, "name")
                found_keys.add(fold(_lookup_text(span)))
        # State abbreviations after a place: "Gainesville, Ga."
        for m in list(found):
            k = m.end
            if k + 1 < n_tok and doc[k].text == ",":
                for n in (2, 1):
                    sub = doc[k + 1:k + 1 + n]
                    fixed = self.gaz.abbreviation(sub.text) if len(sub) == n else None
                    if fixed is not None:
                        add(sub.start, sub.end, "abbrev", fixed)
                        break
        found.sort(key=lambda m: m.start)
        # Qualifiers: "Paris, Tenn.", "Gainesville, Georgia", "Mosul, Iraq"
        by_start = {m.start: i for i, m in enumerate(found)}
        by_end = {m.end: i for i, m in enumerate(found)}
        for m in found:
            if m.end + 1 < len(doc) and doc[m.end].text == ",":
                q = by_start.get(m.end + 1)
                if q is not None and not self._in_list(doc, found, m, found[q], by_start, by_end):
                    m.qualifier = q
            elif m.end + 1 < len(doc) and (doc[m.end].lower_ == "in" or (  # "Milak in Nimroz province"
                    doc[m.end].lower_ in {"located", "situated"} and doc[m.end + 1].lower_ == "in")):
                at = m.end + (doc[m.end].lower_ != "in")  # "Crawford County located in Pennsylvania"
                k = at + 2 if at + 1 < len(doc) and doc[at + 1].lower_ in DIRECTIONS else at + 1
                q = by_start.get(k)
                if q is not None and self._level(doc, found[q]) & {"admin1", "country"}:
                    m.qualifier, m.within = q, True
            m.part_of = cues.container(doc, m, by_start, by_end)
        return found

    def _subdivision(self, span: Span) -> gz.Place | None:
        """"Nimroz province", "Kassala state": a subdivision named with its kind, when the name alone is one."""
        if len(span) < 2 or span[-1].lower_ not in SUBDIVISION_WORDS:
            return None
        levels = {"admin1", "admin2"} if span[-1].lower_ == "district" else {"admin1"}
        cands = [c for c in self.primary(_lookup_text(span[:-1])) if c.feature in levels]
        if cands:
            return max(cands, key=lambda c: c.population)
        return self._spelled_like(_lookup_text(span[:-1]), span[-1].lower_)

    def _spelled_like(self, text: str, kind: str) -> gz.Place | None:
        """The first-level subdivision ``text`` names as transliterated otherwise ("Hiran": Hiiraan), when
        ``kind`` says it is one ("region", "province"; not "district", which is often second-level)."""
        if kind not in SUBDIVISION_WORDS or kind == "district":
            return None
        variants = self.gaz.subdivisions_spelled_like(text)
        return variants[0] if variants else None

    def _spelled_subdivision(self, doc: Doc, span: Span) -> gz.Place | None:
        """A name followed by its kind ("the Hiran region") that names no subdivision as spelled: the one
        it names as transliterated otherwise, not a namesake town elsewhere."""
        if span.end >= len(doc):
            return None
        text = _lookup_text(span)
        if any(c.feature in {"admin1", "admin2", "region", "country", "continent"} for c in self.cands(text)):
            return None
        return self._spelled_like(text, doc[span.end].lower_)

    def _level(self, doc: Doc, m: _Mention) -> set[str]:
        """The subdivision or country readings a mention's name has ({"admin1"}, {"country"}, ...)."""
        if m.fixed is not None:
            return {m.fixed.feature}
        return {c.feature for c in self.primary(m.text(doc)) if c.feature in {"admin1", "country"}}

    def _in_list(self, doc: Doc, found: list[_Mention], m: _Mention, q: _Mention,
                 by_start: dict[int, int], by_end: dict[int, int]) -> bool:
        """Whether "m, q" lists peers ("Oregon, Washington and Idaho") rather than qualifies ("Paris, Tenn.")."""
        if not self._level(doc, m) & self._level(doc, q):
            return False
        k = q.end
        if k < len(doc) and doc[k].text in cues.COORD:
            k += 1 if not (k + 1 < len(doc) and doc[k + 1].lower_ in {"and", "or"}) else 2
            if k in by_start:
                return True
        k = m.start - 1
        if k >= 0 and doc[k].text in cues.COORD:
            if k - 1 >= 0 and doc[k].lower_ in {"and", "or"} and doc[k - 1].text == ",":
                k -= 1
            return k in by_end
        return False

    @staticmethod
    def _propn(t: Token) -> bool:
        return t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha

    @staticmethod
    def _capword(t: Token) -> bool:
        return t.text[:1].isupper() and t.is_alpha and (t.pos_ in {"PROPN", "ADJ", "NOUN"} or t.text.isupper())

    @staticmethod
    def _token_flags(doc: Doc, text: str) -> tuple[list[int], list[bool]]:
        """Per token: entity type, and whether it is a capitalised word (see :meth:`_capword`), read from
        one attribute array rather than token by token."""
        n = len(doc)
        if not n:
            return [], []
        arr = doc.to_array([ENT_TYPE, POS, IS_ALPHA, IS_UPPER, IDX])
        mask = (arr[:, 2] != 0) & (numpy.isin(arr[:, 1], _NAME_POS_ARRAY) | (arr[:, 3] != 0))
        capword = [False] * n
        rows = numpy.nonzero(mask)[0]
        for i, idx in zip(rows.tolist(), arr[rows, 4].tolist(), strict=True):
            if text[idx].isupper():
                capword[i] = True
        return arr[:, 0].tolist(), capword

    def _evidence(self, doc: Doc, span: Span, taken: list[bool], keys: set[str], label: str) -> bool:
        """Does the context read ``span`` (a place name; ``label`` its entity label, if any) as a place?

        A name the recogniser took for a person needs a place-like context of its own; other names may
        also borrow it from the same name elsewhere in the article or from a coordinated place."""
        text = _lookup_text(span)
        person = label == "PERSON"
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        alone = (prev is None or not prev.text[:1].isupper() or prev.is_sent_start) and \
            (nxt is None or not nxt.text[:1].isupper())
        if fold(text) in keys and (not person or (alone and len(span) == 1)):
            return True  # named as a place elsewhere in the article
        strong = self.strong_name(text)
        if nxt is not None and nxt.text in {"'s", "\u2019s"} and any(
                t.lower_ in POSS_PLACE for t in doc[span.end + 1:span.end + 3]):
            return True  # "Grozny's streets", "the city's mayor"
        if alone and len(span) == 1 and prev is not None and prev.lemma_.lower() in TAKEN and prev.pos_ == "VERB":
            return True  # "the army captured Jaffna": a town taken
        if not strong and span.end < len(doc) and doc[span.end].text in {"'s", "\u2019s"}:
            return False  # "Clinton's"
        if person and prev is not None and prev.text[:1].isupper():
            return False  # "Cpl. Michael", "Sen. Clinton"
        if nxt is not None and nxt.lower_ in PLACE_HEADS and nxt.pos_ in {"NOUN", "PROPN"}:
            return True  # "an Alexandria man", "Roselle police"
        if nxt is not None and nxt.text == "-" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ == "based":
            return True  # "Northbrook-based"
        if prev is not None and prev.text == "," and span.start > 1 and doc[span.start - 2].text in STREET_WORDS:
            return True  # "1935 Orchard St., Alexandria"
        if prev is not None and prev.lower_ in (IN_PLACE if person else LOCATIVE):
            if not (prev.lower_ == "to" and span.start > 1 and doc[span.start - 2].lower_ in {"according", "due"}):
                return True
        if prev is not None and prev.text == "," and span.start > 1 and doc[span.start - 2].lower_ in APPOSED:
            return True  # "outside the regional capital, Grozny"
        if prev is not None and prev.lower_ == "of" and span.start > 1 and (
                doc[span.start - 2].lower_ in OF_PLACE or (strong and doc[span.start - 2].pos_ == "NOUN")
                or doc[span.start - 2].text == "," or doc[span.start - 2].ent_type_ == "PERSON"):
            return True  # "the city of X", "Kalena Horhn of Grand Prairie", "Smith, 45, of Trenton"
        if nxt is not None and nxt.text == "," and span.end + 1 < len(doc):
            after = doc[span.end + 1]
            if self.gaz.abbreviation(after.text) or self.gaz.abbreviation(doc[span.end + 1:span.end + 3].text):
                return True
            if after.text[:1].isupper() and any(c.feature in {"admin1", "country"} for c in self.primary(after.text)):
                return True
        # dateline: "COLUMBUS, Ohio —", "BEIRUT (AP) -"
        at_start = prev is None or prev.is_space or "\n" in prev.text or prev.text in {".", "\u2014", "-"}
        if at_start and span.text.isupper() and len(span.text) > 2 and nxt is not None and \
                (nxt.text == "," or nxt.text in DASHES):
            return True
        # coordination with a place just before: "in Paris and Lyon"
        if not person and prev is not None and prev.text in cues.COORD and span.start > 1 and taken[span.start - 2]:
            return True
        return strong and not label

    # -- disambiguation ------------------------------------------------------------------------------------
    def _prior(self, c: gz.Place, primary_exists: bool, key: str = "") -> float:
        pop = c.population / 20 if c.feature == "admin2" else c.population
        s = math.log10(pop + 10) + FEATURE_BONUS.get(c.feature, 0.0)
        if c.capital:
            s += CAPITAL_BONUS
        if c.alternate:
            if key and cues.short_form(key, c.name):
                s -= SHORT_FORM_PENALTY  # the name's first words: "Newcastle" (upon Tyne), "Frankfurt" (am Main)
            else:
                s -= 3.0 if primary_exists else 1.5
        return s

    def _demonym_context(self, doc: Doc, capword: list[bool]) -> Counter[str]:
        context: Counter[str] = Counter()
        demonyms = self.gaz.demonyms
        for i, cap in enumerate(capword):
            if cap:
                text = doc[i].text
                cc = demonyms.get(text.lower()) if text.isascii() else self.gaz.demonym(text)
                if cc:
                    context[cc] += DEMONYM_VOTE
        return context

    @staticmethod
    def _weights(scores: list[float]) -> list[float]:
        top = max(scores)
        ex = [math.exp((x - top) / TEMPERATURE) for x in scores]
        total = sum(ex)
        return [x / total for x in ex]

    def __call__(self, doc: Doc) -> Doc:
        full = ext.text_of(doc)
        flags = self._token_flags(doc, full)
        found = self._mentions(doc, full, flags)
        # One decision per name and qualifier; abbreviations are settled by themselves.
        groups: dict[tuple[str, str | None], list[int]] = {}
        for i, m in enumerate(found):
            if m.fixed is None:
                qkey = None
                if m.qualifier is not None:
                    qm = found[m.qualifier]
                    qkey = str(qm.fixed.geonameid) if qm.fixed is not None else qm.key(doc)
                elif cues.kind_said(doc, m):
                    qkey = SUBDIVISION_KEY
                groups.setdefault((m.key(doc), qkey), []).append(i)
        keys = list(groups)
        cands: list[list[gz.Place]] = []
        priors: list[list[float]] = []
        for g in keys:
            m = found[groups[g][0]]
            all_cands = self.cands(m.text(doc))
            primary_exists = any(not c.alternate for c in all_cands)
            key = m.key(doc)
            scored = sorted(((self._prior(c, primary_exists, key), c) for c in all_cands),
                            key=lambda x: -x[0])[:MAX_CANDS]
            # A city as big as its own subdivision of the same name is what the name means ("New York"), and
            # so is a national capital named like a subdivision ("Washington", "Buenos Aires"): news names
            # the subdivision with its kind ("Washington state") or among its peers.
            for k, (p, c) in enumerate(scored):
                if c.feature == "city":
                    for p2, c2 in scored:
                        if c2.feature == "admin1" and p2 >= p and c2.alternate >= c.alternate and (
                                c.capital or (c2.admin1 == c.admin1 and (c.population * 4 >= c2.population
                                                                        or c.population >= BIG_CITY))):
                            scored[k] = (p2 + (CAPITAL_OVER_A1 if c.capital else 0.5), c)
            scored.sort(key=lambda x: -x[0])
            if g[1] == SUBDIVISION_KEY:  # "Washington state", "the state of Washington"
                scored = [(p, c) for p, c in scored if c.feature == "admin1"] or scored
            # A qualifier restricts the candidates: "Paris, Tenn.", "Mosul, Iraq" (not lists: "China, Japan").
            # A country, continent or region across borders lies in no other place ("the Americas in Alaska").
            if m.qualifier is not None and scored and scored[0][1].feature not in {"country", "continent"} \
                    and scored[0][1].country_code is not None:
                qm = found[m.qualifier]
                q = qm.fixed or next((c for c in self.cands(qm.text(doc)) if c.feature in {"admin1", "country"}
                                      and not c.alternate), None)
                if q is not None:
                    inside = [(p, c) for p, c in scored if c.country_code == q.country_code
                              and (q.feature != "admin1" or c.admin1 == q.admin1) and c.geonameid != q.geonameid]
                    # "Milak in Nimroz province", "Holliday, Mo." and no such town there (the gazetteer lacks
                    # small places): the subdivision is the best estimate of where
                    towns = all(c.feature in {"city", "admin2"} for _, c in scored)
                    # "Holliday, Mo.", "Holliday, Missouri" with a Holliday only in Texas: Missouri
                    in_state = q.feature == "admin1" and towns and (
                        qm.fixed is not None or any(c.country_code == q.country_code for _, c in scored))
                    scored = inside or ([(scored[0][0], q)] if m.within or in_state else scored)
            priors.append([p for p, _ in scored])
            cands.append([c for _, c in scored])
        # Context votes: every name votes for the countries and subdivisions of its candidates, weighted by
        # how likely each candidate is; names then lean towards where the others point.
        base_cc = self._demonym_context(doc, flags[1])
        base_a1: Counter[str] = Counter()
        for m in found:
            if m.fixed is not None:
                if m.fixed.country_code:
                    base_cc[m.fixed.country_code] += 1
                if m.fixed.admin1:
                    base_a1[m.fixed.admin1] += 1
        # A local paper prints local telephone numbers: their area codes vote like names, and a city an area
        # code names anchors closeness ("London police at 519-661-...": London, Ontario).
        phone_anchors: list[tuple[int, float, float]] = []
        for where in phone_places(full, self.gaz):
            if where.admin1.country_code:
                base_cc[where.admin1.country_code] += PHONE_VOTE
            if where.admin1.admin1:
                base_a1[where.admin1.admin1] += PHONE_VOTE
            city = next((c for c in self.gaz.candidates(where.city) if c.feature == "city" and not c.alternate
                         and c.admin1 == where.admin1.admin1), None) if where.city else None
            if city is not None:
                phone_anchors.append((-1, city.lat, city.lon))
        peers = cues.list_peers(doc, found, groups, keys)
        # Per name, its most populous town in each country: a far smaller namesake there is weak evidence
        biggest: list[dict[str | None, int]] = []
        for cs in cands:
            most: dict[str | None, int] = {}
            for c in cs:
                if c.feature == "city" and not c.alternate:
                    most[c.country_code] = max(most.get(c.country_code, 0), c.population)
            biggest.append(most)
        paired = cues.paired(cands)
        capitals = [{c.country_code for c in cs if c.capital} for cs in cands]  # countries a name is a capital of
        weights = [self._weights(p) if p else [] for p in priors]
        choice: list[int] = [0] * len(keys)
        for _round in range(ROUNDS):
            vote_cc: Counter[str] = Counter(base_cc)
            vote_a1: Counter[str] = Counter(base_a1)
            own_cc: list[dict[str, float]] = []
            own_a1: list[dict[str, float]] = []
            for cs, ws in zip(cands, weights, strict=True):
                occ: dict[str, float] = {}
                oa1: dict[str, float] = {}
                for c, w in zip(cs, ws, strict=True):
                    if c.country_code:
                        occ[c.country_code] = occ.get(c.country_code, 0.0) + w
                    if c.admin1 and c.feature not in {"country", "continent"}:
                        oa1[c.admin1] = oa1.get(c.admin1, 0.0) + w
                vote_cc.update(occ)
                vote_a1.update(oa1)
                own_cc.append(occ)
                own_a1.append(oa1)
            # Places chosen for the other names, as anchors for closeness (from the second round on).
            anchors: list[tuple[int, float, float]] = list(phone_anchors)
            # Names read as subdivisions (or countries) make their namesakes read alike: a list of
            # states ("Oregon, Idaho and Washington") is about states, not towns named after them.
            levels: Counter[tuple[str, str | None]] = Counter()
            if _round:
                for gi, cs in enumerate(cands):
                    if cs and cs[choice[gi]].feature in {"city", "admin2", "admin1", "region"}:
                        anchors.append((gi, cs[choice[gi]].lat, cs[choice[gi]].lon))
                    if cs and cs[choice[gi]].feature in {"admin1", "country"}:
                        levels[_level_key(cs[choice[gi]])] += 1
            new_weights = []
            # Countries the other names were read as: their capitals are what the capitals' names mean there
            named = {gj: cs[choice[gj]].country_code for gj, cs in enumerate(cands)
                     if _round and cs and cs[choice[gj]].feature == "country"}
            # Votes say less when they spread over many countries (a round-up of the world's news).
            total = sum(vote_cc.values())
            focus = min(1.0, CONTEXT_FOCUS * max(vote_cc.values()) / total) if total else 1.0
            for gi, (cs, ps) in enumerate(zip(cands, priors, strict=True)):
                scores = []
                capital_in_named = {cc for gj, cc in named.items() if gj != gi and cc in capitals[gi]} \
                    if capitals[gi] else set()
                for c, p in zip(cs, ps, strict=True):
                    s = p
                    if anchors and c.feature in {"city", "admin2"}:
                        near = min((cues.approx_km(c.lat, c.lon, la, lo) for gj, la, lo in anchors if gj != gi),
                                   default=1e9)
                        s += PROXIMITY[0] if near < 50 else PROXIMITY[1] if near < 150 else \
                            PROXIMITY[2] if near < 400 else 0.0
                    if c.country_code:
                        v = vote_cc[c.country_code] - own_cc[gi].get(c.country_code, 0.0)
                        s += focus * CC_WEIGHT * math.log1p(max(v, 0.0)) * (COUNTRY_CC_FACTOR if c.feature == "country" else 1)
                    if c.admin1 and c.feature not in {"country", "continent"}:
                        v = vote_a1[c.admin1] - own_a1[gi].get(c.admin1, 0.0)
                        # a state named elsewhere pulls a hamlet less than its country's big namesake
                        # ("Boston" in a story that names New York is still Boston, Massachusetts)
                        small = c.feature == "city" and \
                            c.population * SMALL_NAMESAKE_RATIO < biggest[gi].get(c.country_code, 0)
                        s += (SMALL_NAMESAKE_A1 if small else 1.0) * focus * A1_WEIGHT * math.log1p(max(v, 0.0))
                    if c.country_code in capital_in_named:  # "in France ... Paris' Champs-Elysees"
                        s += NAMED_CAPITAL
                    if paired[gi]:
                        s += cues.PAIR_BONUS * paired[gi].get(c.geonameid, 0)
                    if _round and peers[gi] and c.feature in {"admin1", "country"}:
                        key = _level_key(c)
                        alike = sum(1 for gj in peers[gi] if cands[gj] and _level_key(cands[gj][choice[gj]]) == key)
                        s += LIST_WEIGHT * min(alike, 3)
                    if levels and c.feature in {"admin1", "country"}:
                        key = _level_key(c)
                        own = 1 if _level_key(cs[choice[gi]]) == key else 0
                        s += LEVEL_WEIGHT * math.log1p(max(levels[key] - own, 0))
                    scores.append(s)
                if scores:
                    choice[gi] = max(range(len(scores)), key=scores.__getitem__)
                    new_weights.append(self._weights(scores))
                else:
                    new_weights.append([])
            weights = new_weights
        chosen = {g: cands[gi][choice[gi]] for gi, g in enumerate(keys)
                  if cands[gi] and not cues.stray(cands[gi][choice[gi]], gi, vote_cc, own_cc, vote_a1, own_a1,
                                                   anchors)}
        # An unqualified name takes the place its qualified mention settled ("Paris, Tenn." ... "Paris").
        settled = {g[0]: p for g, p in chosen.items() if g[1] not in {None, SUBDIVISION_KEY}}
        resolved: dict[int, ResolvedPlace] = {}
        for g, members in groups.items():
            place = settled.get(g[0]) if g[1] is None and g[0] in settled else chosen.get(g)
            if place is None:
                continue
            for i in members:
                self._attach(resolved, self._side(doc, found[i], place), doc, found[i])
        for m in found:
            if m.fixed is not None:
                self._attach(resolved, m.fixed, doc, m)
        self._place_parts(doc, found, resolved, {i: cands[gi] for gi, g in enumerate(keys) for i in groups[g]})
        for r in resolved.values():
            r.mentions.sort(key=lambda x: x.start)
        doc._.places = sorted(resolved.values(), key=lambda r: r.mentions[0].start)
        return doc

    def _place_parts(self, doc: Doc, found: list[_Mention], resolved: dict[int, ResolvedPlace],
                     cands_of: dict[int, list[gz.Place]]) -> None:
        """A place the text puts inside another ("Cairo's Abbasiya district", "the Cincinnati suburb of West
        Chester") is the namesake nearest that one, or, with none near, that place as the best estimate."""
        if all(m.part_of is None for m in found):
            return
        place_of: dict[int, ResolvedPlace] = {}
        for r in resolved.values():
            for pm in r.mentions:
                place_of[pm.token_start] = r
        for i, m in enumerate(found):
            if m.part_of is None or m.start not in place_of or found[m.part_of].start not in place_of:
                continue
            mine, outer = place_of[m.start], place_of[found[m.part_of].start].place
            if outer.feature not in {"city", "admin2", "admin1"} or mine.place.geonameid == outer.geonameid:
                continue
            if mine.place.population >= outer.population:
                continue  # "the Cincinnati suburb of West Chester", read from the city's side
            if cues.approx_km(mine.place.lat, mine.place.lon, outer.lat, outer.lon) <= PART_KM:
                continue
            near = [c for c in cands_of.get(i, ()) if cues.approx_km(c.lat, c.lon, outer.lat, outer.lon) <= PART_KM]
            better = near[0] if near else outer
            mine.mentions = [pm for pm in mine.mentions if pm.token_start != m.start]
            if not mine.mentions:
                del resolved[mine.place.geonameid]
            self._attach(resolved, better, doc, m)

    @staticmethod
    def _attach(resolved: dict[int, ResolvedPlace], place: gz.Place, doc: Doc, m: _Mention) -> None:
        span = doc[m.start:m.end]
        entry = resolved.setdefault(place.geonameid, ResolvedPlace(place))
        entry.mentions.append(PlaceMention(span.text, span.start_char, span.end_char, span.start, span.end))
