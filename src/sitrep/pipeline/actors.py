"""Actors: people, organisations, armed groups, states, governments and their forces.

Mentions are resolved to one canonical actor across aliases (the shipped alias table plus the
user's), acronyms defined in the text ("Full Name (ACR)"), national forces and governments
("Iraqi forces", "government forces" -> "Military Forces of Iraq"), surnames, roles ("Iraq's defence
minister") and subject pronouns ("he said").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from sitrep import gazetteer as gz
from sitrep.pipeline import ext
from sitrep.pipeline.lexicon import Lexicon, shared_lexicon

FORCE_NOUNS = {"forces", "troops", "soldiers", "army", "military", "police", "policemen", "gendarmes",
               "gendarmerie", "navy", "airforce", "personnel", "security forces", "armed forces"}
NON_STATE = {"rebel", "rebels", "opposition", "militia", "militias", "coalition", "insurgent", "paramilitary",
             "allied", "tribal", "jihadist", "separatist", "kurdish", "foreign", "peacekeeping", "un", "u.n."}
STATE_MODIFIERS = {"government", "security", "state", "national", "regular", "federal", "pro-government",
                   "army", "junta", "regime"}
TITLES = {"minister", "president", "spokesman", "spokeswoman", "spokesperson", "governor", "commander",
          "official", "director", "chief", "head", "envoy", "ambassador", "coordinator", "representative",
          "mayor", "secretary", "premier", "chancellor", "king", "general", "colonel", "lieutenant",
          "administrator", "commissioner", "officer", "prosecutor", "chairman", "chairwoman", "leader",
          "adviser", "advisor", "senator", "lawmaker", "minister-designate", "emir", "sheikh", "doctor",
          "manager", "researcher", "analyst", "expert", "resident", "witness", "worker", "volunteer",
          "nurse", "teacher", "farmer", "mother", "father", "survivor"}
ROLE_KEEP = {"minister", "president", "spokesman", "spokeswoman", "spokesperson", "governor", "commander",
             "director", "chief", "envoy", "ambassador", "coordinator", "representative", "mayor", "secretary",
             "premier", "chancellor", "king", "administrator", "commissioner", "prosecutor", "chairman",
             "chairwoman", "head", "leader", "general", "official"}
PRONOUNS = {"he": "person", "she": "person"}
COMPOUND_SUFFIXES = {"backed", "led", "supported", "funded", "brokered", "sponsored", "allied", "trained", "armed",
                     "held", "controlled", "run", "aligned", "affiliated", "linked", "occupied", "ruled"}
GROUP_NOUNS = {"group": "armed_group", "militants": "armed_group", "militant group": "armed_group",
               "insurgents": "armed_group", "rebels": "armed_group", "jihadists": "armed_group",
               "agency": "organization", "organisation": "organization", "organization": "organization",
               "charity": "organization", "ministry": "government", "government": "government"}


@dataclass
class Mention:
    text: str
    start: int
    end: int
    token_start: int
    token_end: int
    how: str = "name"  # name | alias | surname | role | pronoun | nominal | acronym


@dataclass
class Actor:
    name: str
    kind: str
    role: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    country_code: str | None = None
    surname: str | None = None
    role_keys: set[str] = field(default_factory=set)

    def add_chars(self, text: str, start: int, end: int, token: int, how: str) -> None:
        """A mention inside one token ('U.S.' in 'U.S.-backed')."""
        if not any(m.start == start and m.end == end for m in self.mentions):
            self.mentions.append(Mention(text, start, end, token, token + 1, how))

    def add(self, span: Span, how: str) -> None:
        if any(m.token_start == span.start and m.token_end == span.end for m in self.mentions):
            return
        self.mentions.append(Mention(span.text, span.start_char, span.end_char, span.start, span.end, how))


class ActorSet:
    """All actors of a document, with a token index for speaker look-ups."""

    def __init__(self) -> None:
        self.actors: list[Actor] = []
        self.by_name: dict[str, Actor] = {}
        self.by_token: dict[int, Actor] = {}

    def get(self, name: str, kind: str, cc: str | None = None) -> Actor:
        actor = self.by_name.get(name)
        if actor is None:
            actor = Actor(name, kind, country_code=cc)
            self.by_name[name] = actor
            self.actors.append(actor)
        return actor

    def claim(self, actor: Actor, span: Span, how: str) -> bool:
        if how != "nominal" and len(span) > 1 and span[0].lower_ in {"the", "a", "an"}:
            span = span[1:]
        if any(i in self.by_token for i in range(span.start, span.end)):
            return False
        actor.add(span, how)
        for i in range(span.start, span.end):
            self.by_token[i] = actor
        return True

    def at(self, span: Span) -> Actor | None:
        """The actor a span refers to: its root's actor, else any token's."""
        if span.root.i in self.by_token:
            return self.by_token[span.root.i]
        for token in span:
            if token.i in self.by_token:
                return self.by_token[token.i]
        return None

    def finish(self) -> list[Actor]:
        for actor in self.actors:
            actor.mentions.sort(key=lambda m: m.start)
        return [a for a in self.actors if a.mentions]


def _surname(name: str) -> str | None:
    parts = name.replace("-", " ").split()
    if len(parts) < 2:
        return None
    last = parts[-1]
    return last if len(last) > 2 and last[0].isupper() else None


def primary_country(doc: Doc) -> str | None:
    counts: Counter[str] = Counter()
    for place in doc._.places or ():
        if place.place.country_code:
            counts[place.place.country_code] += len(place.mentions) * (2 if place.place.feature == "country" else 1)
    return counts.most_common(1)[0][0] if counts else None


@Language.factory("sitrep_actors_v1", assigns=["doc._.actors"], requires=["doc.ents", "doc._.places"])
def make_actors(nlp: Language, name: str) -> ActorsComponent:
    return ActorsComponent(nlp)


class ActorsComponent:
    def __init__(self, nlp: Language, lexicon: Lexicon | None = None, gazetteer: gz.Gazetteer | None = None):
        self.nlp = nlp
        self._lex = lexicon
        self._gaz = gazetteer
        self._matchers: tuple[PhraseMatcher, PhraseMatcher] | None = None

    @property
    def lex(self) -> Lexicon:
        if self._lex is None:
            self._lex = shared_lexicon()
        return self._lex

    @property
    def gaz(self) -> gz.Gazetteer:
        if self._gaz is None:
            self._gaz = gz.shared()
        return self._gaz

    def matchers(self) -> tuple[PhraseMatcher, PhraseMatcher]:
        if self._matchers is None:
            exact, folded = self.lex.patterns()
            m_exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
            m_lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
            m_exact.add("ALIAS", list(self.nlp.tokenizer.pipe(exact)))
            m_lower.add("ALIAS", list(self.nlp.tokenizer.pipe(folded)))
            self._matchers = (m_exact, m_lower)
        return self._matchers

    def country_of(self, token_text: str) -> str | None:
        cc = self.gaz.demonym(token_text)
        if cc:
            return cc
        cands = self.gaz.candidates(token_text)
        if cands and cands[0].feature == "country":
            return cands[0].country_code
        return None

    def country_name(self, cc: str) -> str:
        place = self.gaz.country(cc)
        return place.name if place else cc

    # -- passes -----------------------------------------------------------------------------
    def _aliases(self, doc: Doc, acts: ActorSet) -> None:
        m_exact, m_lower = self.matchers()
        spans = [doc[s:e] for _, s, e in m_exact(doc)] + [doc[s:e] for _, s, e in m_lower(doc)]
        for span in filter_spans(spans):
            name = self.lex.lookup(span.text)
            if name is None:
                continue
            entry = self.lex.entries[name]
            acts.claim(acts.get(name, entry.kind), span, "alias")

    def _acronyms(self, doc: Doc, acts: ActorSet) -> None:
        """'Full Name (ACR)' makes ACR an alias of Full Name for this document."""
        if "(" not in ext.text_of(doc):
            return
        positions: dict[str, list[int]] = {}
        for t in ext.tokens_of(doc):
            if t.text.isupper() and 2 <= len(t.text) <= 8:
                positions.setdefault(t.text, []).append(t.i)
        for token in ext.tokens_of(doc):
            if token.text == "(" and token.i + 2 < len(doc) and doc[token.i + 2].text == ")":
                acr = doc[token.i + 1]
                if not (acr.text.isupper() and 2 <= len(acr.text) <= 8):
                    continue
                owner = acts.by_token.get(token.i - 1)
                if owner is None:
                    ents = [e for e in ext.ents_of(doc) if e.end == token.i and e.label_ in {"ORG", "NORP", "GPE"}]
                    if not ents:
                        continue
                    owner = acts.get(_strip_det(ents[0]).text, "organization")
                    acts.claim(owner, _strip_det(ents[0]), "name")
                for i in positions.get(acr.text, ()):
                    acts.claim(owner, doc[i:i + 1], "acronym")

    def _forces(self, doc: Doc, acts: ActorSet, home: str | None) -> None:
        for token in ext.tokens_of(doc):
            low = token.lower_
            if low not in FORCE_NOUNS and low != "government":
                continue
            if token.i in acts.by_token or token.pos_ not in {"NOUN", "PROPN"}:
                continue
            if low == "government" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in FORCE_NOUNS:
                continue
            start = token.i
            cc = None
            state = False
            j = token.i - 1
            while j >= max(0, token.i - 4):
                word = doc[j]
                wl = word.lower_
                if wl in NON_STATE:
                    cc, state = None, False
                    start = -1
                    break
                if word.is_punct and word.text not in {"-", "'s", "\u2019s"}:
                    break
                found = self.country_of(word.text) if word.text[:1].isupper() else None
                if found:
                    cc, start = found, j
                    break
                if wl in STATE_MODIFIERS:
                    state, start = True, j
                elif wl in {"the", "its", "their"} and low in {"army", "military", "government", "police"}:
                    state, start = True, j + 1
                    break
                elif word.pos_ not in {"ADJ", "NOUN", "PROPN", "PUNCT", "VERB"}:
                    break
                j -= 1
            if start < 0:
                continue
            # "the government of Iraq", "forces of Iraq"
            if cc is None and token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "of":
                cc = self.country_of(doc[token.i + 2].text)
            if cc is None and state and home:
                cc = home
            if cc is None:
                continue
            country = self.country_name(cc)
            if low == "government":
                name, kind = f"Government of {country}", "government"
            elif low in {"police", "policemen"}:
                name, kind = f"Police Forces of {country}", "military"
            else:
                name, kind = f"Military Forces of {country}", "military"
            acts.claim(acts.get(name, kind, cc), doc[start:token.i + 1], "name")

    def _states(self, doc: Doc, acts: ActorSet) -> None:
        """Countries acting: 'U.S.-backed', 'Iraq is expected to mobilize', 'Russia said'."""
        for place in doc._.places or ():
            if place.place.feature != "country":
                continue
            for m in place.mentions:
                span = doc[m.token_start:m.token_end]
                nxt = doc[span.end:span.end + 2]
                acting = span.root.dep_ in {"nsubj", "nsubjpass"} or (
                    len(nxt) == 2 and nxt[0].text == "-" and nxt[1].lower_ in {"backed", "led", "supported",
                                                                                "funded", "brokered"})
                if acting:
                    acts.claim(acts.get(place.place.name, "state", place.place.country_code), span, "name")

    def _compounds(self, doc: Doc, acts: ActorSet) -> None:
        """'U.S.-backed', 'ISIS-held', 'Saudi-led': the actor inside a hyphenated modifier."""
        for token in ext.tokens_of(doc):
            if "-" not in token.text or token.i in acts.by_token:
                continue
            prefix, _, suffix = token.text.rpartition("-")
            if suffix.lower() not in COMPOUND_SUFFIXES or not prefix:
                continue
            alias = self.lex.lookup(prefix)
            if alias is not None:
                actor = acts.get(alias, self.lex.entries[alias].kind)
            else:
                cc = self.country_of(prefix)
                if cc is None:
                    continue
                actor = acts.get(self.country_name(cc), "state", cc)
            actor.add_chars(prefix, token.idx, token.idx + len(prefix), token.i, "name")
            acts.by_token.setdefault(token.i, actor)

    def _named(self, doc: Doc, acts: ActorSet) -> None:
        # a name the places component resolved as a place is not a person or an organisation the NER took it for
        places = {i for rp in doc._.places or () for m in rp.mentions for i in range(m.token_start, m.token_end)}
        for ent in ext.ents_of(doc):
            if ent.label_ == "PERSON":
                span = _strip_det(ent)
                if any(i in acts.by_token for i in range(span.start, span.end)):
                    continue
                if all(i in places for i in range(span.start, span.end)):
                    continue
                if self.lex.lookup(span.text) or self.gaz.demonym(span.text):
                    continue
                name = span.text.replace("\u2019", "'")
                if name.endswith("'s"):
                    name = name[:-2]
                    span = doc[span.start:span.end - 1]
                surname = _surname(name)
                existing = None
                if surname is None:
                    existing = next((a for a in acts.actors if a.kind == "person" and a.surname == name), None)
                actor = existing or acts.get(name, "person")
                actor.surname = actor.surname or surname
                acts.claim(actor, span, "surname" if existing else "name")
        for ent in ext.ents_of(doc):
            if ent.label_ == "ORG":
                span = _strip_det(ent)
                if any(i in acts.by_token for i in range(span.start, span.end)) or len(span.text) < 2:
                    continue
                if all(i in places for i in range(span.start, span.end)):
                    continue
                person = self._person_by_surname(acts, span.text)
                if person is not None:
                    acts.claim(person, span, "surname")
                    continue
                acts.claim(acts.get(span.text, "organization"), span, "name")

    @staticmethod
    def _person_by_surname(acts: ActorSet, text: str) -> Actor | None:
        for actor in acts.actors:
            if actor.kind == "person" and actor.surname and text == actor.surname:
                return actor
        return None

    def _surnames(self, doc: Doc, acts: ActorSet) -> None:
        surnames = {a.surname: a for a in acts.actors if a.kind == "person" and a.surname}
        for token in ext.tokens_of(doc):
            if token.text in surnames and token.i not in acts.by_token:
                acts.claim(surnames[token.text], doc[token.i:token.i + 1], "surname")

    def _roles(self, doc: Doc, acts: ActorSet, home: str | None) -> None:
        pending: dict[str, list[Span]] = {}
        persons_in_order = sorted(
            ((m.token_start, a) for a in acts.actors if a.kind == "person" for m in a.mentions if m.how == "name"),
            key=lambda x: x[0])
        for token in ext.tokens_of(doc):
            if token.lower_ not in ROLE_KEEP or token.pos_ not in {"NOUN", "PROPN"} or token.i in acts.by_token:
                continue
            if token.tag_ in {"NNS", "NNPS"}:
                continue
            start = token.i
            cc = None
            org = None
            j = token.i - 1
            while j >= 0 and token.i - j <= 4:
                w = doc[j]
                if w.text in {"'s", "\u2019s"}:
                    j -= 1
                    continue
                if w.is_punct or w.is_space or w.pos_ in {"VERB", "AUX", "ADP", "PRON", "CCONJ", "SCONJ", "NUM"}:
                    break
                if w.lower_ in {"the", "a", "an"}:
                    break
                found = self.country_of(w.text) if w.text[:1].isupper() else None
                if found:
                    cc = found
                elif w.i in acts.by_token and acts.by_token[w.i].kind != "person":
                    org = acts.by_token[w.i]
                start = j
                j -= 1
            end = token.i + 1
            if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].pos_ in {"PROPN", "NOUN"}:
                k = end + 1
                while k < len(doc) and doc[k].pos_ in {"PROPN", "NOUN"} and k - end < 5:
                    k += 1
                found = self.country_of(doc[end + 1].text)
                cc = cc or found
                if doc[end + 1].i in acts.by_token and not found:
                    org = org or acts.by_token[doc[end + 1].i]
                end = k
            span = doc[start:end]
            words = [t.lower_ for t in span if t.lower_ not in {"'s", "\u2019s", "of", "the"}
                     and not (t.text[:1].isupper() and self.country_of(t.text))]
            key = f"{cc or (org.name if org else '')}|{' '.join(w.replace('defense', 'defence') for w in words)}"
            # Apposition: "Name, Iraq's defence minister," / "defence minister Name" / "the minister, Name,"
            person = None
            after = doc[end:end + 4]
            if after and after[0].i in acts.by_token and acts.by_token[after[0].i].kind == "person":
                person = acts.by_token[after[0].i]
            elif len(after) > 1 and after[0].text == "," and after[1].i in acts.by_token \
                    and acts.by_token[after[1].i].kind == "person":
                person = acts.by_token[after[1].i]
            elif start >= 2 and doc[start - 1].text == "," and (doc[start - 2].i in acts.by_token) \
                    and acts.by_token[doc[start - 2].i].kind == "person":
                person = acts.by_token[doc[start - 2].i]
            if person is None:
                person = next((a for a in acts.actors if key in a.role_keys), None)
            if person is None and not cc and not org and token.lower_ in {"official", "head", "chief", "leader"}:
                continue
            if person is None:
                # An unnamed role is usually named within the next sentences.
                pending.setdefault(key, []).append(span)
                nxt = next((a for i, a in persons_in_order if i >= end and not a.role_keys
                            and doc[i].sent.start - span.sent.end <= 80), None)
                person = nxt
            if person is None:
                actor = acts.get(span.text, "person", cc)
                actor.role = actor.role or span.text
                actor.role_keys.add(key)
                acts.claim(actor, span, "role")
                continue
            person.role_keys.add(key)
            person.role = person.role or _role_text(span)
            person.country_code = person.country_code or cc
            acts.claim(person, span, "role")

    def _anaphora(self, doc: Doc, acts: ActorSet) -> None:
        last: dict[str, Actor] = {}
        mention_at = {}
        for actor in acts.actors:
            for m in actor.mentions:
                mention_at[m.token_start] = actor
        for token in ext.tokens_of(doc):
            if token.i in mention_at:
                actor = mention_at[token.i]
                kind = "person" if actor.kind == "person" else actor.kind
                last[kind] = actor
                if actor.kind in {"organization", "armed_group"}:
                    last["any_org"] = actor
                continue
            low = token.lower_
            if low in PRONOUNS and token.dep_ in {"nsubj", "nsubjpass"} and "person" in last:
                acts.claim(last["person"], doc[token.i:token.i + 1], "pronoun")
            elif low in GROUP_NOUNS and token.i > 0 and doc[token.i - 1].lower_ == "the" \
                    and token.dep_ in {"nsubj", "nsubjpass", "pobj", "poss"}:
                kind = GROUP_NOUNS[low]
                target = last.get(kind) or (last.get("any_org") if kind == "organization" else None)
                if target is not None:
                    acts.claim(target, doc[token.i - 1:token.i + 1], "nominal")

    def __call__(self, doc: Doc) -> Doc:
        acts = ActorSet()
        structure = doc._.blocks
        home = primary_country(doc)
        self._aliases(doc, acts)
        self._acronyms(doc, acts)
        self._forces(doc, acts, home)
        self._states(doc, acts)
        self._compounds(doc, acts)
        self._named(doc, acts)
        self._surnames(doc, acts)
        self._roles(doc, acts, home)
        self._anaphora(doc, acts)
        if structure is not None:  # related links are kept but make no actors of their own
            for actor in acts.actors:
                actor.mentions = [m for m in actor.mentions if structure.kind(m.start) != "related"]
        doc._.actors = acts
        return doc


def _strip_det(span: Span) -> Span:
    doc = span.doc
    start, end = span.start, span.end
    while start < end - 1 and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start + 1 and doc[end - 1].text in {"'s", "\u2019s", "'"}:
        end -= 1
    return doc[start:end]


def _role_text(span: Span) -> str:
    return span.text
