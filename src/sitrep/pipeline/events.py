"""Events: what happened, typed by ACLED's typology (plus Displacement, Humanitarian aid and Disaster), with
who did it to whom, where, when, how sure, and the figures that count it.

A sentence can report several events, one per *family* (political violence, demonstrations, strategic
developments, displacement, aid, disasters): "leaders fled the city ahead of a planned offensive" is a flight
and an expected battle. Within a family, the most specific trigger wins ("clashed ... and took control of" is
a change of territory, not just a clash). A demonstration's sub-type also reads the next sentences ("Police
dispersed them with tear gas."). Events repeated in one article (same type, place and date) are merged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from sitrep.pipeline import eventlex as lex
from sitrep.pipeline import ext
from sitrep.pipeline.eventplace import AWAY, armed_tokens, distance, event_place_span
from sitrep.pipeline.figures import FiguresComponent
from sitrep.pipeline.numbers import parse_words
from sitrep.pipeline.places import ResolvedPlace, anaphoric_places

VIOLENCE_ORDER = ["Suicide bomb", "Remote explosive/landmine/IED", "Air/drone strike", "Grenade",
                  "Shelling/artillery/missile attack", "Government regains territory",
                  "Non-state actor overtakes territory", "Armed clash", "Abduction/forced disappearance",
                  "Sexual violence", "Attack"]
FAMILY_FIGURES = {
    "violence": {"killed", "injured", "missing", "kidnapped", "detained"},
    "protest": {"killed", "injured", "detained"},
    "strategic": {"detained"},
    "displacement": {"displaced", "evacuated", "refugees", "returnees", "homeless", "sheltered", "in_need"},
    "aid": {"in_need", "affected", "sheltered", "displaced"},
    "disaster": {"killed", "injured", "missing", "displaced", "evacuated", "homeless", "affected", "sick",
                 "houses_destroyed", "houses_damaged", "sheltered", "in_need"},
}
LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "hold", "mount", "begin", "organize", "organise", "lead",
               "start", "continue", "step", "join", "take", "call", "spark", "trigger", "cause", "hit", "strike",
               "face", "witness", "see", "report", "be"}
BACKING = ("-backed", "-led", "-supported", "-funded", "-allied", "-trained", "-armed")
SUBSET_WORDS = {"including", "among", "whom", "them", "incl"}
CAUSE_PREPS = {"against", "over", "for", "after", "following", "about", "amid", "regarding"}
CAUSE_VERBS = {"denounce", "condemn", "demand", "mourn", "honor", "honour", "commemorate", "mark", "criticize",
               "criticise", "oppose", "decry", "remember", "protest", "call", "urge", "accuse", "blame", "support",
               "express", "demanding", "denouncing", "condemning", "voice", "complain", "reject", "request",
               "petition", "object", "prevent", "defend", "save", "press"}
PROTEST_PEOPLE = {"protester", "demonstrator", "people", "resident", "student", "worker", "member", "supporter"}
PROTEST_WORDS = {"protest", "protester", "demonstrate", "demonstration", "demonstrator", "rally", "march",
                 "sit-in", "strike", "striker", "picket", "vigil"}
STATE_DOERS = {"police", "policeman", "officer", "force", "soldier", "security", "army", "troop", "gendarme",
               "authority", "military", "guard"}
@dataclass
class Event:
    type: str
    subtype: str | None
    family: str
    trigger: int  # token index
    start: int
    end: int
    text: str
    actors: list[tuple[str, str]] = field(default_factory=list)  # (canonical name, agent|target|other)
    place: ResolvedPlace | None = None
    date: str | None = None
    modality: str = "reported"
    figures: list[int] = field(default_factory=list)  # indexes into doc._.figures
    fatalities: int | None = None
    place_span: tuple[int, int] | None = None  # the words that say where, when the sentence says it


@Language.factory("sitrep_events_v1", assigns=["doc._.events"],
                  requires=["doc._.places", "doc._.actors", "doc._.figures", "doc._.dates"])
def make_events(nlp: Language, name: str) -> EventsComponent:
    return EventsComponent(nlp)


class EventsComponent:
    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for i, phrase in enumerate(lex.PHRASES):
            self.matcher.add(f"P{i}", [nlp.make_doc(phrase)])
        self.phrase_keys = {nlp.vocab.strings[f"P{i}"]: lex.PHRASES[p] for i, p in enumerate(lex.PHRASES)}
        self._armed: set[int] = set()  # tokens of the current document that name armed groups or forces

    # -- the component ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        structure = doc._.blocks
        lone = structure is not None and len(structure.blocks) == 1
        phrases: dict[int, list[tuple[Token, lex.Trigger]]] = {}
        for key, s, e in self.matcher(doc):
            span = doc[s:e]
            phrases.setdefault(doc[s].sent.start, []).append((span.root, self.phrase_keys[key]))
        actors = doc._.actors.finish() if doc._.actors is not None else []
        actor_at = self._actor_index(actors)
        self._armed = armed_tokens(actors)
        places = [(m.token_start, m.token_end, rp) for rp in doc._.places or () for m in rp.mentions]
        places.sort(key=lambda x: x[0])
        events: list[Event] = []
        sents = list(doc.sents)
        for n, sent in enumerate(sents):
            kind = structure.kind(sent.start_char) if structure is not None else "paragraph"
            if kind == "related" or kind == "heading" and not lone:
                continue
            found = self._triggers(doc, sent, phrases.get(sent.start, []))
            chosen = self._choose(doc, sent, found, sents[n + 1:n + 3])
            placeless = not any(sent.start <= ps < sent.end for ps, _, _ in places)
            chosen = [ev for ev in chosen if not self._continues(doc, sent, ev, events, found, placeless)]
            for ev in chosen:
                preds = self._predicates(doc[ev.trigger])
                ev.actors = self._actors(doc, sent, preds, actor_at)
                ev.place_span = event_place_span(doc, doc[ev.trigger], self._armed)
                named = next((rp for s, e, rp in places if ev.place_span and doc[s].idx < ev.place_span[1]
                              and ev.place_span[0] < doc[e - 1].idx + len(doc[e - 1].text)), None)
                ev.place = named or self._place(doc, sent, doc[ev.trigger], places, actor_at)
                ev.date = self._date(doc, sent, doc[ev.trigger])
                ev.modality = FiguresComponent._modality(doc, doc[ev.trigger], None)
                if ev.modality == "reported" and any(c.lemma_.lower() in {"plan", "expect", "planned", "expected",
                                                                          "threaten", "possible", "imminent"}
                                                     for c in doc[ev.trigger].children):
                    ev.modality = "expected"
                events.append(ev)
            # an actor that is the agent or target of one event of the sentence is not 'other' in the rest
            claimed = {name for ev in chosen for name, role in ev.actors if role != "other"}
            for ev in chosen:
                ev.actors = [(name, role) for name, role in ev.actors if role != "other" or name not in claimed]
        self._figures(doc, events)
        events = _merge(doc, events)
        _fatalities(doc, events)
        doc._.events = events
        return doc

    @staticmethod
    def _continues(doc: Doc, sent: Span, ev: Event, events: list[Event], found, placeless: bool = False) -> bool:
        """A later sentence that tells more of the event before ('One militant was killed in the exchange.'):
        same paragraph, no date of its own, and either the same family with only weak triggers or the same
        type, or a sentence that only looks back: 'in the attack', 'the clashes resulted in...', or casualties
        told without who caused them ('Two were killed, five others were abducted')."""
        if not events:
            return False
        prev = events[-1]
        structure = doc._.blocks
        if structure is not None and structure.at(prev.start) is not structure.at(sent.start_char):
            return False
        if any(sent.start <= d["token_start"] < sent.end and d["value"] for d in doc._.dates or ()):
            return False
        if any(_looks_back(t) for t, _ in found) or found and all(_agentless(t) for t, _ in found):
            return True
        if placeless and prev.family == "violence" and ev.family in {"violence", "strategic"}:
            return True  # no place, no date of its own: more of the same fight ('Militants also looted shops.')
        if prev.family != ev.family:
            return False
        weak = all(trig[3] < 2 for _, trig in found if trig[0] == ev.family)
        return weak or (ev.type, ev.subtype) == (prev.type, prev.subtype)

    # -- triggers ---------------------------------------------------------------------------------------
    def _triggers(self, doc: Doc, sent: Span, phrases: list[tuple[Token, lex.Trigger]]
                  ) -> list[tuple[Token, lex.Trigger]]:
        lemmas = {t.lemma_.lower() for t in sent}
        out: list[tuple[Token, lex.Trigger]] = list(phrases)
        in_phrase = {t.i for t, _ in phrases}
        for t in sent:
            if t.i in in_phrase or t.is_punct:
                continue
            low, lemma = t.lower_, t.lemma_.lower()
            trig = lex.TRIGGERS.get(lemma) or lex.TRIGGERS.get(low) or _inflected(low)
            if low == "control" and t.head.lemma_.lower() in {"take", "gain", "seize", "assume", "wrest",
                                                              "regain", "retake", "establish", "restore"}:
                trig = ("violence", lex.BATTLES, "Non-state actor overtakes territory", 2)
                if t.head.lemma_.lower() in {"regain", "retake", "restore"}:
                    trig = ("violence", lex.BATTLES, "Government regains territory", 2)
                out.append((t.head, trig))
                continue
            if low == "fire":
                head = t.head.lemma_.lower()
                if head == "open":
                    out.append((t.head, ("violence", lex.VAC, "Attack", 1)))
                elif head == "exchange":
                    out.append((t.head, ("violence", lex.BATTLES, "Armed clash", 2)))
                elif head in {"break", "engulf", "gut", "destroy", "rage"} or t.dep_ in {"nsubj"}:
                    out.append((t, ("disaster", lex.DISASTER, "Man-made disaster", 1)))
                elif head == "set":
                    out.append((t.head, ("strategic", lex.STRATEGIC, "Looting/property destruction", 2)))
                continue
            if low == "ablaze" and t.head.lemma_.lower() == "set":
                out.append((t.head, ("strategic", lex.STRATEGIC, "Looting/property destruction", 2)))
                continue
            if lemma in {"find", "discover", "recover", "retrieve"} and t.pos_ == "VERB" and any(
                    c.dep_ in {"nsubjpass", "dobj"} and c.lemma_.lower() in {"body", "corpse"} for c in t.children):
                out.append((t, ("violence", lex.VAC, "Attack", 1)))  # "the body of a man was found"
                continue
            if lemma in UNTIL_DEATH and t.pos_ == "VERB" and _to_death(t):  # "burned alive", "stoned to death"
                out.append((t, ("violence", lex.VAC, "Attack", 2)))
                continue
            if lemma in lex.PROPERTY_VERBS and lemma != "set" and t.pos_ == "VERB" and any(
                    c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in lex.PROPERTY
                    for c in [*t.children, *(t.head.children if t.dep_ == "conj" else ())]):
                out.append((t, ("strategic", lex.STRATEGIC, "Looting/property destruction", 1)))
                continue
            if lemma in {"banner", "placard"} and t.pos_ == "NOUN":
                # "held a press conference with banners", "gathered carrying placards": a demonstration
                verb = next((a for a in t.ancestors if a.pos_ == "VERB"), None)
                if verb is not None and verb.lemma_.lower() in {"hold", "stage", "gather", "carry", "display",
                                                                "raise", "stand", "hang", "wave", "march"}:
                    out.append((verb, ("protest", lex.PROTESTS, "Peaceful protest", 2)))
                    continue
            if lemma == "take" and any(c.dep_ == "prt" and c.lower_ == "over" for c in t.children) and \
                    self._plausible(doc, t, "occupy", lemmas):
                out.append((t, ("protest", lex.PROTESTS, "Peaceful protest", 1)))  # "took over the school to demand"
                continue
            if low == "grave" and any(c.lower_ == "mass" for c in t.children):
                out.append((t, ("strategic", lex.STRATEGIC, "Other", 2)))
                continue
            if trig is None or t.pos_ == "PROPN" and low not in {"ied"}:
                continue
            if not self._plausible(doc, t, lemma, lemmas):
                continue
            out.append((t, trig))
        return out

    @staticmethod
    def _plausible(doc: Doc, t: Token, lemma: str, lemmas: set[str]) -> bool:
        """Words that only name an event in some uses."""
        low = t.lower_
        if lex.other_sense(t):
            return False
        if low == "march" and (t.text[0].isupper() or t.pos_ not in {"NOUN", "VERB"}):
            return False
        if lemma == "mine" and t.pos_ != "NOUN":
            return False
        if lemma in {"exchange"}:
            return any(c.lower_ in {"fire", "gunfire", "shots"} for c in t.children)
        if lemma in {"retake", "recapture", "regain", "liberate", "restore", "reclaim", "seize", "capture",
                     "overrun", "overtake"}:
            objs = [c for c in t.children if c.dep_ in {"dobj", "nsubjpass"}]
            return any(o.lemma_.lower() in lex.TERRITORY or o.ent_type_ in {"GPE", "LOC", "FAC"}
                       or o.pos_ == "PROPN" and o.ent_type_ not in {"PERSON", "ORG", "NORP"} for o in objs)
        if lemma in {"aid", "relief", "distribution"}:
            return bool(lemmas & lex.AID_VERBS) or any(c.lower_ in {"convoy", "delivery", "deliveries", "drop"}
                                                       for c in [t.head, *t.children])
        if lemma in {"collapse"}:
            subj = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}]
            return any(s.lemma_.lower() in {"building", "bridge", "dam", "house", "roof", "mine", "wall", "school",
                                            "structure", "tower", "hotel", "church", "mosque"} for s in subj)
        if lemma in {"drone", "helicopter", "jet", "warplane"} and not lemmas & {
                "attack", "strike", "bomb", "fire", "raid", "kill", "target", "shell", "hit", "pound", "airstrike"}:
            return False  # "rescue helicopters", "a drone filmed the damage"
        if lemma in {"accord", "agreement"} and (t.pos_ != "NOUN" or t.i + 1 < len(doc) and
                                                 doc[t.i + 1].lower_ == "to"):
            return False  # "according to"
        if lemma in {"drone", "helicopter", "jet", "rocket", "missile", "launcher"}:
            return t.dep_ not in {"compound"} or t.head.lemma_.lower() in {"attack", "strike", "fire", "raid"}
        if lemma in {"storm"} and t.pos_ == "VERB":
            return False
        if lemma in lex.TRIGGERS and lex.TRIGGERS[lemma][0] == "disaster" and lex.TRIGGERS[lemma][2] == \
                "Disease outbreak" and t.head.lemma_.lower() in lex.NOT_DISEASE:
            return False
        if lemma in {"strike", "striker"} and lemmas & {"air", "drone", "missile", "airstrike", "warplane", "jet",
                                                      "rocket", "military", "artillery", "army", "troop",
                                                      "force", "bomb", "shell", "soldier", "militant"}:
            return False
        if lemma in {"gather", "assemble", "block", "blockade", "occupy"}:
            # a crowd gathering or a road blocked *to demand* something is a demonstration
            purpose = {x.lemma_.lower() for c in t.children if c.dep_ in {"xcomp", "advcl", "conj", "prep"}
                       for x in c.subtree}
            return bool(purpose & (CAUSE_VERBS | {"protest", "denounce", "against", "support", "solidarity"}))
        if lemma == "strike" and t.pos_ == "VERB" and any(c.dep_ in {"dobj", "nsubjpass"} for c in t.children):
            return False  # "a vehicle struck a mine", "was struck by a shell"
        if lemma in {"attack", "raid"} and t.pos_ not in {"NOUN", "VERB"}:
            return False
        if lemma == "beat":  # "beat a suspected thief", "was beaten to death"; not "beat the champions"
            objs = [c for c in t.children if c.dep_ in {"dobj", "nsubjpass"}]
            return t.pos_ == "VERB" and (any(o.tag_ == "PRP" or o.lemma_.lower() in PERSON_NOUNS for o in objs)
                                         or "death" in {c.lower_ for p in t.children for c in p.children})
        if lemma == "fight" and t.pos_ == "VERB" and any(c.lower_ in {"against", "for"} for c in t.children) \
                and not lemmas & lex.ARMED:
            return False  # "fighting for rights", "fight against corruption"
        return True

    # -- choosing one event per family -------------------------------------------------------------------------
    def _choose(self, doc: Doc, sent: Span, found: list[tuple[Token, lex.Trigger]],
                following: list[Span]) -> list[Event]:
        by_family: dict[str, list[tuple[Token, lex.Trigger]]] = {}
        for tok, trig in found:
            by_family.setdefault(trig[0], []).append((tok, trig))
        lemmas = {t.lemma_.lower() for t in sent}
        protest_words = lemmas & {"protest", "protester", "demonstrate", "demonstration", "demonstrator", "rally",
                                  "march", "rioter", "riot", "mob", "crowd", "sit-in", "strike", "striker"}
        events: list[Event] = []
        if "protest" in by_family or ("violence" in by_family and protest_words & {"rioter", "mob", "crowd"}):
            violent = by_family.pop("violence", [])
            items = by_family.pop("protest", []) or violent
            tok = items[0][0]
            etype, sub = self._protest(doc, sent, items, violent, following, lemmas)
            events.append(self._event(sent, tok, "protest", etype, sub))
        if "violence" in by_family and all(trig[3] < 2 for _, trig in by_family["violence"]) and any(
                trig[3] >= 2 for _, trig in by_family.get("disaster", [])):
            del by_family["violence"]  # "floods killed 12": the flood is the event
        if "violence" in by_family:
            items = by_family.pop("violence")
            strong = [x for x in items if x[1][3] >= 2] or items
            tok, etype, sub = self._violence(doc, sent, strong, lemmas)
            if etype is not None:
                events.append(self._event(sent, tok, "violence", etype, sub))
        for family, items in by_family.items():
            strong = [x for x in items if x[1][3] >= 2]
            if family == "strategic" and any(e.family in {"violence", "protest"} for e in events) and (
                    not strong or all(t[2] == "Looting/property destruction" for _, t in strong)):
                continue  # "arrested" or "set fire to stalls" beside an attack is part of the attack
            if family == "disaster" and not strong and events:
                continue
            tok, trig = (strong or items)[0]
            etype, sub = trig[1], trig[2]
            if family == "strategic":
                etype, sub = self._strategic(doc, sent, tok, trig, lemmas)
            if family == "disaster" and tok.lemma_.lower() in {"explosion", "blast"}:
                sub = "Man-made disaster"
            events.append(self._event(sent, tok, family, etype, sub))
        return events

    @staticmethod
    def _event(sent: Span, tok: Token, family: str, etype: str, sub: str | None) -> Event:
        text = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        return Event(etype, sub, family, tok.i, start, start + len(text), text)

    def _protest(self, doc: Doc, sent: Span, items, violent, following: list[Span],
                 lemmas: set[str]) -> tuple[str, str]:
        """The demonstration's sub-type from what its people and the police *do*, not from what it is about
        ('a rally against gun violence' is peaceful)."""
        sents = [sent, *(s for s in following if s.text.strip())]
        cause = set()
        for s in sents:
            for t in s:
                if t.lower_ in CAUSE_PREPS and t.dep_ == "prep" or t.lemma_.lower() in CAUSE_VERBS or \
                        t.dep_ in {"relcl", "acl"} and t.head.lemma_.lower() not in PROTEST_PEOPLE:
                    cause.update(x.i for x in t.subtree if x.i != t.i or t.lemma_.lower() in CAUSE_VERBS)
        acts = [t for s in sents for t in s if t.i not in cause]
        act_lemmas = {t.lemma_.lower() for t in acts}
        # what the protest is about ('to mark the anniversary of the riots') and a 'flash mob' are not rioting
        kinds = {trig[2] for tok, trig in items if tok.i not in cause
                 and not (tok.lower_ in {"mob", "mobs"} and tok.i > 0 and doc[tok.i - 1].lower_ == "flash")}
        protest_named = bool(act_lemmas & PROTEST_WORDS)

        def by_state(t: Token) -> bool:
            doers = [c for c in t.children if c.dep_ in {"nsubj", "agent"} or c.dep_ == "prep" and c.lower_ == "by"]
            words = {x.lemma_.lower() for c in doers for x in c.subtree}
            return bool(words & STATE_DOERS)

        if protest_named and any(t.lemma_.lower() in {"kill", "shoot", "fire"} and by_state(t) for t in acts) \
                or act_lemmas & {"ammunition", "bullet"} and act_lemmas & {"live", "real"}:
            return lex.PROTESTS, "Excessive force against protesters"
        violent_acts = [t for t in acts if t.lemma_.lower() in lex.RIOT_ACTS and not by_state(t)
                        and not (t.lemma_.lower() in {"fire", "set"} and "ablaze" not in act_lemmas
                                 and not any(c.lower_ == "fire" for c in t.children))]
        rioting = "Mob violence" in kinds or any(tok.i not in cause for tok, _ in violent) or \
            any(t.pos_ == "VERB" or t.lemma_.lower() in {"stone", "rock", "molotov", "petrol", "ablaze"}
                for t in violent_acts)
        if rioting:
            return lex.RIOTS, "Violent demonstration" if protest_named else "Mob violence"
        if any(t.lemma_.lower() in lex.INTERVENTION and by_state(t) for t in acts) or \
                act_lemmas & {"tear", "teargas", "baton", "truncheon", "cannon"} or \
                act_lemmas & {"police", "security", "authority"} and act_lemmas & {"disperse", "intervene",
                                                                                  "arrest", "detain", "prevent"}:
            return lex.PROTESTS, "Protest with intervention"
        return lex.PROTESTS, "Peaceful protest"

    def _violence(self, doc: Doc, sent: Span, items, lemmas: set[str]) -> tuple[Token, str | None, str | None]:
        best: tuple[int, Token, str, str] | None = None
        for tok, trig in items:
            sub = trig[2] or "Attack"
            lemma = tok.lemma_.lower()
            if lemma == "bombing" and not lemmas & {"air", "jet", "warplane", "aircraft", "plane", "drone",
                                                    "aerial", "helicopter"}:
                sub = "Remote explosive/landmine/IED"
            if lemma in {"explosion", "blast", "explode", "detonate", "bomb"} and "suicide" in lemmas:
                sub = "Suicide bomb"
            if lemma == "grenade" and (lemmas & lex.STUN or "launcher" in lemmas or "rifle" in lemmas):
                sub = "Shelling/artillery/missile attack" if not lemmas & lex.STUN else "Armed clash"
            if lemma in {"explosion", "blast"} and lemmas & {"gas", "factory", "cylinder", "tanker", "boiler",
                                                             "warehouse", "plant", "pipeline", "accidental"}:
                continue
            if sub in VIOLENCE_ORDER[:5] and any(
                    x.lemma_.lower() in {"clash", "fighting", "fight", "battle", "exchange", "gunfight"} and
                    tok in x.subtree for x, _ in items if x is not tok):
                sub = "Armed clash"  # "clashes with light weapons and mortars": the weapons of a clash
            if sub in {"Government regains territory", "Non-state actor overtakes territory"}:
                agent = " ".join(t.lemma_.lower() for t in self._agent_tokens(tok))
                if any(w in agent.split() for w in lex.STATE_WORDS):
                    sub = "Government regains territory"
                elif any(w in agent.split() for w in lex.NON_STATE_WORDS):
                    sub = "Non-state actor overtakes territory"
                if lemmas & lex.NON_VIOLENT and not lemmas & {"clash", "fight", "fighting", "battle"}:
                    return tok, lex.STRATEGIC, "Non-violent transfer of territory"
            if sub == "Attack":
                sub = self._attack_kind(tok, lemmas)
            if sub in {"Attack", "Armed clash"} and len(items) == 1 and self._mob(tok, sub, lemmas):
                return tok, lex.RIOTS, "Mob violence"
            rank = VIOLENCE_ORDER.index(sub) if sub in VIOLENCE_ORDER else len(VIOLENCE_ORDER)
            if best is None or rank < best[0]:
                best = (rank, tok, lex.BATTLES if sub in VIOLENCE_ORDER[5:8] else
                        lex.EXPLOSIONS if sub in VIOLENCE_ORDER[:5] else lex.VAC, sub)
        if best is None:
            return items[0][0], None, None
        return best[1], best[2], best[3]

    def _mob(self, tok: Token, sub: str, lemmas: set[str]) -> bool:
        """Violence by an unorganised crowd: locals beating a suspected thief, two student groups or party
        cadres clashing, villagers fighting with sticks and stones; not armed men, whoever they hit."""
        agent_tokens = self._agent_tokens(tok)
        agents = {t.lemma_.lower() for t in agent_tokens}
        sides = agents | ({t.lemma_.lower() for t in tok.subtree} if sub == "Armed clash" else set())
        if sides & lex.FORCES or lemmas & {"gun", "gunman", "gunfire", "rifle", "firearm", "shoot", "bullet"} or \
                any(t.i in self._armed for t in agent_tokens):
            return False
        if sub == "Armed clash" and tok.lemma_.lower() not in {"clash", "fight", "fighting", "skirmish", "brawl"}:
            return False
        return bool(sides & lex.CROWD) or bool(lemmas & lex.CROWD_WEAPONS) and (
            sub == "Armed clash" or tok.lemma_.lower() in {"beat", "assault", "lynch", "attack"})

    def _attack_kind(self, tok: Token, lemmas: set[str]) -> str:
        """An attack on armed men is a clash; on unarmed people, violence against civilians."""
        targets = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ in {"on", "against", "at", "with"}:
                targets += [c for c in p.children if c.dep_ == "pobj"]
        if tok.dep_ in {"dobj", "pobj"} or tok.pos_ == "NOUN":
            targets += [c for c in tok.children if c.dep_ in {"poss", "compound", "amod"}]
        words = {t.lemma_.lower() for x in targets for t in x.subtree}
        agents = {t.lemma_.lower() for t in self._agent_tokens(tok)}
        civilian = lex.CIVILIAN - {"camp", "leader", "chief", "official"}
        if (words & lex.ARMED or any(t.i in self._armed for x in targets for t in x.subtree)) and \
                not words & civilian:
            # armed men attacked by anyone but a crowd of civilians: a fight between armed sides
            return "Attack" if agents & (civilian | {"mob", "crowd", "protester", "rioter"}) else "Armed clash"
        if tok.lemma_.lower() in {"kill", "shoot", "die"} and not words and lemmas & {"clash", "encounter",
                                                                                     "exchange", "gunfight"}:
            return "Armed clash"
        return "Attack"

    def _strategic(self, doc: Doc, sent: Span, tok: Token, trig: lex.Trigger, lemmas: set[str]
                   ) -> tuple[str, str | None]:
        sub = trig[2]
        if sub == "Arrests":
            agents = {t.lemma_.lower() for t in self._agent_tokens(tok)}
            if agents & (lex.NON_STATE_WORDS | {"unknown", "unidentified", "armed"}) and not agents & {
                    "police", "army", "military", "government", "authority", "security", "soldier"}:
                return lex.VAC, "Abduction/forced disappearance"
        if sub == "Change to group/activity" and tok.lemma_.lower() == "convoy" and lemmas & {"aid", "food",
                                                                                             "humanitarian"}:
            return lex.AID, None
        if sub == "Agreement" and tok.lemma_.lower() in {"ceasefire", "truce"} and lemmas & {"violate",
                                                                                           "violation", "break"}:
            return lex.STRATEGIC, "Other"
        return trig[1], sub

    # -- roles ------------------------------------------------------------------------------------------
    @staticmethod
    def _predicates(tok: Token) -> list[Token]:
        """The trigger, and the verb it is the object of when that verb only carries it ('launched an attack')."""
        preds = [tok]
        head = tok.head
        if tok.dep_ in {"dobj", "attr", "nsubjpass"} and head.lemma_.lower() in LIGHT_VERBS:
            preds.append(head)
        elif tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB" and \
                head.head.lemma_.lower() in LIGHT_VERBS | {"participate", "take"}:
            preds.append(head.head)
        if tok.dep_ in {"xcomp", "conj"} and head.pos_ == "VERB":
            preds.append(head)  # "clashed with X and took control": the subject is shared
        return preds

    def _agent_tokens(self, tok: Token) -> list[Token]:
        out: list[Token] = []
        for pred in self._predicates(tok):
            for c in pred.children:
                if c.dep_ in {"nsubj", "agent"} or c.dep_ == "prep" and c.lower_ == "by":
                    out.extend(c.subtree)
                if pred.pos_ == "NOUN" and c.dep_ in {"amod", "compound", "poss"} and c.i < pred.i:
                    out.extend(c.subtree)
        return out

    @staticmethod
    def _actor_index(actors: list) -> dict[int, tuple[str, int, int, str]]:
        out: dict[int, tuple[str, int, int, str]] = {}
        for a in actors:
            for m in a.mentions:
                for i in range(m.token_start, m.token_end):
                    out.setdefault(i, (a.name, m.token_start, m.token_end, m.text))
        return out

    def _actors(self, doc: Doc, sent: Span, preds: list[Token], actor_at) -> list[tuple[str, str]]:
        roles: dict[str, str] = {}
        seen: set[tuple[int, int]] = set()
        rank = {"agent": 0, "target": 1, "other": 2}
        for i in range(sent.start, sent.end):
            hit = actor_at.get(i)
            if hit is None or (hit[1], hit[2]) in seen:
                continue
            seen.add((hit[1], hit[2]))
            name, s, e, text = hit
            role = None
            root = doc[s:e].root
            for pred in preds:
                role = _role(root, pred)
                if role:
                    break
            by = preds[0].i + 1
            if (role is None or role == "other") and preds[0].pos_ == "NOUN" and by < len(doc) and \
                    doc[by].lower_ == "by" and any(t.i == root.i for t in doc[by].subtree):
                role = "agent"  # "an offensive by X", however the parser attached the by-phrase
            if role is None:
                continue
            if any(text.endswith(b) or b in doc[root.i].text for b in BACKING):
                role = "other"
            if name not in roles or rank[role] < rank[roles[name]]:
                roles[name] = role
        return list(roles.items())

    # -- place, date, figures -------------------------------------------------------------------------
    @staticmethod
    def _place(doc: Doc, sent: Span, trig: Token, places, actor_at) -> ResolvedPlace | None:
        structure = doc._.blocks
        best: tuple[float, ResolvedPlace] | None = None
        for s, e, rp in places:
            if not sent.start <= s < sent.end:
                continue
            root = doc[s:e].root
            score = float(distance(trig, root))
            prep = next((a for a in root.ancestors if a.dep_ == "prep"), None)
            if prep is not None and prep.lower_ in AWAY and trig.lemma_.lower() not in {"arrive", "reach"}:
                score += 3
            if root.dep_ in {"poss", "compound"} and root.head.i in actor_at:
                score += 4  # "Kenya's army": a side, not a setting
            if rp.place.feature in {"country", "continent"}:
                score += 1.5
            if best is None or score < best[0]:
                best = (score, rp)
        for t, prior in anaphoric_places(doc, sent, places):  # "the city": named before
            score = float(distance(trig, t)) + 0.5
            if best is None or score < best[0]:
                best = (score, prior)
        if best is not None:
            return best[1]
        prior = [rp for s, e, rp in places if s < sent.start and rp.place.feature != "continent" and
                 (structure is None or structure.is_claim(doc[s].idx))]
        return prior[-1] if prior else None

    @staticmethod
    def _date(doc: Doc, sent: Span, trig: Token) -> str | None:
        best = None
        for d in doc._.dates or ():
            if sent.start <= d["token_start"] < sent.end and d["value"] and len(d["value"]) == 10:
                gap = abs(d["token_start"] - trig.i)
                if best is None or gap < best[0]:
                    best = (gap, d["value"])
        return best[1] if best else (doc._.meta or {}).get("published")

    @staticmethod
    def _figures(doc: Doc, events: list[Event]) -> None:
        figures = doc._.figures or []
        if not events:
            return
        sent_of = {e.trigger: doc[e.trigger].sent.start for e in events}
        starts = sorted({s for s in sent_of.values()})
        for fi, fig in enumerate(figures):
            fsent = doc[fig.token].sent.start
            # The events of the figure's sentence, else of the nearest sentence before that can own it.
            candidates: list[Event] = []
            for owner_sent in sorted((s for s in starts if s <= fsent), reverse=True):
                candidates = [e for e in events if sent_of[e.trigger] == owner_sent
                              and fig.category in FAMILY_FIGURES.get(e.family, set())]
                if owner_sent != fsent:
                    candidates = [e for e in candidates if e.family in {"violence", "disaster", "protest"} and
                                  fig.category in {"killed", "injured", "missing", "kidnapped"}
                                  or e.family == "displacement"]
                if candidates or owner_sent != fsent:
                    break
            if not candidates:
                continue
            ev = min(candidates, key=lambda e: abs(e.trigger - fig.token))
            ev.figures.append(fi)


def _inflected(low: str) -> lex.Trigger | None:
    """A trigger the tagger took for another word ('members of the CTA-A protested' read as a noun)."""
    for suffix, add in (("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 3:
            trig = lex.TRIGGERS.get(low[:-len(suffix)] + add)
            if trig is not None:
                return trig
    return None


def _looks_back(t: Token) -> bool:
    """'the attack', 'the clashes': an event named again, not a new one."""
    return t.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"}
                                    for c in t.children)


def _agentless(t: Token) -> bool:
    """'were killed', 'were abducted' with no 'by ...': casualties told, not an act by someone."""
    if t.pos_ != "VERB":
        return False
    if t.dep_ == "conj" and not any(c.dep_ in {"nsubj", "nsubjpass", "auxpass"} for c in t.children):
        t = t.head  # 'were killed and injured'
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in t.children) and \
        not any(c.dep_ == "agent" for c in t.children)


DEATH_VERBS = {"kill", "murder", "execute", "behead", "lynch", "assassinate", "slay", "massacre", "strangle",
               "stab", "burn"}
DIE_VERBS = {"die", "perish", "succumb", "drown"}
UNTIL_DEATH = {"burn", "stab", "beat", "stone", "hack", "club"}  # deadly only 'to death', 'alive', 'dead'


def _to_death(t: Token) -> bool:
    return any(c.lower_ in {"dead", "alive"} for c in t.children) or any(
        c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in t.children)


DEATH_NOUNS = {"killing", "murder", "assassination", "execution", "beheading", "lynching", "death"}
# Nouns that are killed or die but are not people (a person is any other common noun there).
NOT_PERSON = {"cow", "cattle", "goat", "sheep", "camel", "dog", "horse", "animal", "livestock", "elephant",
              "donkey", "chicken", "bird", "fish", "tiger", "lion", "bill", "plan", "deal", "engine", "project",
              "proposal", "idea", "motion", "story", "time", "hope", "chance", "number", "people", "body"}
PERSON_NOUNS = lex.CIVILIAN | lex.ARMED | {"owner", "ruler", "guard", "member", "professor", "councilman",
                                           "co-driver", "suspect", "trafficker", "militiaman", "villager", "victim"}


def _fatalities(doc: Doc, events: list[Event]) -> None:
    """Deaths that belong to each event: its killed figures (a total restated later counts once), plus
    people killed one by one without a number ('gunmen shot dead a farmer')."""
    figures = doc._.figures or []
    sents = list(doc.sents)
    index = {s.start: n for n, s in enumerate(sents)}
    starts = sorted({doc[e.trigger].sent.start for e in events})
    for ev in events:
        killed = [figures[i] for i in ev.figures if figures[i].category == "killed" and figures[i].low
                  and figures[i].modality == "reported" and not _subset(doc, figures[i])
                  and not _cumulative(doc[figures[i].token].sent)]
        # Claims beside a plain report count for nothing; claims alone count as the smallest one told.
        plain = [f for f in killed if not _claimed(doc, f)]
        if plain:
            killed = plain
        elif len({doc[f.token].sent.start for f in killed}) > 1:
            by_sent: dict[int, int] = {}
            for f in killed:
                by_sent[doc[f.token].sent.start] = by_sent.get(doc[f.token].sent.start, 0) + int(f.low or 0)
            smallest = min(by_sent, key=by_sent.__getitem__)
            killed = [f for f in killed if doc[f.token].sent.start == smallest]
        values: list[int] = []
        for f in killed:
            if int(f.low or 0) not in values:
                values.append(int(f.low or 0))
        covered = {t for f in figures for t in range(f.token, f.token + 4)}  # a figure's own noun follows it
        first = doc[ev.trigger].sent.start
        later = [s for s in starts if s > first]
        stop = later[0] if later else len(doc)
        singles = 0
        for sent in sents[index[first]:]:
            if sent.start >= stop:
                break
            singles += _single_deaths(sent, covered, singles)
        totals = [int(f.low or 0) for f in killed if _is_total(doc, f)]
        total = max(totals) if totals and max(totals) >= singles else sum(values) + singles
        if total:
            ev.fatalities = total
    # 'Fatalities coded as 10': a count the writer settled on, for the event told before it.
    for i, value in _coded_counts(doc):
        owner = _fight_before(events, i)
        if owner is not None:
            owner.fatalities = value
    # '(5 fatalities split among 6 events)': this event's share.
    for i, total, parts in _split_counts(doc):
        owner = _fight_before(events, i)
        total = total or (owner.fatalities if owner is not None else None)
        if owner is not None and total:
            owner.fatalities = max(1, math.floor(total / parts + 0.5))


def _fight_before(events: list[Event], token: int) -> Event | None:
    """The event told last before ``token``, a violent one if there is one: deaths come from violence."""
    before = [ev for ev in events if ev.trigger < token]
    before = [ev for ev in before if ev.family == "violence"] or before
    return max(before, key=lambda e: e.trigger) if before else None


def _split_counts(doc: Doc) -> list[tuple[int, int | None, int]]:
    """'3 fatalities split among 3 events', 'Fatalities are split across two events': (where, total, parts)."""
    out: list[tuple[int, int | None, int]] = []
    text = ext.text_of(doc).lower()
    if not any(w in text for w in ("split", "spread", "distributed", "divided")):
        return out
    for t in ext.tokens_of(doc):
        if t.lower_ not in {"split", "spread", "distributed", "divided"} or t.i + 3 >= len(doc) or \
                doc[t.i + 1].lower_ not in {"among", "across", "between", "over"}:
            continue
        # 'among 6 events', 'over 2 days and 2 locations'
        parts, k = 1, t.i + 2
        while k + 1 < t.sent.end:
            n = parse_words([doc[k].text]) if doc[k].like_num else None
            if n is None or doc[k + 1].lower_.rstrip("s") not in {"event", "location", "day", "site", "place"}:
                break
            parts *= int(n)
            k += 2
            if k < t.sent.end and doc[k].lower_ == "and":
                k += 1
        if parts <= 1:
            continue
        words = doc[t.sent.start:t.i]
        if not any(w.lower_ in CODED_HEADS for w in words):
            continue
        nums = [parse_words([w.text]) for w in words if w.like_num and doc[w.i + 1].lower_ not in {")", "of"}]
        total = next((n for n in reversed(nums) if n is not None), None)  # None: the event's own count
        out.append((t.i, int(total) if total else None, parts))
    return out


CODED_HEADS = {"fatality", "fatalities", "death", "deaths", "casualty", "casualties", "dead", "killed", "toll"}


def _coded_counts(doc: Doc) -> list[tuple[int, int]]:
    """('Unclear fatalities coded as 3', 'Fatality split across 2 events, coded as 2', '... 5 each')."""
    out: list[tuple[int, int]] = []
    if "coded" not in ext.text_of(doc).lower():
        return out
    for t in ext.tokens_of(doc):
        if t.lower_ != "coded" or t.i + 2 >= len(doc) or doc[t.i + 1].lower_ not in {"as", "to", "at"}:
            continue
        if not any(w.lower_ in CODED_HEADS for w in doc[max(t.sent.start, t.i - 8):t.i]):
            continue
        value = parse_words([doc[t.i + 2].text])
        each = next((parse_words([w.text]) for w in doc[t.i + 3:t.sent.end]
                     if w.i + 1 < t.sent.end and doc[w.i + 1].lower_ == "each" and w.like_num), None)
        value = each if each is not None else value
        if value is not None and value == int(value):
            out.append((t.i, int(value)))
    return out


CUMULATIVE = {"since", "decade", "decades", "years", "months", "overall", "cumulative", "altogether"}


def _cumulative(sent: Span) -> bool:
    """'has killed thousands over the past decade', 'since January': a running total, not this event's dead."""
    return any(t.lower_ in CUMULATIVE for t in sent)


def _is_total(doc: Doc, fig) -> bool:
    """'2 fatalities.', 'the death toll rose to 9': a count of all the dead, not of one group of them."""
    window = doc[max(fig.token - 3, 0):min(fig.token + 3, len(doc))]
    return any(t.lemma_.lower() in {"fatality", "toll", "death", "total", "tally"} for t in window)


def _single_deaths(sent: Span, covered: set[int], already: int) -> int:
    """People killed one by one without a number: 'killed a farmer and his son', 'He was killed in the attack',
    'killing one', 'the killing of the village head', 'A civilian died'."""
    count = 0
    for t in sent:
        lemma = t.lemma_.lower()
        victims: list[Token] = []
        if t.pos_ == "NOUN" and (t.lower_ in DEATH_NOUNS or lemma in DEATH_NOUNS):  # 'the killing of X'
            if lemma != "death" or t.head.lemma_.lower() in {"cause", "lead", "result", "in"}:
                victims = [g for c in t.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        elif lemma in DEATH_VERBS - UNTIL_DEATH or (lemma in UNTIL_DEATH | {"shoot"} and _to_death(t)):
            voiced = t.head if t.dep_ == "conj" and not any(c.dep_ in {"auxpass", "nsubj", "dobj", "nsubjpass"}
                                                            for c in t.children) else t
            deps = {"nsubjpass"} if any(c.dep_ == "auxpass" for c in voiced.children) else {"dobj"}
            victims = [c for c in t.children if c.dep_ in deps]
            if not victims and t.dep_ == "conj":  # 'was shot and killed', 'shot and killed a man'
                victims = [c for c in t.head.children if c.dep_ in deps]
        elif lemma in DIE_VERBS:
            victims = [c for c in t.children if c.dep_ == "nsubj"]
        elif lemma in {"find", "discover", "recover", "retrieve"}:  # "a man's body was found"
            victims = [c for c in t.children if c.dep_ in {"nsubjpass", "dobj"} and c.lemma_.lower() in
                       {"body", "corpse"} and c.tag_ == "NN"]
        listed: set[int] = set()
        for v in list(victims):
            more = [c for c in v.children if c.dep_ == "conj"]
            listed.update(c.i for c in more)
            victims += more
        for v in victims:
            if v.i in covered:
                continue
            if any(c.dep_ == "nummod" for c in v.children):
                continue  # counted by a figure, or left out on purpose (a part, a claim)
            low = v.lower_
            if v.ent_type_ == "NORP" and v.left_edge.lower_ in {"a", "an"}:
                count += 1  # 'a Palestinian was killed'
                continue
            if v.tag_ == "PRP":  # 'killing him': one person, unless already counted
                if low in {"him", "her", "he", "she"} and not already and not count:
                    count += 1
                continue
            if low in {"one", "another"} and v.tag_ in {"CD", "NN", "DT"}:  # 'killing one (of them)'
                count += 1
                continue
            if v.lemma_.lower() in {"body", "corpse"}:  # one body is one dead, whoever it was
                if not already and not count or any(c.dep_ == "det" and c.lower_ in {"a", "an", "another"}
                                                    for c in v.children) or v.left_edge.lower_ in {"a", "an"}:
                    count += 1
                continue
            det = next((c.lower_ for c in v.children if c.dep_ in {"det", "poss"}), None)
            if det is None and v.left_edge.dep_ in {"det", "poss"}:
                det = v.left_edge.lower_  # 'a regime Armored Division member'
            if v.tag_ == "JJ" and det in {"a", "an"}:
                pass  # 'killed a captive', 'a 14-year-old'
            elif v.tag_ not in {"NN", "NNP"} or v.lemma_.lower() in NOT_PERSON | lex.PROPERTY:
                continue
            elif v.tag_ == "NNP" and v.lemma_.lower() not in PERSON_NOUNS:
                continue  # 'killed Smith' is one person, but so is any proper name: counted by its figure
            if det in {"a", "an", "another"} or det is not None and (v.i in listed or not already and not count):
                count += 1  # 'a teacher and his wife': each one listed is one more
    return count


def _role(root: Token, pred: Token) -> str | None:
    """agent, target or other when the actor's mention hangs under the predicate; None otherwise."""
    t, top = root, None
    while t.i != pred.i:
        if t.head.i == t.i:
            return None
        top, t = t, t.head
    if top is None:
        return "agent" if pred.pos_ != "VERB" else "other"
    dep = top.dep_
    if dep in {"nsubj", "csubj", "agent"} or dep == "prep" and top.lower_ == "by":
        return "agent"
    if dep in {"dobj", "nsubjpass", "attr", "dative"}:
        return "target"
    if dep == "prep" and top.lower_ in {"on", "against", "at", "with", "targeting"}:
        return "target"
    if pred.pos_ == "NOUN" and dep in {"amod", "compound", "poss", "nmod"} and top.i < pred.i:
        return "agent"
    return "other"


def _subset(doc: Doc, fig) -> bool:
    """'eight people, including four policemen': the four are part of the eight."""
    start = doc[fig.token].sent.start
    window = doc[max(start, fig.token - 4):fig.token]
    if any(t.lower_ in SUBSET_WORDS for t in window):
        return True
    # '..., including two customs officers and seven civilians': the later ones listed are part of it too
    return any(a.lower_ in SUBSET_WORDS for a in list(doc[fig.token].ancestors)[:5])


CLAIM_VERBS = {"claim", "allege", "report", "boast"}


def _claimed(doc: Doc, fig) -> bool:
    """'NRF claimed killing 3 Taliban forces', 'the police claims two were killed': a party's claim."""
    return any(a.lemma_.lower() in CLAIM_VERBS for a in list(doc[fig.token].ancestors)[:6])


def _merge(doc: Doc, events: list[Event]) -> list[Event]:
    structure = doc._.blocks
    out: list[Event] = []
    for ev in events:
        key = (ev.type, ev.subtype, ev.place.place.geonameid if ev.place else None, ev.date, ev.modality)
        same = next((o for o in out if (o.type, o.subtype, o.place.place.geonameid if o.place else None, o.date,
                                         o.modality) == key), None)
        if same is None:
            out.append(ev)
            continue
        for name, role in ev.actors:
            if name not in {n for n, _ in same.actors}:
                same.actors.append((name, role))
        same.figures.extend(i for i in ev.figures if i not in same.figures)
        if structure is not None and structure.kind(same.start) in {"headline", "standfirst"} and \
                structure.kind(ev.start) == "paragraph":
            same.text, same.start, same.end, same.trigger = ev.text, ev.start, ev.end, ev.trigger  # the body says it
    if structure is not None:
        body = {(e.type, e.subtype) for e in out if structure.kind(e.start) == "paragraph"}
        out = [e for e in out if structure.kind(e.start) == "paragraph" or (e.type, e.subtype) not in body]
    return out
